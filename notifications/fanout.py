"""Turning an event into one notification per follower, in the database and in batches.

Public and members-only events are fanned out by INSERT … SELECT over the follows table,
a batch of followers (by user id) per statement and transaction: the cost is a few
statements whatever the number of followers, and a worker that dies resumes from the
event's cursor. Events whose subject only some may see ask the owning app's permission
rule for each follower (such subjects, proposals and private needs, have few).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import RoleAssignment

from . import registry
from .models import Event, EventVisibility, Follow, Notification
from .unread import forget_deliveries
from .visibility import may_hear_of

BATCH_SIZE = 1000


def _targets_sql(event: Event) -> tuple[str, list]:
    clauses, params = [], []
    for target_type, target_id in event.targets:
        clauses.append("(f.target_type = %s AND f.target_id = %s)")
        params += [target_type, target_id]
    return "(" + " OR ".join(clauses) + ")", params


def _batch_end(event: Event, after: int) -> int | None:
    """The last follower id of the next batch, or None when fewer remain than a batch."""
    targets, params = _targets_sql(event)
    follow = Follow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT f.user_id FROM {follow} f WHERE f.active AND {targets} "  # noqa: S608 - table names and placeholders only
            "AND f.user_id > %s ORDER BY f.user_id LIMIT 1 OFFSET %s",
            [*params, after, BATCH_SIZE - 1],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _insert_batch(event: Event, after: int, until: int | None, now) -> None:
    targets, params = _targets_sql(event)
    follow, user = Follow._meta.db_table, get_user_model()._meta.db_table
    notification = Notification._meta.db_table
    conditions = [f"f.active AND u.is_active AND {targets} AND f.user_id > %s"]
    params.append(after)
    if until is not None:
        conditions.append("f.user_id <= %s")
        params.append(until)
    if event.actor_id is not None:
        conditions.append("f.user_id <> %s")
        params.append(event.actor_id)
    if event.visibility == EventVisibility.MEMBERS:
        # accounts.permissions.is_network_member, as a condition on the follower.
        roles = RoleAssignment._meta.db_table
        member = [
            "u.is_superuser",
            f"EXISTS (SELECT 1 FROM {roles} r WHERE r.user_id = f.user_id)",  # noqa: S608 - table names only
            *(
                f"EXISTS (SELECT 1 FROM {table} p WHERE p.{column} = f.user_id)"  # noqa: S608 - table and column names only
                for table, column in registry.member_sources()
            ),
        ]
        conditions.append("(" + " OR ".join(member) + ")")
    sql = (
        f"INSERT INTO {notification} (user_id, event_id, kind, created_at, mail_key) "  # noqa: S608 - table names and placeholders only
        # Typed constants: PostgreSQL resolves untyped parameters in a SELECT DISTINCT list.
        f"SELECT DISTINCT f.user_id, CAST(%s AS BIGINT), CAST(%s AS VARCHAR(40)), %s, '' "
        f"FROM {follow} f "
        f"JOIN {user} u ON u.id = f.user_id WHERE {' AND '.join(conditions)} "
        "ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [event.pk, event.kind, now, *params])


def _check_batch(event: Event, after: int, until: int | None, now) -> None:
    followers = Follow.objects.filter(active=True, user_id__gt=after, user__is_active=True)
    if until is not None:
        followers = followers.filter(user_id__lte=until)
    from django.db.models import Q

    condition = Q()
    for target_type, target_id in event.targets:
        condition |= Q(target_type=target_type, target_id=target_id)
    ids = set(followers.filter(condition).values_list("user_id", flat=True))
    ids.discard(event.actor_id)
    users = get_user_model().objects.filter(pk__in=ids)
    Notification.objects.bulk_create(
        [
            Notification(user=user, event=event, kind=event.kind, created_at=now)
            for user in users
            if may_hear_of(user, event)
        ],
        ignore_conflicts=True,
    )


def fan_out(event_id: int) -> bool:
    """Fan an event out to its followers; returns False when it had been done already."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None or event.fanned_out_at is not None:
        return False
    if not event.targets:
        Event.objects.filter(pk=event.pk).update(fanned_out_at=timezone.now())
        return True
    fill = _check_batch if event.visibility == EventVisibility.CHECK else _insert_batch
    after = event.fan_out_cursor
    while True:
        until = _batch_end(event, after)
        with transaction.atomic():
            fill(event, after, until, event.created_at)
            forget_deliveries()
            if until is None:
                Event.objects.filter(pk=event.pk).update(
                    fan_out_cursor=after, fanned_out_at=timezone.now()
                )
                for handler in registry.fanned_out_handlers():
                    handler(event)
                return True
            Event.objects.filter(pk=event.pk).update(fan_out_cursor=until)
        after = until


def fan_out_leftovers(older_than: timedelta = timedelta(minutes=5)) -> int:
    """Finish the events a dead worker left half done (by default, older than a few
    minutes: younger ones are still in their worker's hands)."""
    from .digests import send_event_mails

    stale = timezone.now() - older_than
    ids = list(
        Event.objects.filter(fanned_out_at=None, created_at__lt=stale).values_list("pk", flat=True)
    )
    for event_id in ids:
        fan_out(event_id)
        send_event_mails(event_id)
    return len(ids)
