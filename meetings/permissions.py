"""Who may see and manage meetings, their minutes, participants and the network's
representation at external events. A meeting belongs to one or several commissions;
their secretariats manage it. Callers prefetch `meeting.commissions`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import (
    commission_ids_of,
    is_authenticated,
    is_network_member,
    represents_id,
    scopes,
)
from network.permissions import can_view_contact_details

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.permissions import AnyUser
    from commissions.models import Commission
    from meetings.models import ExternalEvent, Meeting, ReportDocument, Representation
    from network.models import Person


def can_view_meeting(user: AnyUser, meeting: Meeting) -> bool:
    from meetings.models import MeetingVisibility

    if meeting.visibility == MeetingVisibility.PUBLIC:
        return True
    return is_network_member(user)


def can_create_meeting(user: AnyUser) -> bool:
    s = scopes(user)
    return s.network_admin or bool(s.secretariat)


def can_create_meeting_for(user: AnyUser, commissions: Iterable[Commission]) -> bool:
    """A secretariat may open a meeting (joint or not) only with its own commission in it."""
    s = scopes(user)
    if s.network_admin:
        return True
    ids = {commission.pk for commission in commissions}
    return bool(ids) and bool(ids & s.secretariat)


def can_manage_meeting(user: AnyUser, meeting: Meeting | ExternalEvent) -> bool:
    s = scopes(user)
    return s.network_admin or bool(commission_ids_of(meeting) & s.secretariat)


def can_read_meeting_drafts(user: AnyUser, meeting: Meeting) -> bool:
    """Draft minutes: the managing secretariats and the commissions' presidencies."""
    if can_manage_meeting(user, meeting):
        return True
    return bool(commission_ids_of(meeting) & scopes(user).presidency)


def can_register_person(user: AnyUser, meeting: Meeting, person: Person) -> bool:
    """People register themselves; a representative registers its organisation's people."""
    if not is_authenticated(user) or not can_view_meeting(user, meeting):
        return False
    if can_manage_meeting(user, meeting):
        return True
    if person.user_id is not None and person.user_id == user.pk:
        return True
    return person.organisation_id is not None and represents_id(user, person.organisation_id)


def can_see_participant_name(user: AnyUser, meeting: Meeting, person: Person) -> bool:
    """Names in participant lists follow each person's contact visibility."""
    return can_manage_meeting(user, meeting) or can_view_contact_details(user, person)


def can_invite_to_meeting(user: AnyUser, meeting: Meeting) -> bool:
    """Inviting chosen organisations and people: the meeting's commission secretariats and
    the network administrators."""
    return is_authenticated(user) and can_manage_meeting(user, meeting)


def can_report_back(user: AnyUser, representation: Representation) -> bool:
    """The representing organisation's people report back; so do the event's secretariats."""
    if not is_authenticated(user):
        return False
    if can_manage_meeting(user, representation.event):
        return True
    person = representation.person
    if person is not None and person.user_id == user.pk:
        return True
    return representation.organisation_id in scopes(user).representative


def can_link_representation_documents(user: AnyUser, representation: Representation) -> bool:
    """Documents of a mandate or report back: whoever may write the report back (the
    representatives and the event's secretariats, network administrators included)."""
    return can_report_back(user, representation)


def can_download_meeting_report(user: AnyUser, report: ReportDocument) -> bool:
    return can_view_meeting(user, report.meeting)
