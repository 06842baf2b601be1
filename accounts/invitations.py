"""What the invitation rules of accounts learn from the apps above it.

accounts sits below the apps that hold organisations, people and commissions, and
imports none of them: each tells accounts what it knows from its `AppConfig.ready`.

Which organisations a commission's secretariat answers for: a secretariat may invite the
representatives of the organisations it answers for, the members of its commissions and
the parties to the partnerships those commissions facilitate (`permissions.can_invite`).
Each app that holds such links registers a function that takes commission ids and gives
a query of rows naming, in their `organisation_id`, the organisations the secretariats of
those commissions answer for.

The directory: an invitation may name the organisation a representative will act for
and the directory entry the new login belongs to. The directory registers the
`Directory` that finds them, checks them and links the login once the invitation is
accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

if TYPE_CHECKING:
    from django.db.models import Model

    from .models import Invitation, User

type InvitableRows = Callable[[Collection[int]], QuerySet[Any]]

_sources: list[InvitableRows] = []


def register_invitable(rows: InvitableRows) -> InvitableRows:
    """Count the organisations named by `rows(commission_ids)` among those the
    secretariats of these commissions answer for (once, however often registered);
    returns it, so that it can decorate a function."""
    if rows not in _sources:
        _sources.append(rows)
    return rows


def invitable_rows(commission_ids: Collection[int]) -> list[QuerySet[Any]]:
    """One query per registered source, in the order of registration: the rows naming
    the organisations the secretariats of these commissions answer for."""
    return [rows(commission_ids) for rows in _sources]


class Directory(Protocol):
    """The organisations and people an invitation may name. A person is the directory's
    own object, which accounts does not name: `Any` here."""

    def organisations(self) -> QuerySet[Any]:
        """Every organisation of the directory, in the order to list them."""
        ...

    def person(self, person_id: int) -> Model | None:
        """The directory entry with this id, if there is one."""
        ...

    def invitation_initial(self, person: Any) -> dict[str, Any]:
        """What an invitation to this entry starts with (address, language, organisation)."""
        ...

    def check_invitee(self, user: User, person: Any, email: str) -> None:
        """Raise a ValidationError unless `user` may attach the login invited at `email`
        to this entry."""
        ...

    def link_login(self, invitation: Invitation, user: User) -> None:
        """Attach the login that accepted the invitation to its directory entry, if one
        is free for it."""
        ...


_directory: list[Directory] = []


def register_directory(directory: Directory) -> None:
    """The directory that invitations name organisations and people of (one: the last
    registered)."""
    _directory[:] = [directory]


def directory() -> Directory:
    if not _directory:
        raise ImproperlyConfigured("No directory is registered with accounts.invitations.")
    return _directory[0]
