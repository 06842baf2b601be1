"""A meeting's page, its participants and open actions, and registration."""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import permissions as roles
from actions.tables import table_rows
from commissions.models import CommissionMembership
from entrevilles import fragments, languages
from entrevilles.errors import error_text
from meetings import permissions
from network import permissions as network_permissions
from network.models import Person

from .. import services
from ..models import SEATED, Minutes, Participation, ParticipationStatus
from ..statistics import participant_statistics
from .common import _get_meeting_for_user

# The meeting page lists its participants 50 at a time, grouped by organisation.
PARTICIPANTS_PER_PAGE = 50

# The meeting page lists the open actions due soonest; the dashboard has all of them.
OPEN_ACTIONS_SHOWN = 25

# A meeting's page as visitors see it (meeting_detail), kept until its data changes.
PAGES = "meetings:pages"
PAGES_SECONDS = 60


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
        fragments.page_asked(request, "participants")
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
    """A meeting's page. What visitors (not signed in) see is the same for all of them:
    rendered once per page of participants and language, and kept (PAGES) until the
    meeting, its participants, its record or the open actions of its commissions change
    (meetings.apps), and at most PAGES_SECONDS (a meeting becomes past as time goes by)."""
    if request.user.is_authenticated:
        meeting = _get_meeting_for_user(request, pk)
        title, content = str(meeting.title), _meeting_content(request, meeting)
    else:
        title, content = fragments.for_visitors(
            request,
            PAGES,
            lambda: _visitors_page(request, pk),
            pk,
            fragments.page_asked(request, "participants"),
            timeout=PAGES_SECONDS,
        )
    return fragments.render_page(request, "meetings/detail.html", title, content)


def _visitors_page(request, pk) -> tuple[str | None, str]:
    """(title, HTML) of the page as visitors see it; (None, "") when they may not see it
    (no such meeting, or one for members only)."""
    try:
        meeting = _get_meeting_for_user(request, pk)
    except Http404:
        return None, ""
    return str(meeting.title), _meeting_content(request, meeting)


def _meeting_content(request, meeting) -> str:
    """The HTML of the page's content for this reader."""
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
    html = render_to_string(
        "meetings/_detail_content.html",
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
        request,
    )
    return str(html)


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
