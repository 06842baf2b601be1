"""Who may see and act on partnerships: proposals, the plan, monitoring reports and
evaluations, outcomes and the learning note; the monitoring criteria."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import (
    is_network_admin,
    scopes,
)
from actions.permissions import can_manage_workstream

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

    from django.db.models import QuerySet

    from accounts.permissions import AnyUser
    from actions.models import Workstream
    from commissions.models import Commission
    from learning.models import (
        LearningNote,
        MonitoringReport,
        Partnership,
        PartnershipParty,
        RoadmapItem,
    )


# Partnerships that have been agreed are public; proposals are seen by their parties, the
# facilitating commission's secretariat and the network administrators.


def visible_partnerships(user: AnyUser) -> QuerySet[Partnership]:
    """The partnerships this user may read, as a queryset."""
    from django.db.models import Q

    from learning.models import Partnership, PartnershipParty, PartnershipStatus

    if is_network_admin(user):
        return Partnership.objects.all()
    s = scopes(user)
    condition = ~Q(status=PartnershipStatus.PROPOSED)
    if s.secretariat:
        condition |= Q(facilitating_commission_id__in=s.secretariat)
    if s.representative:
        condition |= Q(
            pk__in=PartnershipParty.objects.filter(organisation_id__in=s.representative).values(
                "partnership_id"
            )
        )
    return Partnership.objects.filter(condition)


def parties_answered_for(commission_ids: Collection[int]) -> QuerySet[PartnershipParty]:
    """A secretariat answers for the parties to the partnerships its commission facilitates:
    it may invite their representatives, so that a party nobody can receive yet gets one
    (registered with `accounts.invitations` in `LearningConfig.ready`)."""
    from learning.models import PartnershipParty

    return PartnershipParty.objects.filter(
        partnership__facilitating_commission_id__in=commission_ids
    )


def _party_ids(partnership: Partnership) -> set[int]:
    """The organisations of a partnership (callers prefetch `parties`)."""
    return {party.organisation_id for party in partnership.parties.all()}


def manages_partnership(user: AnyUser, partnership: Partnership) -> bool:
    """Network administrators, and the secretariat of the facilitating commission."""
    if is_network_admin(user):
        return True
    commission_id = partnership.facilitating_commission_id
    return commission_id is not None and commission_id in scopes(user).secretariat


def is_partnership_party(user: AnyUser, partnership: Partnership) -> bool:
    """Represents one of the partnership's organisations."""
    return bool(_party_ids(partnership) & scopes(user).representative)


def can_propose_partnership(user: AnyUser) -> bool:
    """Secretariats (for their commissions), and city officers (with their city as a party)."""
    s = scopes(user)
    return s.network_admin or bool(s.secretariat) or bool(s.representative)


def can_propose_partnership_with(
    user: AnyUser, commission: Commission | None, organisation_ids: Iterable[int]
) -> bool:
    """A proposal is made by the facilitating commission's secretariat, or by a party."""
    s = scopes(user)
    if s.network_admin:
        return True
    if commission is not None and commission.pk in s.secretariat:
        return True
    return bool(set(organisation_ids) & s.representative)


def can_respond_to_partnership(user: AnyUser, party: PartnershipParty) -> bool:
    """A party's representatives answer a proposal for their organisation."""
    from learning.models import PartnershipStatus

    return (
        party.partnership.status == PartnershipStatus.PROPOSED
        and party.organisation_id in scopes(user).representative
    )


def can_change_partnership_status(user: AnyUser, partnership: Partnership) -> bool:
    return manages_partnership(user, partnership)


def can_plan_partnership(user: AnyUser, partnership: Partnership) -> bool:
    """Milestones and activities: the parties and the secretariat, while agreed or active."""
    from learning.models import PartnershipStatus

    if partnership.status not in (PartnershipStatus.AGREED, PartnershipStatus.ACTIVE):
        return False
    return manages_partnership(user, partnership) or is_partnership_party(user, partnership)


def can_view_partnership_reports(user: AnyUser, partnership: Partnership) -> bool:
    """Monitoring reports stay within the partnership, its commission and the network."""
    if manages_partnership(user, partnership) or is_partnership_party(user, partnership):
        return True
    commission_id = partnership.facilitating_commission_id
    return commission_id is not None and commission_id in scopes(user).presidency


def can_file_report(user: AnyUser, partnership: Partnership) -> bool:
    """A party files reports for its own partnerships, while they are active."""
    from learning.models import PartnershipStatus

    return partnership.status == PartnershipStatus.ACTIVE and is_partnership_party(
        user, partnership
    )


def can_revise_report(user: AnyUser, report: MonitoringReport) -> bool:
    from learning.models import ReportStatus

    return (
        report.status == ReportStatus.MORE_REQUESTED
        and report.organisation_id in scopes(user).representative
    )


def can_comment_report(user: AnyUser, report: MonitoringReport) -> bool:
    return manages_partnership(user, report.partnership)


def can_evaluate_partnership(user: AnyUser, partnership: Partnership) -> bool:
    """Each party evaluates a partnership once it has ended."""
    from learning.models import PartnershipStatus

    return partnership.status in (
        PartnershipStatus.COMPLETED,
        PartnershipStatus.CLOSED_EARLY,
    ) and is_partnership_party(user, partnership)


def can_view_evaluations(user: AnyUser, partnership: Partnership) -> bool:
    return can_view_partnership_reports(user, partnership)


def can_edit_outcomes(user: AnyUser, partnership: Partnership) -> bool:
    from learning.models import PartnershipStatus

    return partnership.status != PartnershipStatus.PROPOSED and (
        manages_partnership(user, partnership) or is_partnership_party(user, partnership)
    )


def can_write_learning_note(user: AnyUser, partnership: Partnership) -> bool:
    """The parties and the secretariat write the note once the partnership has ended."""
    from learning.models import PartnershipStatus

    if partnership.status not in (PartnershipStatus.COMPLETED, PartnershipStatus.CLOSED_EARLY):
        return False
    return manages_partnership(user, partnership) or is_partnership_party(user, partnership)


def can_publish_learning_note(user: AnyUser, note: LearningNote) -> bool:
    """The facilitating secretariat publishes a note to the knowledge base."""
    from learning.models import NoteStatus

    return note.status == NoteStatus.DRAFT and manages_partnership(user, note.partnership)


def can_view_learning_note(user: AnyUser, note: LearningNote) -> bool:
    from learning.models import NoteStatus

    if note.status == NoteStatus.PUBLISHED:
        return True
    return manages_partnership(user, note.partnership) or is_partnership_party(
        user, note.partnership
    )


def can_turn_roadmap_into_action(user: AnyUser, item: RoadmapItem, workstream: Workstream) -> bool:
    """The facilitating secretariat adds a roadmap item to a workstream it manages."""
    return (
        item.note.status == "published"
        and manages_partnership(user, item.note.partnership)
        and can_manage_workstream(user, workstream)
    )


def visible_learning_notes(user: AnyUser) -> QuerySet[LearningNote]:
    """The learning notes this user may read, as a queryset."""
    from django.db.models import Q

    from learning.models import LearningNote, NoteStatus

    if is_network_admin(user):
        return LearningNote.objects.all()
    s = scopes(user)
    condition = Q(status=NoteStatus.PUBLISHED)
    if s.secretariat:
        condition |= Q(partnership__facilitating_commission_id__in=s.secretariat)
    if s.representative:
        condition |= Q(partnership__parties__organisation_id__in=s.representative)
    return LearningNote.objects.filter(condition).distinct()


def partnerships_with_reports_for(user: AnyUser) -> QuerySet[Partnership]:
    """The partnerships whose reports this user may read (monitoring panels, the API)."""
    from django.db.models import Q

    from learning.models import Partnership, PartnershipParty

    if is_network_admin(user):
        return Partnership.objects.all()
    s = scopes(user)
    commissions = s.secretariat | s.presidency
    condition = Q(pk__in=[])
    if commissions:
        condition |= Q(facilitating_commission_id__in=commissions)
    if s.representative:
        condition |= Q(
            pk__in=PartnershipParty.objects.filter(organisation_id__in=s.representative).values(
                "partnership_id"
            )
        )
    return Partnership.objects.filter(condition)


def can_manage_monitoring_criteria(user: AnyUser) -> bool:
    """The network sets the self-assessment criteria and the indicators, for every partnership."""
    return is_network_admin(user)
