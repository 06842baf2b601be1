"""Who may delete an account."""

from __future__ import annotations

from accounts.permissions import is_authenticated, is_network_admin

# Everyone may take their data away and delete their own account; network administrators
# delete an account on the person's request.


def can_delete_account(user, target) -> bool:
    if not is_authenticated(user):
        return False
    return user.pk == target.pk or is_network_admin(user)
