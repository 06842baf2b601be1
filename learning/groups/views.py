"""Pages of learning groups: the list, a group with its members, sessions and conclusions,
and the forms of its facilitating secretariat."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from entrevilles.dates import format_date
from learning.groups import permissions, services
from learning.groups.forms import (
    ConclusionActionForm,
    ConclusionForm,
    GroupForm,
    LeaveForm,
    MemberForm,
    SessionForm,
)
from learning.models import GroupConclusion, GroupMembership, GroupSession, LearningGroup
from meetings import permissions as meetings_permissions
from network.models import Organisation, normalise_for_search

SEARCH_LIMIT = 10


def _require(request, allowed: bool):
    """Anonymous readers of a protected page are sent to log in; others get 403."""
    if allowed:
        return None
    if request.method == "GET" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _group(request, slug) -> LearningGroup:
    """The group if this user may read it; 404 otherwise (its existence is not leaked)."""
    return get_object_or_404(
        permissions.visible_learning_groups(request.user).select_related("facilitating_commission"),
        slug=slug,
    )


def _managed_group(request, slug) -> LearningGroup:
    group = _group(request, slug)
    if not permissions.can_manage_learning_group(request.user, group):
        raise PermissionDenied
    return group


def _save(form, call):
    """Call a service; its ValidationError becomes the form's errors. True when saved."""
    try:
        call()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return False
    return True


@require_GET
def group_list(request):
    groups = (
        permissions.visible_learning_groups(request.user)
        .select_related("facilitating_commission")
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__left_on__isnull=True), distinct=True
            ),
            conclusion_count=Count("conclusions", distinct=True),
        )
        .order_by("name", "id")
    )
    page = Paginator(groups, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/group_list.html",
        {"page": page, "can_create": permissions.can_create_learning_group(request.user)},
    )


def _detail_context(request, group, **forms):
    memberships = list(
        GroupMembership.objects.filter(group=group)
        .select_related("organisation__country")
        .order_by("left_on", "organisation__search_name", "id")
    )
    sessions = list(
        GroupSession.objects.filter(group=group)
        .select_related("meeting")
        .order_by("-held_on", "-id")
    )
    conclusions = list(
        GroupConclusion.objects.filter(group=group)
        .select_related("action", "session")
        .order_by("number")
    )
    # A members-only meeting's title is not shown to the public through the group's page.
    for session in sessions:
        session.shown_meeting = (
            session.meeting
            if session.meeting
            and meetings_permissions.can_view_meeting(request.user, session.meeting)
            else None
        )
    can_manage = permissions.can_manage_learning_group(request.user, group)
    context = {
        "group": group,
        "themes": list(group.themes.all()),
        "current_members": [m for m in memberships if m.left_on is None],
        "past_members": [m for m in memberships if m.left_on is not None],
        "sessions": sessions,
        "conclusions": conclusions,
        "can_manage": can_manage,
    }
    if can_manage:
        workstreams = list(
            permissions.action_workstreams_for(request.user).order_by("position", "pk")
        )
        context.update(
            member_form=forms.get("member_form") or MemberForm(),
            session_form=forms.get("session_form") or SessionForm(),
            conclusion_form=forms.get("conclusion_form") or ConclusionForm(group=group),
            action_form=forms.get("action_form") or ConclusionActionForm(workstreams=workstreams),
            blank_action_form=ConclusionActionForm(workstreams=workstreams),
            action_form_for=forms.get("action_form_for"),
            has_workstreams=bool(workstreams),
        )
    return context


@require_GET
def group_detail(request, slug):
    group = _group(request, slug)
    return render(request, "learning/group_detail.html", _detail_context(request, group))


@require_http_methods(["GET", "POST"])
def group_create(request):
    denied = _require(request, permissions.can_create_learning_group(request.user))
    if denied:
        return denied
    commissions = permissions.learning_group_commissions(request.user)
    form = GroupForm(request.POST or None, commissions=commissions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        holder = {}

        def call():
            holder["group"] = services.create_group(
                slug=data["slug"],
                names=form.names(),
                purposes=form.purposes(),
                facilitating_commission=data["facilitating_commission"],
                themes=data["themes"],
                visibility=data["visibility"],
                started_on=data["started_on"],
                actor=request.user,
            )

        if _save(form, call):
            messages.success(request, _("The learning group is open."))
            return redirect(holder["group"])
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/group_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def group_edit(request, slug):
    group = _group(request, slug)
    denied = _require(request, permissions.can_manage_learning_group(request.user, group))
    if denied:
        return denied
    commissions = permissions.learning_group_commissions(request.user)
    initial = {
        "facilitating_commission": group.facilitating_commission_id,
        "themes": list(group.themes.values_list("pk", flat=True)),
        "visibility": group.visibility,
        "started_on": group.started_on,
    }
    for code in ("en", "fr", "es"):
        initial[f"name_{code}"] = getattr(group, f"name_{code}") or ""
        initial[f"purpose_{code}"] = getattr(group, f"purpose_{code}") or ""
    form = GroupForm(request.POST or None, commissions=commissions, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def call():
            services.update_group(
                group,
                names=form.names(),
                purposes=form.purposes(),
                facilitating_commission=data["facilitating_commission"],
                themes=data["themes"],
                visibility=data["visibility"],
                started_on=data["started_on"],
                actor=request.user,
            )

        if _save(form, call):
            messages.success(request, _("The learning group is saved."))
            return redirect(group)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "learning/group_form.html", {"form": form, "group": group}, status=status
    )


def _invalid(request, group, **forms):
    return render(
        request, "learning/group_detail.html", _detail_context(request, group, **forms), status=400
    )


@require_GET
def member_search(request, slug):
    """Organisations to add: an htmx fragment, a full page without JavaScript."""
    group = _managed_group(request, slug)
    query = request.GET.get("q", "").strip()[:200]
    results = []
    prefix = normalise_for_search(query)
    if prefix:
        # A range on search_name lets SQLite and PostgreSQL walk its index.
        results = list(
            Organisation.objects.filter(
                search_name__gte=prefix,
                search_name__lt=prefix + "\U0010ffff",
                search_name__startswith=prefix,
            )
            .select_related("country")
            .order_by("search_name", "id")[:SEARCH_LIMIT]
        )
        current = set(
            GroupMembership.objects.filter(
                group=group, left_on__isnull=True, organisation__in=results
            ).values_list("organisation_id", flat=True)
        )
        for organisation in results:
            organisation.is_member = organisation.pk in current
    template = (
        "learning/group_member_results.html"
        if request.headers.get("HX-Request")
        else "learning/group_member_search.html"
    )
    return render(request, template, {"group": group, "query": query, "results": results})


@require_POST
def member_add(request, slug):
    group = _managed_group(request, slug)
    form = MemberForm(request.POST)
    if form.is_valid() and _save(
        form,
        lambda: services.add_member(
            group,
            form.cleaned_data["organisation"],
            joined_on=form.cleaned_data["joined_on"],
            actor=request.user,
        ),
    ):
        messages.success(
            request,
            _("%(organisation)s joined the group.")
            % {"organisation": form.cleaned_data["organisation"].name},
        )
        return redirect(group)
    return _invalid(request, group, member_form=form)


@require_POST
def member_leave(request, slug, pk):
    group = _managed_group(request, slug)
    membership = get_object_or_404(
        GroupMembership.objects.select_related("organisation", "group__facilitating_commission"),
        group=group,
        pk=pk,
    )
    form = LeaveForm(request.POST)
    if form.is_valid() and _save(
        form,
        lambda: services.member_leaves(
            membership, left_on=form.cleaned_data["left_on"], actor=request.user
        ),
    ):
        messages.success(
            request,
            _("%(organisation)s left the group.") % {"organisation": membership.organisation.name},
        )
        return redirect(group)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return _invalid(request, group)


@require_POST
def session_add(request, slug):
    group = _managed_group(request, slug)
    form = SessionForm(request.POST)
    if form.is_valid() and _save(
        form,
        lambda: services.add_session(
            group,
            held_on=form.cleaned_data["held_on"],
            place=form.cleaned_data["place"],
            summaries=form.summaries(),
            meeting=form.cleaned_data["meeting"],
            actor=request.user,
        ),
    ):
        messages.success(request, _("The session is recorded."))
        return redirect(group)
    return _invalid(request, group, session_form=form)


@require_POST
def conclusion_add(request, slug):
    group = _managed_group(request, slug)
    form = ConclusionForm(request.POST, group=group)
    if form.is_valid() and _save(
        form,
        lambda: services.add_conclusion(
            group,
            texts=form.texts(),
            concluded_on=form.cleaned_data["concluded_on"],
            session=form.cleaned_data["session"],
            actor=request.user,
        ),
    ):
        messages.success(request, _("The conclusion is recorded."))
        return redirect(group)
    return _invalid(request, group, conclusion_form=form)


@require_http_methods(["GET", "POST"])
def session_edit(request, slug, pk):
    group = _group(request, slug)
    session = get_object_or_404(GroupSession.objects.select_related("group"), group=group, pk=pk)
    denied = _require(request, permissions.can_edit_group_session(request.user, session))
    if denied:
        return denied
    initial = {"held_on": session.held_on, "place": session.place, "meeting": session.meeting_id}
    for code in ("en", "fr", "es"):
        initial[f"summary_{code}"] = getattr(session, f"summary_{code}") or ""
    form = SessionForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            lambda: services.update_session(
                session,
                held_on=form.cleaned_data["held_on"],
                place=form.cleaned_data["place"],
                summaries=form.summaries(),
                meeting=form.cleaned_data["meeting"],
                actor=request.user,
            ),
        )
    ):
        messages.success(request, _("The session is saved."))
        return redirect(f"{group.get_absolute_url()}#session-{session.pk}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "learning/group_record_form.html",
        {
            "form": form,
            "group": group,
            "heading": _("Edit the session of %(date)s")
            % {"date": format_date(session.held_on, "DATE_FORMAT")},
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def conclusion_edit(request, slug, number):
    group = _group(request, slug)
    conclusion = get_object_or_404(
        GroupConclusion.objects.select_related("group"), group=group, number=number
    )
    denied = _require(request, permissions.can_edit_group_conclusion(request.user, conclusion))
    if denied:
        return denied
    initial = {"concluded_on": conclusion.concluded_on, "session": conclusion.session_id}
    for code in ("en", "fr", "es"):
        initial[f"text_{code}"] = getattr(conclusion, f"text_{code}") or ""
    form = ConclusionForm(request.POST or None, group=group, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            lambda: services.update_conclusion(
                conclusion,
                texts=form.texts(),
                concluded_on=form.cleaned_data["concluded_on"],
                session=form.cleaned_data["session"],
                actor=request.user,
            ),
        )
    ):
        messages.success(request, _("The conclusion is saved."))
        return redirect(f"{group.get_absolute_url()}#conclusion-{conclusion.number}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "learning/group_record_form.html",
        {
            "form": form,
            "group": group,
            "heading": _("Edit conclusion %(number)s") % {"number": conclusion.number},
        },
        status=status,
    )


@require_POST
def conclusion_action(request, slug, number):
    group = _managed_group(request, slug)
    conclusion = get_object_or_404(
        GroupConclusion.objects.select_related("group"), group=group, number=number
    )
    workstreams = permissions.action_workstreams_for(request.user).prefetch_related("commissions")
    form = ConclusionActionForm(request.POST, workstreams=workstreams)
    if form.is_valid():
        workstream = form.cleaned_data["workstream"]
        if not permissions.can_turn_conclusion_into_action(request.user, conclusion, workstream):
            if conclusion.action_id is None:
                raise PermissionDenied
            form.add_error(None, _("This conclusion is already an action of the action plan."))
        elif _save(
            form,
            lambda: services.conclusion_to_action(
                conclusion,
                workstream=workstream,
                due_date=form.cleaned_data["due_date"],
                actor=request.user,
            ),
        ):
            messages.success(
                request,
                _("Conclusion %(number)s is now an action of the workstream %(workstream)s.")
                % {"number": conclusion.number, "workstream": workstream.title},
            )
            return redirect(group)
    return _invalid(request, group, action_form=form, action_form_for=conclusion.number)
