"""Every write to notifications: following, automatic follows, reading, preferences."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from audit.services import record

from .models import EventKind, Follow, Frequency, Notification, Preference
from .targets import find_target
from .unread import forget_unread_count

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def follow(target_type: str, target_id: int, *, actor: User) -> Follow:
    """`actor` follows a thing they may see; following it again changes nothing."""
    obj = find_target(actor, target_type, target_id)
    if obj is None:
        raise ValidationError(_("There is nothing to follow here."))
    row, created = Follow.objects.get_or_create(
        user=actor, target_type=target_type, target_id=obj.pk
    )
    if created or not row.active:
        row.active = True
        row.save(update_fields=["active"])
        record(
            "notifications.follow.added",
            row,
            actor=actor,
            after={"target": f"{target_type}:{obj.pk}"},
        )
    return row


@transaction.atomic
def unfollow(target_type: str, target_id: int, *, actor: User) -> None:
    """Stop following; an automatic follow is kept switched off so that it is not added again."""
    row = Follow.objects.filter(user=actor, target_type=target_type, target_id=target_id).first()
    if row is None or not row.active:
        return
    if row.automatic:
        row.active = False
        row.save(update_fields=["active"])
    else:
        row.delete()
    record(
        "notifications.follow.removed",
        row,
        actor=actor,
        before={"target": f"{target_type}:{target_id}"},
    )


def follow_automatically(user_ids: Iterable[int], target_type: str, target_id: int) -> int:
    """Make these people follow a thing, unless they already do or once stopped.

    Called by the services of other apps inside their transaction, through their
    `notifying.py` (the owner of an action, a partnership's parties, a need's city
    officers, a meeting's registered participants).
    """
    rows = [
        Follow(user_id=user_id, target_type=target_type, target_id=target_id, automatic=True)
        for user_id in set(user_ids)
        if user_id
    ]
    Follow.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def representatives_of(organisation_ids: Iterable[int]) -> list[int]:
    """The users holding the representative role of these organisations."""
    return list(
        RoleAssignment.objects.filter(
            role=Role.REPRESENTATIVE, organisation_id__in=list(organisation_ids)
        ).values_list("user_id", flat=True)
    )


def secretariats_of(commission_ids: Iterable[int]) -> list[int]:
    """The users holding the secretariat role of these commissions."""
    return list(
        RoleAssignment.objects.filter(
            role=Role.SECRETARIAT, commission_id__in=list(commission_ids)
        ).values_list("user_id", flat=True)
    )


def mark_read(*, actor: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or, without ids, all) of `actor`'s notifications read; returns how many.

    Not audited: reading is not a change to the network's data.
    """
    unread = Notification.objects.filter(user=actor, read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    marked = unread.update(read_at=timezone.now())
    if marked:
        forget_unread_count(actor.pk)
    return marked


@transaction.atomic
def set_preferences(choices: dict[str, str], *, actor: User) -> None:
    """Set how `actor` hears of each kind of event by e-mail (the daily digest by default)."""
    for kind, frequency in choices.items():
        EventKind(kind)
        Frequency(frequency)
    before = dict(Preference.objects.filter(user=actor).values_list("kind", "frequency"))
    for kind, frequency in choices.items():
        Preference.objects.update_or_create(
            user=actor, kind=kind, defaults={"frequency": frequency}
        )
    after = dict(Preference.objects.filter(user=actor).values_list("kind", "frequency"))
    if before != after:
        record("notifications.preferences.changed", actor, actor=actor, before=before, after=after)


def preferences_of(user: User) -> dict[str, str]:
    """Every kind of event with the person's frequency (the default where they chose none)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "frequency"))
    return {kind: chosen.get(kind, Frequency.DAILY) for kind in EventKind.values}
