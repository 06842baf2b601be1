"""Who may adopt and edit the learning agenda's priorities."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import (
    is_network_admin,
    is_secretariat_of,
    scopes,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.permissions import AnyUser
    from commissions.models import Commission
    from learning.models import (
        AgendaPriority,
    )


# A commission's secretariat (and the network administrators) adopt its agenda priorities;
# everyone reads them, with the published needs behind each one.


def can_adopt_agenda_priority(user: AnyUser, commission: Commission) -> bool:
    return is_network_admin(user) or is_secretariat_of(user, commission)


def can_edit_agenda_priority(user: AnyUser, priority: AgendaPriority) -> bool:
    return is_network_admin(user) or priority.commission_id in scopes(user).secretariat


def agenda_commissions_for(user: AnyUser) -> QuerySet[Commission]:
    """The commissions whose agenda this user may write, as a queryset."""
    from commissions.models import Commission

    if is_network_admin(user):
        return Commission.objects.all()
    return Commission.objects.filter(pk__in=scopes(user).secretariat)
