"""The list of partnerships, a partnership's page and the lookup of partnerships."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts import permissions as roles
from accounts.models import Role
from learning import pages
from learning.models import LearningNote, PartnershipParty, PartnershipStatus
from learning.needs.permissions import visible_learning_needs
from learning.partnerships import permissions, services
from learning.partnerships.forms import ActivityForm, MilestoneForm, OutcomesForm
from learning.partnerships.permissions import visible_partnerships
from library.models import Experience
from network.models import Organisation, normalise_for_search

from .common import _partnership_for

PER_PAGE = 25
LOOKUP_LIMIT = 20


def partnership_list(request):
    """The partnerships one may see, by status."""
    partnerships = visible_partnerships(request.user).select_related("facilitating_commission")
    status = request.GET.get("status", "")
    if status in PartnershipStatus.values:
        partnerships = partnerships.filter(status=status)
    page = Paginator(partnerships.order_by("-created_at", "-id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    parties = {}
    for party in PartnershipParty.objects.filter(
        partnership__in=[p.pk for p in page.object_list]
    ).select_related("organisation"):
        parties.setdefault(party.partnership_id, []).append(party)
    rows = [(p, parties.get(p.pk, [])) for p in page.object_list]
    return render(
        request,
        "learning/partnership_list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": PartnershipStatus.choices,
            "can_propose": permissions.can_propose_partnership(request.user),
        },
    )


def partnership_detail(request, pk):
    """A partnership's page. What visitors see is rendered once per language and kept
    until a row it shows changes (learning.pages)."""
    title, content = pages.for_visitors(
        request, pages.PARTNERSHIP, lambda: _partnership_content(request, pk)
    )
    if title is None:
        raise Http404
    return render(
        request,
        "learning/partnership_detail.html",
        # Our own template's output.
        {"title": title, "content": mark_safe(content)},  # noqa: S308
    )


def _partnership_content(request, pk) -> tuple[str | None, str]:
    """(title, HTML) of the page for this reader; (None, "") when they may not see it."""
    try:
        partnership = _partnership_for(request, pk)
    except Http404:
        return None, ""
    user = request.user
    parties = list(partnership.parties.all())
    can_reports = permissions.can_view_partnership_reports(user, partnership)
    reports, periods_open, late = [], [], False
    if can_reports:
        reports = list(
            partnership.reports.select_related("organisation").prefetch_related(
                "scores__criterion", "indicator_values__indicator"
            )
        )
        periods_open = services.open_periods(partnership) if partnership.status == "active" else []
        due = partnership.next_report_due_on
        late = bool(due and partnership.status == "active" and due < services.late_since())
    note = LearningNote.objects.filter(partnership=partnership).first()
    if note is not None and not permissions.can_view_learning_note(user, note):
        note = None
    can_plan = permissions.can_plan_partnership(user, partnership)
    unreachable = services.unreachable_party_ids(parties)
    for party in parties:
        party.unreachable = party.pk in unreachable
        # A way to reach it: inviting a representative, for those who may.
        party.can_invite_representative = party.unreachable and roles.can_invite(
            user, Role.REPRESENTATIVE, organisation=party.organisation
        )
    context = {
        "partnership": partnership,
        "parties": parties,
        "answerable": [p for p in parties if permissions.can_respond_to_partnership(user, p)],
        "history": partnership.status_changes.select_related("changed_by"),
        "milestones": partnership.milestones.all(),
        "activities": partnership.activities.select_related("milestone").prefetch_related(
            "participants"
        ),
        "can_plan": can_plan,
        "activity_form": ActivityForm(partnership=partnership) if can_plan else None,
        "milestone_form": MilestoneForm() if can_plan else None,
        "transitions": [
            (value, PartnershipStatus(value).label)
            for value in services.allowed_transitions(partnership)
        ]
        if permissions.can_change_partnership_status(user, partnership)
        else [],
        "can_reports": can_reports,
        "reports": reports,
        "periods_open": periods_open,
        "late": late,
        "can_file_report": permissions.can_file_report(user, partnership) and bool(periods_open),
        "evaluations": partnership.evaluations.select_related("organisation")
        if permissions.can_view_evaluations(user, partnership)
        else [],
        "can_evaluate": permissions.can_evaluate_partnership(user, partnership),
        "can_edit_outcomes": permissions.can_edit_outcomes(user, partnership),
        "outcomes_form": OutcomesForm(initial={"outcomes": partnership.outcomes}),
        "note": note,
        "can_write_note": permissions.can_write_learning_note(user, partnership),
        "needs": visible_learning_needs(user)
        .filter(partnerships=partnership)
        .select_related("city"),
        "experiences": Experience.objects.published().filter(partnerships=partnership),
    }
    html = render_to_string("learning/_partnership_detail_content.html", context, request)
    return str(partnership.title), str(html)


@login_required
def partnership_lookup(request):
    """Checkboxes for up to 20 organisations whose name contains the words typed (htmx)."""
    if not permissions.can_propose_partnership(request.user):
        raise PermissionDenied
    field = request.GET.get("field", "")
    if field not in ("learners", "mentors"):
        return HttpResponseBadRequest(_("Unknown field."))
    text = request.GET.get("lookup-q", "").strip()[:100]
    words = normalise_for_search(text).split()[:5]
    found = []
    if len(text) >= 2 and words:
        queryset = Organisation.objects.all()
        for word in words:
            queryset = queryset.filter(search_name__contains=word)
        found = list(queryset.order_by("search_name", "id")[:LOOKUP_LIMIT])
    return render(request, "library/_lookup.html", {"found": found, "field": field, "text": text})
