"""Who may manage workstreams and edit or update actions. Workstreams belong to
commissions; actions have owners (organisations, commissions, people). Callers prefetch
`workstream.commissions` and the action's owners.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import commission_ids_of, is_authenticated, scopes
from meetings.permissions import can_create_meeting

if TYPE_CHECKING:
    from accounts.permissions import AnyUser
    from actions.models import Action, ActionUpdate, Workstream

# Workstreams belong to commissions; actions have owners (organisations, commissions,
# people). Callers prefetch `workstream.commissions` and the action's owners.


def can_create_workstream(user: AnyUser) -> bool:
    return can_create_meeting(user)


def can_manage_workstream(user: AnyUser, workstream: Workstream) -> bool:
    s = scopes(user)
    return s.network_admin or bool(commission_ids_of(workstream) & s.secretariat)


def can_edit_action(user: AnyUser, action: Action) -> bool:
    """Editing an action (title, owners, due date): its workstream's secretariats."""
    s = scopes(user)
    if s.network_admin:
        return True
    ids = {commission.pk for commission in action.owner_commissions.all()}
    if action.workstream is not None:
        ids |= commission_ids_of(action.workstream)
    return bool(ids & s.secretariat)


def owns_action(user: AnyUser, action: Action) -> bool:
    if not is_authenticated(user):
        return False
    s = scopes(user)
    if any(person.user_id == user.pk for person in action.owner_people.all()):
        return True
    if any(org.pk in s.representative for org in action.owner_organisations.all()):
        return True
    return any(c.pk in s.secretariat for c in action.owner_commissions.all())


def can_update_action(user: AnyUser, action: Action) -> bool:
    """Posting a progress update: the owners, and whoever may edit the action."""
    return owns_action(user, action) or can_edit_action(user, action)


def can_download_action_update_attachment(user: AnyUser, update: ActionUpdate) -> bool:
    """The action plan and its log are public, as the action pages are."""
    return True
