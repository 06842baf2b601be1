"""Every "may this person do this to this object?" of Entrevilles is answered here.

Pages, the admin back office, the API and templates all ask these functions; nothing
else decides. Each function takes the user first (anonymous users included) and
returns a bool. Role assignments are read once per request and cached on the user.
"""

from __future__ import annotations

from functools import cached_property  # noqa: F401 - documented pattern for callers
from typing import TYPE_CHECKING

from .models import Role, RoleAssignment

if TYPE_CHECKING:
    from commissions.models import Commission
    from network.models import Organisation, Person


class Scopes:
    """The roles a user holds, loaded in one query."""

    def __init__(self, user):
        self.network_admin = False
        self.secretariat: set[int] = set()
        self.presidency: set[int] = set()
        self.representative: set[int] = set()
        if user is None or not user.is_authenticated or not user.is_active:
            return
        if user.is_superuser:
            self.network_admin = True
        for role, commission_id, organisation_id in RoleAssignment.objects.filter(
            user=user
        ).values_list("role", "commission_id", "organisation_id"):
            if role == Role.NETWORK_ADMIN:
                self.network_admin = True
            elif role == Role.SECRETARIAT:
                self.secretariat.add(commission_id)
            elif role == Role.PRESIDENCY:
                self.presidency.add(commission_id)
            elif role == Role.REPRESENTATIVE:
                self.representative.add(organisation_id)


def scopes(user) -> Scopes:
    if user is None:
        return Scopes(None)
    cached = getattr(user, "_entrevilles_scopes", None)
    if cached is None:
        cached = Scopes(user)
        if user.is_authenticated:
            user._entrevilles_scopes = cached
    return cached


def forget_scopes(user) -> None:
    """Drop the cached roles after they change (tests, role grants)."""
    if user is not None and hasattr(user, "_entrevilles_scopes"):
        del user._entrevilles_scopes


def is_authenticated(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_network_admin(user) -> bool:
    return scopes(user).network_admin


def is_network_member(user) -> bool:
    """Signed-in people with any role count as members of the network for visibility."""
    if not is_authenticated(user):
        return False
    s = scopes(user)
    return bool(
        s.network_admin
        or s.secretariat
        or s.presidency
        or s.representative
        or getattr(user, "person", None) is not None
    )


def is_secretariat_of(user, commission: Commission) -> bool:
    return commission.pk in scopes(user).secretariat


def is_presidency_of(user, commission: Commission) -> bool:
    return commission.pk in scopes(user).presidency


def represents(user, organisation: Organisation) -> bool:
    return organisation.pk in scopes(user).representative


def can_read_mailbox(user) -> bool:
    return is_network_admin(user)


def can_view_contact_details(user, person: Person) -> bool:
    """Contact details follow the person's visibility choice."""
    from network.models import Visibility

    if person.contact_visibility == Visibility.PUBLIC:
        return True
    if not is_authenticated(user):
        return False
    if person.user_id is not None and person.user_id == user.pk:
        return True
    if is_network_admin(user):
        return True
    if person.contact_visibility == Visibility.MEMBERS:
        return is_network_member(user)
    # Private: only the person, administrators and whoever manages their organisation.
    return (
        person.organisation_id is not None and person.organisation_id in scopes(user).representative
    )


# --- meetings ---------------------------------------------------------------------------
# A meeting belongs to one or several commissions; their secretariats manage it. Callers
# prefetch `meeting.commissions` so that these checks cost no query.


def _commission_ids(obj) -> set[int]:
    return {commission.pk for commission in obj.commissions.all()}


def can_view_meeting(user, meeting) -> bool:
    from meetings.models import MeetingVisibility

    if meeting.visibility == MeetingVisibility.PUBLIC:
        return True
    return is_network_member(user)


def can_create_meeting(user) -> bool:
    s = scopes(user)
    return s.network_admin or bool(s.secretariat)


def can_create_meeting_for(user, commissions) -> bool:
    """A secretariat may open a meeting (joint or not) only with its own commission in it."""
    s = scopes(user)
    if s.network_admin:
        return True
    ids = {commission.pk for commission in commissions}
    return bool(ids) and bool(ids & s.secretariat)


def can_manage_meeting(user, meeting) -> bool:
    s = scopes(user)
    return s.network_admin or bool(_commission_ids(meeting) & s.secretariat)


def can_read_meeting_drafts(user, meeting) -> bool:
    """Draft minutes: the managing secretariats and the commissions' presidencies."""
    if can_manage_meeting(user, meeting):
        return True
    return bool(_commission_ids(meeting) & scopes(user).presidency)


def can_register_person(user, meeting, person) -> bool:
    """People register themselves; a representative registers its organisation's people."""
    if not is_authenticated(user) or not can_view_meeting(user, meeting):
        return False
    if can_manage_meeting(user, meeting):
        return True
    if person.user_id is not None and person.user_id == user.pk:
        return True
    return person.organisation_id is not None and represents_id(user, person.organisation_id)


def represents_id(user, organisation_id: int) -> bool:
    return organisation_id in scopes(user).representative


def can_see_participant_name(user, meeting, person) -> bool:
    """Names in participant lists follow each person's contact visibility."""
    return can_manage_meeting(user, meeting) or can_view_contact_details(user, person)


# --- actions ----------------------------------------------------------------------------
# Workstreams belong to commissions; actions have owners (organisations, commissions,
# people). Callers prefetch `workstream.commissions` and the action's owners.


def can_create_workstream(user) -> bool:
    return can_create_meeting(user)


def can_manage_workstream(user, workstream) -> bool:
    s = scopes(user)
    return s.network_admin or bool(_commission_ids(workstream) & s.secretariat)


def can_edit_action(user, action) -> bool:
    """Editing an action (title, owners, due date): its workstream's secretariats."""
    s = scopes(user)
    if s.network_admin:
        return True
    ids = {commission.pk for commission in action.owner_commissions.all()}
    if action.workstream is not None:
        ids |= _commission_ids(action.workstream)
    return bool(ids & s.secretariat)


def owns_action(user, action) -> bool:
    if not is_authenticated(user):
        return False
    s = scopes(user)
    if any(person.user_id == user.pk for person in action.owner_people.all()):
        return True
    if any(org.pk in s.representative for org in action.owner_organisations.all()):
        return True
    return any(c.pk in s.secretariat for c in action.owner_commissions.all())


def can_update_action(user, action) -> bool:
    """Posting a progress update: the owners, and whoever may edit the action."""
    return owns_action(user, action) or can_edit_action(user, action)


# --- meetings: external events (they have commissions, like meetings) ---------------------


def can_report_back(user, representation) -> bool:
    """The representing organisation's people report back; so do the event's secretariats."""
    if not is_authenticated(user):
        return False
    if can_manage_meeting(user, representation.event):
        return True
    person = representation.person
    if person is not None and person.user_id == user.pk:
        return True
    return representation.organisation_id in scopes(user).representative
