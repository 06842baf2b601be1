"""Action plan pages: dashboards, an action and its log, and the secretariat's tools."""

import hashlib
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions as roles
from actions import permissions
from commissions.models import Commission
from entrevilles import fragments
from entrevilles.integers import parse_id, parse_ids
from entrevilles.languages import translated
from meetings import permissions as meetings_permissions
from meetings.models import Decision
from network.models import Organisation, Person

from . import services
from .forms import ActionForm, BulkForm, ImportForm, UpdateForm, WorkstreamForm
from .models import OPEN_STATUSES, Action, ActionStatus, Workstream
from .tables import table_rows
from .totals import Totals, by_workstream, overall

PAGE_SIZE = 25
# The dashboard's tables as rendered for one question (filters, page), language and day
# (what is late moves with the date), kept until an action, a workstream or an owner
# changes (ActionsConfig.ready), and at most this long in case of a write without signal.
DASHBOARD = "actions:dashboard"
DASHBOARD_SECONDS = 600


def forget_dashboard_when_changed() -> None:
    fragments.forget_when_changed(DASHBOARD, [Action, Workstream, Organisation, Commission, Person])


def forget_dashboard(ids=None, fields=None) -> None:
    """After organisations were written in bulk (a subscriber of network.changes)."""
    fragments.forget(DASHBOARD)


def managed_workstreams(user):
    workstreams = Workstream.objects.all()
    if not roles.is_network_admin(user):
        workstreams = workstreams.filter(
            commissions__in=roles.secretariat_commission_ids(user)
        ).distinct()
    return workstreams


def _get_action(request, pk) -> Action:
    action = Action.objects.with_owners().filter(pk=pk).first()
    if action is None:
        raise Http404
    return action


def _filtered_actions(request):
    """Actions filtered by the dashboard's parameters, with the filters applied."""
    actions = Action.objects.all()
    filters: dict = {}
    if (ws := parse_id(request.GET.get("workstream"))) is not None:
        filters["workstream"] = Workstream.objects.filter(pk=ws).first()
        actions = actions.filter(workstream_id=ws)
    through = {
        "organisation": Action.owner_organisations.through.objects,
        "commission": Action.owner_commissions.through.objects,
        "person": Action.owner_people.through.objects,
    }
    # Subqueries on the owner tables rather than joins: no duplicate rows, no DISTINCT.
    if slug := request.GET.get("commission"):
        filters["commission"] = Commission.objects.filter(slug=slug).first()
        actions = actions.filter(
            Q(workstream__in=Workstream.objects.filter(commissions__slug=slug).values("pk"))
            | Q(pk__in=through["commission"].filter(commission__slug=slug).values("action_id"))
        )
    if (owner := parse_id(request.GET.get("owner"))) is not None:
        filters["owner"] = Organisation.objects.filter(pk=owner).first()
        actions = actions.filter(
            pk__in=through["organisation"].filter(organisation_id=owner).values("action_id")
        )
    if request.GET.get("mine") and request.user.is_authenticated:
        filters["mine"] = True
        represented = roles.represented_organisation_ids(request.user)
        actions = actions.filter(
            Q(pk__in=through["person"].filter(person__user=request.user).values("action_id"))
            | Q(
                pk__in=through["organisation"]
                .filter(organisation_id__in=represented)
                .values("action_id")
            )
            | Q(
                pk__in=through["commission"]
                .filter(commission_id__in=roles.secretariat_commission_ids(request.user))
                .values("action_id")
            )
        )
    status = request.GET.get("status", "open")
    if status == "open":
        actions = actions.filter(status__in=OPEN_STATUSES)
    elif status in ActionStatus.values:
        actions = actions.filter(status=status)
    filters["status"] = status
    return actions, filters


def _progress_by_workstream_and_commission(totals):
    """Totals, late actions and mean progress per workstream, then per commission.

    The totals come from the cache (actions.totals); commissions are summed from their
    workstreams in Python rather than through a many-to-many join. Rows are plain values,
    numbers written once here: template filters on every row cost more than the queries.
    """
    workstreams = Workstream.objects.annotate(row_title=translated("title")).values_list(
        "pk", "row_title"
    )
    links = list(
        Workstream.commissions.through.objects.values_list("workstream_id", "commission_id")
    )
    commissions = {
        pk: SimpleNamespace(pk=pk, slug=slug, name=name)
        for pk, slug, name in Commission.objects.filter(pk__in={c for _, c in links})
        .annotate(row_name=translated("name"))
        .values_list("pk", "slug", "row_name")
    }
    of_workstream: dict[int, list] = {}
    for workstream_id, commission_id in links:
        of_workstream.setdefault(workstream_id, []).append(commissions[commission_id])
    sums: dict[int, Totals] = {}
    rows = []
    for pk, title in workstreams:
        row = totals.get(pk, Totals())
        mine = sorted(of_workstream.get(pk, []), key=lambda c: c.name)
        rows.append(
            SimpleNamespace(
                pk=pk,
                title=title,
                commission_names=" · ".join(c.name for c in mine),
                total=str(row.total),
                late=str(row.late) if row.late else "",
                percent=str(round(row.progress)),
            )
        )
        for commission in mine:
            sums[commission.pk] = sums.get(commission.pk, Totals()) + row
    by_commission = []
    for commission_id, row in sums.items():
        if row.total:
            commission = commissions[commission_id]
            commission.total, commission.late = str(row.total), str(row.late)
            commission.percent = str(round(row.progress))
            by_commission.append(commission)
    by_commission.sort(key=lambda c: c.name)
    return rows, by_commission


def _open_counts(request, filters, totals) -> tuple[int, int] | None:
    """How many open actions are dated and undated, from the cached totals, when the
    dashboard shows every open action or one workstream's; None for other filters."""
    if filters["status"] != "open" or set(request.GET) - {"status", "workstream", "page"}:
        return None
    if "workstream" in request.GET:
        if "workstream" not in filters:
            return None
        row = totals.get(filters["workstream"].pk, Totals()) if filters["workstream"] else Totals()
    else:
        row = overall(totals)
    return row.open_dated, row.open_undated


def dashboard(request):
    """Progress by workstream and by commission; the actions, late ones first.

    What the tables show is the same for every reader who asks the same question on the
    same day: rendered once and kept (DASHBOARD) until an action, a workstream or an
    owner changes (ActionsConfig.ready). The bulk form, which carries the reader's CSRF
    token, is rendered for each request."""
    today = timezone.localdate()
    can_bulk = roles.is_network_admin(request.user) or bool(
        roles.secretariat_commission_ids(request.user)
    )
    page_number = fragments.page_asked(request)
    query = request.GET.copy()
    query.pop("page", None)
    key = "|".join(
        (
            get_language() or settings.LANGUAGE_CODE,
            today.isoformat(),
            str(can_bulk),
            _mine_key(request),
            query.urlencode(),
            page_number,
        )
    )
    has_rows, content = fragments.remember(
        DASHBOARD,
        lambda: _dashboard_content(request, today, page_number, can_bulk),
        variant=hashlib.sha256(key.encode()).hexdigest(),
        timeout=DASHBOARD_SECONDS,
    )
    return render(
        request,
        "actions/dashboard.html",
        {
            "content": mark_safe(content),  # noqa: S308 - our own template's output
            "can_bulk": can_bulk,
            "bulk_form": BulkForm() if can_bulk and has_rows else None,
            "can_create": permissions.can_create_workstream(request.user),
        },
    )


def _mine_key(request) -> str:
    """What "my actions" depend on: the reader, and the organisations and commissions
    they act for (blank when the filter is not asked)."""
    if not (request.GET.get("mine") and request.user.is_authenticated):
        return ""
    represented = sorted(roles.represented_organisation_ids(request.user))
    secretariat = sorted(roles.secretariat_commission_ids(request.user))
    return f"{request.user.pk}:{represented}:{secretariat}"


def _dashboard_content(request, today, page_number: str, can_bulk: bool) -> tuple[bool, str]:
    """(whether the page lists any action, the HTML of the dashboard's tables)."""
    actions, filters = _filtered_actions(request)
    totals = by_workstream(today)
    workstreams, by_commission = _progress_by_workstream_and_commission(totals)
    ordered = (
        actions.soonest_pages(counts=_open_counts(request, filters, totals), rows=True)
        if filters["status"] == "open"
        else actions.overdue_first(today).for_rows()
    )
    page = Paginator(ordered, PAGE_SIZE).get_page(page_number or None)
    rows = table_rows(page.object_list, today)
    html = render_to_string(
        "actions/_dashboard_content.html",
        {
            "workstreams": workstreams,
            "by_commission": by_commission,
            "page": page,
            "rows": rows,
            "filters": filters,
            "statuses": ActionStatus.choices,
            "can_bulk": can_bulk,
        },
        request,
    )
    return bool(rows), str(html)


def action_detail(request, pk):
    action = _get_action(request, pk)
    can_update = permissions.can_update_action(request.user, action)
    form = UpdateForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_update:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.post_update(
                    action,
                    text=data["text"],
                    progress=data["progress"],
                    status=data["status"] or None,
                    attachment=data["attachment"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your update is posted."))
                return redirect("actions:detail", pk=action.pk)
    return render(
        request,
        "actions/detail.html",
        {
            "action": action,
            "updates": action.updates.select_related("author"),
            "form": form if can_update else None,
            "can_edit": permissions.can_edit_action(request.user, action),
        },
    )


def _action_form(request, *, initial=None, data=None):
    """Owners are chosen among the members of the commissions one manages (a short list),
    plus the current owners."""
    workstreams = managed_workstreams(request.user).prefetch_related("commissions")
    commission_ids = Commission.objects.filter(workstreams__in=workstreams).values("pk")
    initial = initial or {}
    extra_orgs = [o.pk for o in initial.get("owner_organisations", [])]
    extra_people = [p.pk for p in initial.get("owner_people", [])]
    member_ids = Organisation.objects.filter(commissions__in=commission_ids).values("pk")
    organisations = Organisation.objects.filter(Q(pk__in=member_ids) | Q(pk__in=extra_orgs))
    people = Person.objects.filter(
        Q(organisation__in=member_ids) | Q(pk__in=extra_people)
    ).select_related("organisation")
    return ActionForm(
        data,
        initial=initial,
        workstreams=workstreams,
        organisations=organisations,
        people=people,
    )


def _form_values(form) -> dict:
    data = form.cleaned_data
    return {
        "workstream": data["workstream"],
        "due_date": data["due_date"],
        "status": data["status"],
        "progress": data["progress"],
        "priority": data["priority"],
    }


@login_required
def action_create(request):
    if not permissions.can_create_workstream(request.user):
        raise PermissionDenied
    decision = None
    decision_id = request.GET.get("decision") or request.POST.get("decision")
    if decision_id:
        decision = (
            Decision.objects.select_related("meeting")
            .prefetch_related("meeting__commissions")
            .filter(pk=parse_id(str(decision_id)) or 0)
            .first()
        )
        if decision is None:
            raise Http404
        if not meetings_permissions.can_manage_meeting(request.user, decision.meeting):
            raise PermissionDenied
    initial = {}
    if decision is not None:
        initial = {
            f"title_{code}": getattr(decision, f"text_{code}") or "" for code in ("en", "fr", "es")
        }
        ws = managed_workstreams(request.user).filter(opened_by=decision.meeting).first()
        initial["workstream"] = ws
    form = _action_form(request, initial=initial, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not permissions.can_manage_workstream(request.user, data["workstream"]):
            raise PermissionDenied
        action = services.create_action(
            titles=form.translated("title"),
            descriptions=form.translated("description"),
            decision=decision,
            owner_organisations=data["owner_organisations"],
            owner_commissions=data["owner_commissions"],
            owner_people=data["owner_people"],
            actor=request.user,
            **_form_values(form),
        )
        messages.success(request, _("The action is created."))
        return redirect("actions:detail", pk=action.pk)
    return render(
        request, "actions/form.html", {"form": form, "action": None, "decision": decision}
    )


@login_required
def action_edit(request, pk):
    action = _get_action(request, pk)
    if not permissions.can_edit_action(request.user, action):
        raise PermissionDenied
    initial = {
        "workstream": action.workstream,
        "due_date": action.due_date,
        "status": action.status,
        "progress": action.progress,
        "priority": action.priority,
        "owner_organisations": list(action.owner_organisations.all()),
        "owner_commissions": list(action.owner_commissions.all()),
        "owner_people": list(action.owner_people.all()),
    }
    for code in ("en", "fr", "es"):
        initial[f"title_{code}"] = getattr(action, f"title_{code}")
        initial[f"description_{code}"] = getattr(action, f"description_{code}")
    form = _action_form(request, initial=initial, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not permissions.can_manage_workstream(request.user, data["workstream"]):
            raise PermissionDenied
        changes = _form_values(form)
        for name in ("title", "description"):
            changes |= {f"{name}_{code}": v for code, v in form.translated(name).items()}
        services.update_action(
            action,
            changes=changes,
            owner_organisations=data["owner_organisations"],
            owner_commissions=data["owner_commissions"],
            owner_people=data["owner_people"],
            actor=request.user,
        )
        messages.success(request, _("The action is saved."))
        return redirect("actions:detail", pk=action.pk)
    return render(request, "actions/form.html", {"form": form, "action": action, "decision": None})


@login_required
@require_POST
def bulk(request):
    """The same change on the actions ticked on the dashboard; all of them or none."""
    form = BulkForm(request.POST)
    ids = parse_ids(request.POST.getlist("actions"))
    actions = list(Action.objects.with_owners().filter(pk__in=ids))
    if not actions or len(actions) != len(set(ids)):
        messages.error(request, _("Tick the actions to change."))
        return redirect("actions:dashboard")
    if not all(permissions.can_edit_action(request.user, a) for a in actions):
        raise PermissionDenied
    if not form.is_valid() or not form.changes():
        messages.error(request, _("Choose what to change: status, priority or due date."))
        return redirect("actions:dashboard")
    count = services.bulk_update(actions, changes=form.changes(), actor=request.user)
    messages.success(request, _("%(count)s actions changed.") % {"count": count})
    return redirect("actions:dashboard")


def export_csv(request):
    actions, _filters = _filtered_actions(request)
    actions = actions.prefetch_related("owner_organisations", "owner_commissions").order_by("pk")
    response = HttpResponse(
        services.export_csv(actions.iterator(chunk_size=2000)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="actions.csv"'
    return response


@login_required
def import_csv(request):
    if not permissions.can_create_workstream(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_csv(
                form.cleaned_data["file"],
                workstreams=managed_workstreams(request.user),
                actor=request.user,
            )
        except ValidationError as error:
            # Rows are checked before anything is written; this is a change made meanwhile.
            result = services.ImportResult(errors=error.messages)
        if result.errors:
            errors = result.errors
        else:
            messages.success(
                request,
                _("%(created)s actions created, %(updated)s updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("actions:dashboard")
    status = 400 if errors else 200
    return render(
        request,
        "actions/import.html",
        {"form": form, "errors": errors, "columns": services.CSV_COLUMNS},
        status=status,
    )


@login_required
def workstream_create(request):
    if not permissions.can_create_workstream(request.user):
        raise PermissionDenied
    commissions = Commission.objects.all()
    if not roles.is_network_admin(request.user):
        commissions = commissions.filter(pk__in=roles.secretariat_commission_ids(request.user))
    form = WorkstreamForm(request.POST or None, commissions=commissions)
    if request.method == "POST" and form.is_valid():
        titles = {code: form.cleaned_data[f"title_{code}"] for code in ("en", "fr", "es")}
        workstream = services.create_workstream(
            titles=titles, commissions=form.cleaned_data["commissions"], actor=request.user
        )
        messages.success(request, _("The workstream is created."))
        return redirect(f"{reverse('actions:dashboard')}?workstream={workstream.pk}")
    return render(request, "actions/workstream_form.html", {"form": form})
