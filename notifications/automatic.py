"""Automatic follows for what already exists.

The services make people follow what they create or join (the owner of an action, a
partnership's parties, a need's city officers, a meeting's registered participants); each
app registers the same rule over its existing data (`registry.register_automatic_follows`).
Two moments need it applied to what existed before: the installation of this app on a
platform that already has actions, needs, partnerships and registrations (the data
migration), and a role granted later (a new city officer follows the needs, partnerships
and actions of their city; a new secretariat the actions of their commission).

The functions take `get_model` so that the migration can run them on its historical
models; they write in batches and never touch a follow that exists (one a person switched
off stays off).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from . import registry

BATCH = 5000
REPRESENTATIVE = "representative"
SECRETARIAT = "secretariat"


def _people_of(get_model, role: str, scope: str, user_ids) -> dict[int, set[int]]:
    """{organisation or commission id: user ids} for a role, optionally for some users."""
    rows = get_model("accounts", "RoleAssignment").objects.filter(
        role=role, **{f"{scope}__isnull": False}
    )
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    holders: dict[int, set[int]] = defaultdict(set)
    for user_id, scope_id in rows.values_list("user_id", scope).iterator():
        holders[scope_id].add(user_id)
    return holders


def _pairs(get_model, user_ids=None) -> Iterator[tuple[int, str, int]]:
    """(user id, target type, target id) for every automatic follow the data implies, as
    each app registered it."""
    if user_ids is not None:
        user_ids = list(user_ids)
    holders = registry.RoleHolders(
        representatives=_people_of(get_model, REPRESENTATIVE, "organisation_id", user_ids),
        secretariats=_people_of(get_model, SECRETARIAT, "commission_id", user_ids),
    )
    for pairs in registry.automatic_follows():
        yield from pairs(get_model, holders, user_ids)


def add_automatic_follows(
    get_model: Callable[[str, str], type], user_ids: Iterable[int] | None = None
) -> int:
    """Write the automatic follows the data implies (for everyone, or for some people);
    returns how many were considered. Existing follows, active or switched off, are kept."""
    Follow = get_model("notifications", "Follow")
    seen: set[tuple[int, str, int]] = set()
    batch: list = []
    for pair in _pairs(get_model, user_ids):
        if pair in seen:
            continue
        seen.add(pair)
        user_id, target_type, target_id = pair
        batch.append(
            Follow(user_id=user_id, target_type=target_type, target_id=target_id, automatic=True)
        )
        if len(batch) >= BATCH:
            Follow.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Follow.objects.bulk_create(batch, ignore_conflicts=True)
    return len(seen)
