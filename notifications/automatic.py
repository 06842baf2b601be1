"""Automatic follows for what already exists.

The services make people follow what they create or join (the owner of an action, a
partnership's parties, a need's city officers, a meeting's registered participants). Two
moments need the same rule applied to what existed before: the installation of this app
on a platform that already has actions, needs, partnerships and registrations (the data
migration), and a role granted later (a new city officer follows the needs, partnerships
and actions of their city; a new secretariat the actions of their commission).

The functions take `get_model` so that the migration can run them on its historical
models; they write in batches and never touch a follow that exists (one a person switched
off stays off).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

BATCH = 5000
REPRESENTATIVE = "representative"
SECRETARIAT = "secretariat"
CANCELLED = "cancelled"


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
    """(user id, target type, target id) for every automatic follow the data implies."""
    representatives = _people_of(get_model, REPRESENTATIVE, "organisation_id", user_ids)
    secretariats = _people_of(get_model, SECRETARIAT, "commission_id", user_ids)
    organisations = list(representatives)

    needs = get_model("learning", "LearningNeed").objects.filter(city_id__in=organisations)
    for need_id, city_id in needs.values_list("pk", "city_id").iterator():
        for user_id in representatives[city_id]:
            yield user_id, "need", need_id

    parties = get_model("learning", "PartnershipParty").objects.filter(
        organisation_id__in=organisations
    )
    for partnership_id, organisation_id in parties.values_list(
        "partnership_id", "organisation_id"
    ).iterator():
        for user_id in representatives[organisation_id]:
            yield user_id, "partnership", partnership_id

    Action = get_model("actions", "Action")
    by_organisation = Action.owner_organisations.through.objects.filter(
        organisation_id__in=organisations
    )
    for action_id, organisation_id in by_organisation.values_list(
        "action_id", "organisation_id"
    ).iterator():
        for user_id in representatives[organisation_id]:
            yield user_id, "action", action_id
    by_commission = Action.owner_commissions.through.objects.filter(
        commission_id__in=list(secretariats)
    )
    for action_id, commission_id in by_commission.values_list(
        "action_id", "commission_id"
    ).iterator():
        for user_id in secretariats[commission_id]:
            yield user_id, "action", action_id

    by_person = Action.owner_people.through.objects.filter(person__user__isnull=False)
    registrations = (
        get_model("meetings", "Participation")
        .objects.filter(person__user__isnull=False)
        .exclude(status=CANCELLED)
    )
    if user_ids is not None:
        by_person = by_person.filter(person__user_id__in=list(user_ids))
        registrations = registrations.filter(person__user_id__in=list(user_ids))
    for action_id, user_id in by_person.values_list("action_id", "person__user_id").iterator():
        yield user_id, "action", action_id
    for meeting_id, user_id in registrations.values_list(
        "meeting_id", "person__user_id"
    ).iterator():
        yield user_id, "meeting", meeting_id


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
