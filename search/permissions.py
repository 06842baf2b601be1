"""Who may edit the glossary of the search."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import is_any_secretariat, is_network_admin

if TYPE_CHECKING:
    from accounts.permissions import AnyUser


def can_manage_glossary(user: AnyUser) -> bool:
    """The secretariat extends the search glossary and the taxonomies."""
    return is_network_admin(user) or is_any_secretariat(user)
