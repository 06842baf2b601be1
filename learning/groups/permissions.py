"""Who may see and run learning groups, their sessions and conclusions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import (
    is_any_secretariat,
    is_network_admin,
    scopes,
)
from actions.permissions import can_manage_workstream

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.permissions import AnyUser
    from actions.models import Workstream
    from commissions.models import Commission
    from learning.models import (
        GroupConclusion,
        GroupSession,
        LearningGroup,
    )


# A learning group is run by its facilitating commission's secretariat and the network
# administrators. Public groups are read by everyone; a members-only group by its member
# organisations' representatives, its secretariat and the administrators.


def visible_learning_groups(user: AnyUser) -> QuerySet[LearningGroup]:
    """The learning groups this user may read, as a queryset."""
    from django.db.models import Q

    from learning.models import GroupMembership, GroupVisibility, LearningGroup

    if is_network_admin(user):
        return LearningGroup.objects.all()
    s = scopes(user)
    condition = Q(visibility=GroupVisibility.PUBLIC)
    if s.secretariat:
        condition |= Q(facilitating_commission_id__in=s.secretariat)
    if s.representative:
        condition |= Q(
            pk__in=GroupMembership.objects.filter(organisation_id__in=s.representative).values(
                "group_id"
            )
        )
    return LearningGroup.objects.filter(condition)


def can_create_learning_group(user: AnyUser) -> bool:
    """Administrators, and secretariats (for the commissions they run)."""
    return is_network_admin(user) or is_any_secretariat(user)


def learning_group_commissions(user: AnyUser) -> QuerySet[Commission]:
    """The commissions this user may make a learning group's facilitator."""
    from commissions.models import Commission

    if is_network_admin(user):
        return Commission.objects.all()
    return Commission.objects.filter(pk__in=scopes(user).secretariat)


def can_manage_learning_group(user: AnyUser, group: LearningGroup) -> bool:
    """Members, sessions and conclusions: the facilitating commission's secretariat."""
    s = scopes(user)
    return s.network_admin or group.facilitating_commission_id in s.secretariat


def can_edit_group_session(user: AnyUser, session: GroupSession) -> bool:
    """Whoever may record a group's sessions may correct them."""
    return can_manage_learning_group(user, session.group)


def can_edit_group_conclusion(user: AnyUser, conclusion: GroupConclusion) -> bool:
    """Whoever may record a group's conclusions may correct them."""
    return can_manage_learning_group(user, conclusion.group)


def can_turn_conclusion_into_action(
    user: AnyUser, conclusion: GroupConclusion, workstream: Workstream
) -> bool:
    """Whoever manages the group, into a workstream they manage, once per conclusion."""
    return (
        conclusion.action_id is None
        and can_manage_learning_group(user, conclusion.group)
        and can_manage_workstream(user, workstream)
    )


def action_workstreams_for(user: AnyUser) -> QuerySet[Workstream]:
    """The workstreams this user may add a conclusion's action to."""
    from actions.models import Workstream

    if is_network_admin(user):
        return Workstream.objects.all()
    return Workstream.objects.filter(commissions__in=scopes(user).secretariat).distinct()
