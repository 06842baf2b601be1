"""Who may delete an account."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import is_authenticated, is_network_admin

if TYPE_CHECKING:
    from accounts.models import User
    from accounts.permissions import AnyUser

# Everyone may take their data away and delete their own account; network administrators
# delete an account on the person's request.


def can_delete_account(user: AnyUser, target: User) -> bool:
    if not is_authenticated(user):
        return False
    return user.pk == target.pk or is_network_admin(user)
