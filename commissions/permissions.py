"""Who may do what with a commission: run by its secretariat; network administrators
may do everything; presidencies and representatives read what the public reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import is_network_admin, is_secretariat_of, scopes

if TYPE_CHECKING:
    from collections.abc import Collection

    from django.db.models import QuerySet

    from accounts.permissions import AnyUser
    from commissions.models import Commission, CommissionMembership


# A commission is run by its secretariat; network administrators may do everything.
# Presidencies and representatives read what the public reads.


def can_create_commission(user: AnyUser) -> bool:
    return is_network_admin(user)


def can_delete_commission(user: AnyUser, commission: Commission) -> bool:
    return is_network_admin(user)


def can_edit_commission(user: AnyUser, commission: Commission) -> bool:
    """Mandate, names, presidencies and secretariat contacts."""
    return is_network_admin(user) or is_secretariat_of(user, commission)


def can_manage_commission_members(user: AnyUser, commission: Commission) -> bool:
    return is_network_admin(user) or is_secretariat_of(user, commission)


def can_view_commission_history(user: AnyUser, commission: Commission) -> bool:
    return is_network_admin(user) or is_secretariat_of(user, commission)


def can_use_commission_back_office(user: AnyUser) -> bool:
    """Whether the admin back office shows the commission models at all."""
    return is_network_admin(user) or bool(scopes(user).secretariat)


def commissions_editable_by(user: AnyUser) -> QuerySet[Commission]:
    """The commissions `user` may edit, as a queryset (for the admin and the API)."""
    from commissions.models import Commission

    if is_network_admin(user):
        return Commission.objects.all()
    return Commission.objects.filter(pk__in=scopes(user).secretariat)


def members_answered_for(commission_ids: Collection[int]) -> QuerySet[CommissionMembership]:
    """A secretariat answers for the members of its commission: it may invite their
    representatives (registered with `accounts.invitations` in `CommissionsConfig.ready`)."""
    from commissions.models import CommissionMembership

    return CommissionMembership.objects.filter(commission_id__in=commission_ids)
