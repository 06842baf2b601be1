"""Which organisations a commission's secretariat answers for, as the apps that know tell it.

A secretariat may invite the representatives of the organisations it answers for: the
members of its commissions and the parties to the partnerships those commissions
facilitate (`permissions.can_invite`). accounts sits below the apps that hold those
links and imports none of them: each registers here, from its `AppConfig.ready`, a
function that takes commission ids and gives a query of rows naming, in their
`organisation_id`, the organisations the secretariats of those commissions answer for.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from django.db.models import QuerySet

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
