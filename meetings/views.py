"""Meeting pages: the calendar, a meeting, registration, and the secretariat's tools."""

import hashlib
import re
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import CharField, F, Prefetch, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions as roles
from actions.tables import table_rows
from commissions.models import Commission, CommissionMembership
from entrevilles import fragments, languages
from entrevilles.errors import error_text
from entrevilles.integers import parse_id
from meetings import permissions
from network import permissions as network_permissions
from network.models import Organisation, Person, Region

from . import calendar, pickers, services
from .forms import (
    AgendaItemForm,
    DecisionForm,
    ExternalEventForm,
    MeetingForm,
    MinutesForm,
    ReportBackForm,
    ReportForm,
    RepresentationForm,
)
from .models import (
    SEATED,
    AgendaItem,
    ExternalEvent,
    Meeting,
    MeetingVisibility,
    Minutes,
    Participation,
    ParticipationStatus,
)
from .statistics import participant_statistics

PAGE_SIZE = 25
# How many of the last meetings held the "upcoming" tab shows under the coming ones.
RECENT = 5
# The meeting page lists its participants 50 at a time, grouped by organisation.
PARTICIPANTS_PER_PAGE = 50
# The manage page lists the latest invitations; the count says how many there are.
INVITATIONS_SHOWN = 200
# The meeting page lists the open actions due soonest; the dashboard has all of them.
OPEN_ACTIONS_SHOWN = 25


# The list as visitors see it (meeting_list), kept until its data changes (meetings.apps).
LIST = "meetings:list"
LIST_SECONDS = 60


def visible_meetings(user):
    meetings = Meeting.objects.all()
    if not roles.is_network_member(user):
        meetings = meetings.filter(visibility=MeetingVisibility.PUBLIC)
    return meetings


def _get_meeting_for_user(request, pk) -> Meeting:
    """The meeting if the user may see it; 404 otherwise, so members-only ones stay hidden."""
    meeting = (
        Meeting.objects.select_related("host", "host__country")
        .prefetch_related("commissions")
        .filter(pk=pk)
        .first()
    )
    if meeting is None or not permissions.can_view_meeting(request.user, meeting):
        raise Http404
    return meeting


def _get_managed_meeting(request, pk) -> Meeting:
    meeting = _get_meeting_for_user(request, pk)
    if not permissions.can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


def meeting_list(request):
    """Upcoming or past meetings. What visitors (not signed in) see is the same for all
    of them: rendered once per query and language, and kept (LIST) until a meeting, an
    event, a commission or a host changes, and at most LIST_SECONDS (meetings move from
    upcoming to past as time goes by)."""
    if request.user.is_authenticated:
        content = _meeting_list_content(request)
    else:
        language = get_language() or settings.LANGUAGE_CODE
        content = fragments.remember(
            LIST,
            lambda: _meeting_list_content(request),
            variant=hashlib.sha256(f"{language}|{request.GET.urlencode()}".encode()).hexdigest(),
            timeout=LIST_SECONDS,
        )
    return render(
        request,
        "meetings/list.html",
        {"content": mark_safe(content)},  # noqa: S308 - our own template's output
    )


def _meeting_list_content(request) -> str:
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    visible = visible_meetings(request.user)
    meetings = visible.past() if when == "past" else visible.upcoming()
    commission = None
    if slug := request.GET.get("commission"):
        commission = Commission.objects.filter(slug=slug).first()
        meetings = meetings.filter(commissions=commission) if commission else meetings.none()
    region = None
    if code := request.GET.get("region"):
        region = Region.objects.filter(code=code).first()
        meetings = meetings.filter(host__region=region) if region else meetings.none()
    meetings = meetings.select_related("host").prefetch_related("commissions")
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    recent = []
    if when == "upcoming" and page.number == 1:
        # The upcoming tab also shows the last meetings held, so that it is never an empty
        # page between two seasons of meetings.
        recent = visible.past()
        if commission is not None:
            recent = recent.filter(commissions=commission)
        elif request.GET.get("commission"):
            recent = recent.none()
        if region is not None:
            recent = recent.filter(host__region=region)
        elif request.GET.get("region"):
            recent = recent.none()
        recent = list(recent.select_related("host").prefetch_related("commissions")[:RECENT])
    today = timezone.localdate()
    events = ExternalEvent.objects.prefetch_related("commissions")
    events = (
        events.filter(ends_on__lt=today).order_by("-starts_on")
        if when == "past"
        else events.filter(ends_on__gte=today).order_by("starts_on")
    )
    if commission is not None:
        events = events.filter(commissions=commission)
    elif request.GET.get("commission"):
        events = events.none()
    return render_to_string(
        "meetings/_list.html",
        {
            "page": page,
            "recent": recent,
            "when": when,
            "commission": commission,
            "commissions": Commission.objects.active(),
            "region": region,
            "regions": Region.objects.all(),
            "events": events[:20] if region is None else [],
            "can_create": permissions.can_create_meeting(request.user),
        },
        request,
    )


class _KnownCount:
    """A queryset whose length is already known (the statistics counted it): the
    paginator reads its pages without a COUNT query of its own."""

    def __init__(self, queryset, count: int):
        self.queryset, self._count = queryset, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key):
        return self.queryset[key]


def _participants_page(request, meeting, stats):
    """One page of the participants, grouped by organisation; a name only where its owner
    allows it. Rows are read as tuples: no model instances for a few hundred people."""
    statuses = [ParticipationStatus.ATTENDED] if stats.attended else list(SEATED)
    names = [f"organisation__name_{code}" for code in languages.fallback_order()]
    rows = (
        meeting.participations.filter(status__in=statuses)
        .annotate(
            organisation_name=Coalesce(
                *(NullIf(F(name), Value("")) for name in names), output_field=CharField()
            )
        )
        .order_by("organisation__search_name", "person__last_name", "id")
        .values_list(
            "organisation_id",
            "organisation_name",
            "person__first_name",
            "person__last_name",
            "person__contact_visibility",
            "person__user_id",
            "person__organisation_id",
            named=True,
        )
    )
    page = Paginator(_KnownCount(rows, stats.people), PARTICIPANTS_PER_PAGE).get_page(
        request.GET.get("participants")
    )
    # The secretariat sees every name: one check for the page rather than one a row.
    sees_all = permissions.can_manage_meeting(request.user, meeting)
    groups: dict = {}
    for row in page.object_list:
        group = groups.setdefault(
            row.organisation_id,
            {"organisation": row.organisation_name or "", "names": [], "hidden": 0},
        )
        # Otherwise can_see_participant_name() comes down to the person's own choice.
        person = SimpleNamespace(
            contact_visibility=row.person__contact_visibility,
            user_id=row.person__user_id,
            organisation_id=row.person__organisation_id,
        )
        if sees_all or network_permissions.can_view_contact_details(request.user, person):
            group["names"].append(f"{row.person__first_name} {row.person__last_name}".strip())
        else:
            group["hidden"] += 1
    for group in groups.values():
        group["names"] = ", ".join(group["names"])
        if group["hidden"]:
            group["hidden"] = ngettext(
                "(%(counter)s participant not listed by name)",
                "(%(counter)s participants not listed by name)",
                group["hidden"],
            ) % {"counter": group["hidden"]}
    return page, list(groups.values())


def meeting_detail(request, pk):
    meeting = _get_meeting_for_user(request, pk)
    user = request.user
    stats = participant_statistics(meeting)
    participants, groups = _participants_page(request, meeting, stats)
    can_manage = permissions.can_manage_meeting(user, meeting)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    show_minutes = minutes is not None and (
        minutes.is_locked or permissions.can_read_meeting_drafts(user, meeting)
    )
    own = []
    registrable = []
    if user.is_authenticated:
        own = list(
            meeting.participations.exclude(status=ParticipationStatus.CANCELLED)
            .filter(Q(person__user=user) | Q(registered_by=user))
            .select_related("person")
        )
        if not meeting.is_past and meeting.status != "cancelled":
            taken = {p.person_id for p in own}
            own_people = Q(user=user) | Q(
                organisation_id__in=roles.represented_organisation_ids(user)
            )
            if can_manage:
                # The secretariat registers people of the commissions' member organisations
                # (a subquery, not a join: no DISTINCT over the 60,000 people).
                own_people |= Q(
                    organisation_id__in=CommissionMembership.objects.filter(
                        commission__in=meeting.commissions.all()
                    ).values("organisation_id")
                )
            # Plain rows: what can_register_person() and the options read, no instances.
            candidates = (
                SimpleNamespace(
                    pk=pk, full_name=f"{first} {last}".strip(), organisation_id=org, user_id=uid
                )
                for pk, first, last, org, uid in Person.objects.filter(own_people)
                .order_by("last_name", "first_name")
                .values_list("pk", "first_name", "last_name", "organisation_id", "user_id")[:200]
            )
            registrable = [
                person
                for person in candidates
                if person.pk not in taken and permissions.can_register_person(user, meeting, person)
            ]
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "stats": stats,
            "participants": participants,
            "groups": groups,
            "agenda": meeting.agenda_items.all(),
            "decisions": meeting.decisions.prefetch_related("actions"),
            "reports": meeting.reports.all(),
            "minutes": minutes if show_minutes else None,
            "open_actions": table_rows(_open_actions_of(meeting)),
            "own": own,
            # Up to 200 options, written at once rather than by a template loop.
            "registrable": format_html_join(
                "", '<option value="{}">{}</option>', ((p.pk, p.full_name) for p in registrable)
            ),
            "can_manage": can_manage,
            "waiting": stats.waiting,
        },
    )


def _open_actions_of(meeting):
    """The open actions of the workstreams of this meeting's commissions, for review."""
    from actions.models import Action, Workstream

    workstreams = Workstream.objects.filter(commissions__in=meeting.commissions.all())
    return (
        Action.objects.open()
        .filter(workstream_id__in=workstreams.values("pk"))
        .soonest_pages(rows=True)
        .first(OPEN_ACTIONS_SHOWN)
    )


@login_required
@require_POST
def register(request, pk):
    meeting = _get_meeting_for_user(request, pk)
    person = Person.objects.filter(pk=request.POST.get("person")).first()
    if person is None or not permissions.can_register_person(request.user, meeting, person):
        raise PermissionDenied
    try:
        participation = services.register(meeting, person, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        if participation.status == ParticipationStatus.WAITING:
            messages.warning(
                request,
                _("The meeting is full: %(person)s is on the waiting list.")
                % {"person": person.full_name},
            )
        else:
            messages.success(request, _("%(person)s is registered.") % {"person": person.full_name})
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def cancel_registration(request, pk, participation_pk):
    meeting = _get_meeting_for_user(request, pk)
    participation = get_object_or_404(
        Participation.objects.select_related("person"), pk=participation_pk, meeting=meeting
    )
    if not permissions.can_register_person(request.user, meeting, participation.person):
        raise PermissionDenied
    try:
        services.cancel_registration(participation, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The registration is cancelled."))
    return redirect("meetings:detail", pk=meeting.pk)


def _form_choices(user):
    commissions = Commission.objects.all()
    if not roles.is_network_admin(user):
        commissions = commissions.filter(pk__in=roles.secretariat_commission_ids(user))
    # Host cities are chosen among the members of the commissions one manages: a short list.
    member_ids = Organisation.objects.filter(commissions__in=commissions).values("pk")
    return commissions, Organisation.objects.filter(pk__in=member_ids)


def _meeting_values(data) -> dict:
    changes = {
        name: data[name]
        for name in (
            "host",
            "venue",
            "time_zone",
            "starts_at",
            "ends_at",
            "online_url",
            "status",
            "visibility",
            "capacity",
        )
    }
    for key, value in data.items():
        if key.startswith(("title_", "purpose_")):
            changes[key] = value
    return changes


@login_required
def meeting_create(request):
    if not permissions.can_create_meeting(request.user):
        raise PermissionDenied
    commissions, hosts = _form_choices(request.user)
    form = MeetingForm(request.POST or None, commissions=commissions, hosts=hosts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not permissions.can_create_meeting_for(request.user, data["commissions"]):
            raise PermissionDenied
        values = _meeting_values(data)
        titles = {k[6:]: values.pop(k) for k in list(values) if k.startswith("title_")}
        purposes = {k[8:]: values.pop(k) for k in list(values) if k.startswith("purpose_")}
        try:
            meeting = services.create_meeting(
                commissions=data["commissions"],
                titles=titles,
                purposes=purposes,
                actor=request.user,
                **values,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is created."))
            return redirect("meetings:manage", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": None})


@login_required
def meeting_edit(request, pk):
    meeting = _get_managed_meeting(request, pk)
    commissions, hosts = _form_choices(request.user)
    form = MeetingForm(
        request.POST or None,
        initial=MeetingForm.initial_from(meeting),
        commissions=Commission.objects.filter(
            Q(pk__in=commissions.values("pk")) | Q(meetings=meeting)
        ).distinct(),
        hosts=Organisation.objects.filter(Q(pk__in=hosts.values("pk")) | Q(pk=meeting.host_id)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(
                meeting,
                changes=_meeting_values(form.cleaned_data),
                commissions=form.cleaned_data["commissions"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("meetings:manage", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": meeting})


@login_required
def manage(request, pk):
    """The secretariat's page: agenda, invitations, decisions, record."""
    meeting = _get_managed_meeting(request, pk)
    agenda_form = AgendaItemForm(prefix="agenda")
    decision_form = DecisionForm(prefix="decision")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add_agenda_item":
                agenda_form = AgendaItemForm(request.POST, prefix="agenda")
                if agenda_form.is_valid():
                    services.add_agenda_item(
                        meeting,
                        titles=agenda_form.texts(),
                        duration_minutes=agenda_form.cleaned_data["duration_minutes"],
                        actor=request.user,
                    )
                    messages.success(request, _("The agenda item is added."))
                    return redirect("meetings:manage", pk=meeting.pk)
            elif action in ("move_up", "move_down", "remove_item"):
                item = get_object_or_404(AgendaItem, pk=request.POST.get("item"), meeting=meeting)
                if action == "remove_item":
                    services.remove_agenda_item(item, actor=request.user)
                else:
                    offset = -1 if action == "move_up" else 1
                    services.move_agenda_item(item, offset=offset, actor=request.user)
                return redirect("meetings:manage", pk=meeting.pk)
            elif action == "invite_members":
                count = services.invite_commission_members(meeting, actor=request.user)
                messages.success(
                    request,
                    _("%(count)s organisations invited.") % {"count": count},
                )
                return redirect("meetings:manage", pk=meeting.pk)
            elif action == "add_decision":
                decision_form = DecisionForm(request.POST, prefix="decision")
                if decision_form.is_valid():
                    decision = services.record_decision(
                        meeting, texts=decision_form.texts(), actor=request.user
                    )
                    messages.success(
                        request,
                        _("Decision %(number)s is recorded.") % {"number": decision.number},
                    )
                    return redirect("meetings:manage", pk=meeting.pk)
            else:
                return HttpResponse(_("Unknown request."), status=400)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect("meetings:manage", pk=meeting.pk)
    participations = meeting.participations.select_related("person", "organisation").order_by(
        "status", "registered_at", "id"
    )
    page = Paginator(participations, 200).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/manage.html",
        {
            "meeting": meeting,
            "agenda": meeting.agenda_items.all(),
            "agenda_form": agenda_form,
            "decision_form": decision_form,
            "decisions": meeting.decisions.all(),
            "invitations": meeting.invitations.select_related("organisation", "person").order_by(
                "-invited_at", "-id"
            )[:INVITATIONS_SHOWN],
            "invitation_count": meeting.invitations.count(),
            "page": page,
        },
    )


def _picker(request, kind: str, field: str) -> dict:
    """A picker's state from the request: what is ticked, what the search box holds."""
    query = request.GET.get(f"{field}-q", "").strip()[:100]
    ticked = request.GET.getlist(field) or request.POST.getlist(field)
    chosen, found = pickers.search(kind, request.user, query, ticked)
    return {"query": query, "chosen": chosen, "found": found}


@login_required
def picker(request, kind):
    """The htmx fragment of a picker: the ticked items, then matches of the words typed."""
    if kind not in pickers.KINDS:
        raise Http404
    field = request.GET.get("field", kind)
    if not re.fullmatch(rf"{kind}(-\d{{1,12}})?", field):
        return HttpResponse(_("Unknown field."), status=400)
    state = _picker(request, kind, field)
    return render(
        request,
        "meetings/_picker_results.html",
        {"kind": kind, "field": field, **state},
    )


@login_required
def invite(request, pk):
    """Invite chosen organisations and people; each gets the e-mail in their language."""
    meeting = _get_meeting_for_user(request, pk)
    if not permissions.can_invite_to_meeting(request.user, meeting):
        raise PermissionDenied
    if request.method == "POST":
        org_ids = pickers.ids_from(request.POST.getlist("organisations"))
        people_ids = pickers.ids_from(request.POST.getlist("people"))
        organisations = list(Organisation.objects.filter(pk__in=org_ids))
        people = list(Person.objects.filter(pk__in=people_ids))
        if len(organisations) != len(org_ids) or len(people) != len(people_ids):
            return HttpResponse(
                _("Some of the chosen organisations or people do not exist."), status=400
            )
        if not organisations and not people:
            messages.error(request, _("Tick the organisations or people to invite."))
            return redirect("meetings:invite", pk=meeting.pk)
        try:
            new = services.invite(
                meeting, organisations=organisations, people=people, actor=request.user
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect("meetings:invite", pk=meeting.pk)
        already = len(organisations) + len(people) - len(new)
        not_mailed = [invitation for invitation in new if invitation.no_address]
        mailed = len(new) - len(not_mailed)
        messages.success(
            request,
            ngettext(
                "%(count)s invitation sent by e-mail.",
                "%(count)s invitations sent by e-mail.",
                mailed,
            )
            % {"count": mailed}
            + (
                " "
                + ngettext(
                    "%(count)s was already invited.", "%(count)s were already invited.", already
                )
                % {"count": already}
                if already
                else ""
            ),
        )
        if not_mailed:
            messages.warning(request, services.no_address_message(not_mailed))
        return redirect("meetings:manage", pk=meeting.pk)
    return render(
        request,
        "meetings/invite.html",
        {
            "meeting": meeting,
            "organisations": _picker(request, "organisations", "organisations"),
            "people": _picker(request, "people", "people"),
        },
    )


@login_required
def attendance(request, pk):
    """Attendance on the day: tick who is present among the registered and waiting."""
    meeting = _get_managed_meeting(request, pk)
    participations = list(
        meeting.participations.exclude(status=ParticipationStatus.CANCELLED)
        .select_related("person", "organisation")
        .order_by("organisation__search_name", "person__last_name", "id")
    )
    if request.method == "POST":
        allowed = {p.person_id for p in participations}
        present = []
        for value in request.POST.getlist("present"):
            if parse_id(value) not in allowed:
                return HttpResponse(_("Unknown participant."), status=400)
            present.append(parse_id(value))
        result = services.record_attendance(meeting, present, actor=request.user)
        messages.success(
            request,
            _("Attendance saved: %(marked)s marked present, %(unmarked)s marked absent.") % result,
        )
        return redirect("meetings:attendance", pk=meeting.pk)
    return render(
        request,
        "meetings/attendance.html",
        {"meeting": meeting, "participations": participations},
    )


@login_required
def minutes(request, pk):
    meeting = _get_meeting_for_user(request, pk)
    if not permissions.can_read_meeting_drafts(request.user, meeting):
        raise PermissionDenied
    can_manage = permissions.can_manage_meeting(request.user, meeting)
    record = Minutes.objects.filter(meeting=meeting).first()
    form = MinutesForm(initial={"text": record.text if record else ""})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "approve":
                services.approve_minutes(meeting, actor=request.user)
                messages.success(request, _("The minutes are approved and locked."))
                return redirect("meetings:minutes", pk=meeting.pk)
            form = MinutesForm(request.POST)
            if form.is_valid():
                services.save_minutes(meeting, form.cleaned_data["text"], actor=request.user)
                messages.success(request, _("The minutes are saved."))
                return redirect("meetings:minutes", pk=meeting.pk)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect("meetings:minutes", pk=meeting.pk)
    versions = record.versions.select_related("saved_by")[:50] if record else []
    return render(
        request,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "record": record,
            "form": form,
            "versions": versions,
            "can_manage": can_manage,
        },
    )


@login_required
def report(request, pk):
    meeting = _get_managed_meeting(request, pk)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.publish_report(
                meeting,
                language=data["language"],
                title=data["title"],
                text=data["text"],
                file=data["file"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error("file" if data["file"] else None, error)
        else:
            messages.success(request, _("The report is published."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/report_form.html",
        {"meeting": meeting, "form": form, "reports": meeting.reports.all()},
    )


def meeting_ical(request, pk):
    meeting = _get_meeting_for_user(request, pk)
    return calendar.ical_response([meeting], request, name=meeting.title)


def calendar_ical(request):
    """The network's calendar, or one commission's with ?commission=<slug>."""
    # A calendar client needs the coming meetings and the recent past, not all history.
    since = timezone.now() - timedelta(days=365)
    meetings = visible_meetings(request.user).filter(ends_at__gte=since).order_by("starts_at", "id")
    events = ExternalEvent.objects.filter(ends_on__gte=since.date()).order_by("starts_on")
    commission = None
    if slug := request.GET.get("commission"):
        commission = get_object_or_404(Commission, slug=slug)
        meetings = meetings.filter(commissions=commission)
        events = events.filter(commissions=commission)
    from learning.partnerships.calendar import network_calendar_lines

    return calendar.ical_response(
        calendar.meeting_rows(meetings[:1000]),
        request,
        name=_("Network meetings"),
        events=events[:500],
        extra_lines=network_calendar_lines(request.user, since.date(), commission),
    )


@login_required
def my_ical(request):
    """The meetings one is registered for."""
    meetings = (
        Meeting.objects.filter(
            participations__person__user=request.user, participations__status__in=SEATED
        )
        .select_related("host")
        .prefetch_related(Prefetch("commissions"))
        .distinct()
    )
    return calendar.ical_response(meetings, request, name=_("My meetings"))


# --- external events and representation -----------------------------------------------


def _get_event(pk) -> ExternalEvent:
    event = (
        ExternalEvent.objects.select_related("workstream")
        .prefetch_related("commissions")
        .filter(pk=pk)
        .first()
    )
    if event is None:
        raise Http404
    return event


def event_detail(request, pk):
    event = _get_event(pk)
    can_manage = permissions.can_manage_meeting(request.user, event)
    representations = list(
        event.representations.select_related("organisation", "person")
        .prefetch_related(
            Prefetch(
                "documents",
                pickers.visible_documents(request.user).order_by("-date", "-id"),
                to_attr="visible_documents",
            )
        )
        .order_by("id")
    )
    member_ids = Organisation.objects.filter(commissions__in=event.commissions.all()).values("pk")
    form = None
    if can_manage:
        form = RepresentationForm(
            request.POST if request.POST.get("action") == "represent" else None,
            organisations=Organisation.objects.filter(pk__in=member_ids),
        )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "represent":
                if not can_manage:
                    raise PermissionDenied
                if form.is_valid():
                    services.add_representation(
                        event,
                        organisation=form.cleaned_data["organisation"],
                        mandates=form.texts(),
                        actor=request.user,
                    )
                    messages.success(request, _("The representation is recorded."))
                    return redirect("meetings:event", pk=event.pk)
            elif action == "report_back":
                representation = next(
                    (r for r in representations if str(r.pk) == request.POST.get("representation")),
                    None,
                )
                if representation is None:
                    raise Http404
                representation.event = event
                if not permissions.can_report_back(request.user, representation):
                    raise PermissionDenied
                report = ReportBackForm(request.POST)
                if report.is_valid():
                    services.report_back(
                        representation, report.cleaned_data["report_back"], actor=request.user
                    )
                    messages.success(request, _("Your report back is saved."))
                    return redirect("meetings:event", pk=event.pk)
                messages.error(request, _("Write the report back."))
            elif action == "documents":
                representation = next(
                    (r for r in representations if str(r.pk) == request.POST.get("representation")),
                    None,
                )
                if representation is None:
                    raise Http404
                representation.event = event
                if not permissions.can_link_representation_documents(request.user, representation):
                    raise PermissionDenied
                return _save_representation_documents(request, event, representation)
            else:
                return HttpResponse(_("Unknown request."), status=400)
        except ValidationError as error:
            messages.error(request, error_text(error))
    for representation in representations:
        representation.event = event
        representation.can_report = permissions.can_report_back(request.user, representation)
        representation.can_link = permissions.can_link_representation_documents(
            request.user, representation
        )
        if representation.can_link:
            field = representation.picker_field = f"documents-{representation.pk}"
            if f"{field}-q" in request.GET:
                representation.picker = _picker(request, "documents", field)
            else:
                representation.picker = {
                    "query": "",
                    "chosen": representation.visible_documents,
                    "found": [],
                }
    return render(
        request,
        "meetings/event.html",
        {
            "event": event,
            "representations": representations,
            "form": form,
            "can_manage": can_manage,
        },
    )


def _save_representation_documents(request, event, representation):
    ids = pickers.ids_from(request.POST.getlist(f"documents-{representation.pk}"))
    chosen = list(pickers.visible_documents(request.user).filter(pk__in=ids))
    if len(chosen) != len(ids):
        return HttpResponse(_("Some of the chosen documents do not exist."), status=400)
    # Documents this user may not read stay linked: they cannot see them to untick them.
    hidden = representation.documents.exclude(
        pk__in=pickers.visible_documents(request.user).values("pk")
    )
    services.set_representation_documents(representation, [*chosen, *hidden], actor=request.user)
    messages.success(request, _("The documents are linked."))
    return redirect("meetings:event", pk=event.pk)


@login_required
def event_create(request):
    if not permissions.can_create_meeting(request.user):
        raise PermissionDenied
    commissions, _hosts = _form_choices(request.user)
    form = ExternalEventForm(request.POST or None, commissions=commissions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not permissions.can_create_meeting_for(request.user, data["commissions"]):
            raise PermissionDenied
        from actions.models import Workstream

        # Representation is the Presidency workstream's business when there is one.
        presidency = Workstream.objects.filter(
            commissions__in=data["commissions"], title_en__iexact="Presidency"
        ).first()
        event = services.create_external_event(
            titles={code: data[f"title_{code}"] for code in ("en", "fr", "es")},
            organiser=data["organiser"],
            place=data["place"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            url=data["url"],
            commissions=data["commissions"],
            workstream=presidency,
            actor=request.user,
        )
        messages.success(request, _("The event is recorded."))
        return redirect("meetings:event", pk=event.pk)
    return render(request, "meetings/event_form.html", {"form": form})
