"""A signed-in person's start page: what waits for them, gathered from every app.

Each section holds only what the person's roles give them: a city officer sees the
actions, needs, reports and meetings of their organisation; a secretariat the circulars
of its commissions waiting for approval and its commissions' coming meetings; a network
administrator every circular waiting for approval.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone

from accounts import permissions as roles
from circulars import permissions as circulars_permissions

# Each section shows at most this many rows; its link leads to the full list.
ROWS = 8


@dataclass
class StartPage:
    actions: list = field(default_factory=list)
    needs: list = field(default_factory=list)
    reports_due: list = field(default_factory=list)
    circulars_to_approve: list = field(default_factory=list)
    my_meetings: list = field(default_factory=list)
    commission_meetings: list = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.actions,
                self.needs,
                self.reports_due,
                self.circulars_to_approve,
                self.my_meetings,
                self.commission_meetings,
            )
        )


def _person(user):
    from network.models import Person

    return Person.objects.filter(user=user).select_related("organisation").first()


def _actions(user, person, organisations: set[int]) -> list:
    from actions.models import Action

    mine = Q(owner_organisations__in=organisations)
    if person is not None:
        mine |= Q(owner_people=person)
    return list(
        Action.objects.open()
        .filter(mine)
        .distinct()
        .select_related("workstream")
        .order_by(F("due_date").asc(nulls_last=True), "id")[:ROWS]
    )


def _needs(organisations: set[int]) -> list:
    from learning.models import LearningNeed, NeedStatus

    return list(
        LearningNeed.objects.filter(city__in=organisations)
        .exclude(status__in=[NeedStatus.WITHDRAWN, NeedStatus.MET])
        .select_related("city")
        .order_by("-created_at", "-id")[:ROWS]
    )


def _reports_due(user, organisations: set[int]) -> list:
    from learning.models import Partnership, PartnershipStatus

    soon = timezone.localdate() + timedelta(days=30)
    return list(
        Partnership.objects.filter(
            status=PartnershipStatus.ACTIVE,
            next_report_due_on__lte=soon,
            parties__organisation__in=organisations,
        )
        .distinct()
        .order_by("next_report_due_on", "id")[:ROWS]
    )


def _circulars_to_approve(user) -> list:
    from circulars.models import CircularStatus

    drafts = (
        circulars_permissions.visible_circulars(user)
        .filter(status=CircularStatus.DRAFT)
        .prefetch_related("commissions")
        .order_by("-created_at", "-id")
    )
    waiting = []
    for circular in drafts[: ROWS * 4]:
        if circulars_permissions.can_approve_circular(user, circular):
            waiting.append(circular)
            if len(waiting) == ROWS:
                break
    return waiting


def _my_meetings(person) -> list:
    from meetings.models import Participation, ParticipationStatus

    if person is None:
        return []
    return list(
        Participation.objects.filter(
            person=person,
            status__in=[ParticipationStatus.REGISTERED, ParticipationStatus.WAITING],
            meeting__ends_at__gte=timezone.now(),
        )
        .select_related("meeting")
        .order_by("meeting__starts_at", "id")[:ROWS]
    )


def _commission_meetings(commissions: set[int]) -> list:
    from meetings.models import Meeting

    if not commissions:
        return []
    return list(
        Meeting.objects.upcoming()
        .filter(commissions__in=commissions)
        .distinct()
        .order_by("starts_at", "id")[:ROWS]
    )


def start_page(user) -> StartPage:
    """What waits for `user`, each section according to their roles."""
    scopes = roles.scopes(user)
    person = _person(user)
    organisations = set(scopes.representative)
    if person is not None and person.organisation_id and scopes.representative:
        organisations.add(person.organisation_id)
    page = StartPage(
        actions=_actions(user, person, organisations),
        my_meetings=_my_meetings(person),
        commission_meetings=_commission_meetings(scopes.secretariat | scopes.presidency),
    )
    if organisations:
        page.needs = _needs(organisations)
        page.reports_due = _reports_due(user, organisations)
    if scopes.network_admin or scopes.secretariat:
        page.circulars_to_approve = _circulars_to_approve(user)
    return page
