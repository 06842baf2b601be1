"""The delivery rows' states: each recipient's row claimed, recovered and recorded, one
conditional UPDATE per step (the state machine is described in the package)."""

from __future__ import annotations

import functools
import logging
import time
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import OperationalError, transaction
from django.db import connection as db_connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Circular,
    Delivery,
    DeliveryStatus,
    Suppression,
    SuppressionReason,
    delivery_message_id,
)

log = logging.getLogger(__name__)

BATCH_SIZE = 200
# A claimed row not handed over within this time belongs to a dead worker.
LEASE = timedelta(minutes=5)
# Waits before the 2nd, 3rd, ... attempt after a temporary failure; then it has failed.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


# --- transient database locks ------------------------------------------------------------


def _locked(error: Exception) -> bool:
    return "locked" in str(error).lower()


def retry_when_locked(function):
    """Run a database step again, a few times, when the database says it is locked.

    SQLite answers "database is locked" once its busy timeout is spent, and "database
    table is locked" (shared cache, no busy timeout at all) at once; either would end the
    run with claimed rows left for the lease to recover. Each step is its own transaction,
    so running it again is safe; inside a caller's transaction the error is left to it.
    """

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        for attempt in range(8):
            try:
                return function(*args, **kwargs)
            except OperationalError as error:
                if not _locked(error) or attempt == 7 or db_connection.in_atomic_block:
                    raise
                log.warning("%s: database locked, trying again", function.__name__)
                time.sleep(0.02 * 2**attempt)
        raise AssertionError("unreachable")

    return wrapper


# --- fixing the recipients ----------------------------------------------------------------


def fix_recipients(circular: Circular) -> int:
    """One queued Delivery per address of the audience, now; returns how many.

    Called inside the transaction that starts the sending, so the list and the status
    change are one. Rows are inserted in chunks; a second call adds nothing (unique
    per circular and address).
    """
    from ..audiences import recipients

    rows = (
        recipients(circular)
        .order_by("address", "pk")
        .values_list(
            "address", "pk", "first_name", "last_name", "preferred_language", "organisation__name"
        )
    )
    chunk: list[Delivery] = []
    now = timezone.now()
    for address, person_id, first, last, preferred, organisation in rows.iterator(chunk_size=5000):
        preferred = preferred if preferred in settings.LANGUAGE_CODES else "en"
        chunk.append(
            Delivery(
                circular_id=circular.pk,
                person_id=person_id,
                email=address,
                name=f"{first} {last}".strip()[:250],
                organisation_name=(organisation or "")[:250],
                language=circular.language_for(preferred),
                preferred_language=preferred,
                next_attempt_at=now,
            )
        )
        if len(chunk) >= 2000:
            Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
            chunk = []
    if chunk:
        Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
    return Delivery.objects.filter(circular_id=circular.pk).count()


# --- claims and recovery ------------------------------------------------------------------


@retry_when_locked
def recover_stale(circular_id: int, now: datetime | None = None) -> tuple[int, int]:
    """Rows a dead worker left behind: `sending` past the lease are queued again (nothing
    of them reached the server); `handed` past the lease become `unconfirmed`."""
    now = now or timezone.now()
    stale = Q(circular_id=circular_id, claimed_at__lt=now - LEASE)
    # Due at once (never later than the real clock, when a caller looks ahead in time).
    due = min(now, timezone.now())
    requeued = Delivery.objects.filter(stale, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.QUEUED, claim="", next_attempt_at=due, updated_at=now
    )
    unconfirmed = Delivery.objects.filter(stale, status=DeliveryStatus.HANDED).update(
        status=DeliveryStatus.UNCONFIRMED,
        smtp_reply=_("The worker stopped while handing the message over; assumed delivered."),
        updated_at=now,
    )
    return requeued, unconfirmed


@retry_when_locked
def claim_batch(
    circular_id: int, token: str, size: int = BATCH_SIZE, now: datetime | None = None
) -> list[Claimed]:
    """Claim up to `size` due rows for the worker holding `token`, and return them."""
    now = now or timezone.now()
    quote = db_connection.ops.quote_name
    table = quote(Delivery._meta.db_table)
    columns = ", ".join(
        f"{table}.{quote(Delivery._meta.get_field(name).column)}" for name in _CLAIMED_FIELDS
    )
    status, pk = quote("status"), quote("id")
    # PostgreSQL: rows another worker is claiming are skipped, not waited for. SQLite:
    # the statement runs in an IMMEDIATE transaction, one writer at a time.
    lock = " FOR UPDATE SKIP LOCKED" if db_connection.features.has_select_for_update else ""
    # The due rows in a CTE, evaluated once (as a subquery of IN, PostgreSQL may run it
    # again for each row and lock more than `size`). The status is checked again on
    # update: whatever another worker took meanwhile is not ours. The attempt counter is
    # raised on claim, so a crash still counts as an attempt.
    sql = (
        f"WITH due AS (SELECT {pk} FROM {table} "  # noqa: S608 - quoted names
        f"WHERE {quote('circular_id')} = %s AND {status} = %s AND {quote('next_attempt_at')} <= %s "
        f"ORDER BY {quote('next_attempt_at')}, {pk} LIMIT %s{lock}) "
        f"UPDATE {table} SET {status} = %s, {quote('claim')} = %s, "
        f"{quote('claimed_at')} = %s, {quote('updated_at')} = %s, {quote('next_attempt_at')} = NULL, "
        f"{quote('attempts')} = {table}.{quote('attempts')} + 1 "
        f"FROM due WHERE {table}.{pk} = due.{pk} AND {table}.{status} = %s "
        f"RETURNING {columns}"
    )
    queued, at = DeliveryStatus.QUEUED.value, db_connection.ops.adapt_datetimefield_value(now)
    values = [circular_id, queued, at, size, DeliveryStatus.SENDING.value, token, at, at, queued]
    with transaction.atomic(), db_connection.cursor() as cursor:
        cursor.execute(sql, values)
        rows = sorted(cursor.fetchall())
    return [Claimed(*row) for row in rows]


class Claimed(NamedTuple):
    """A claimed row as the sending reads it: a tuple rather than a model instance
    (making 200 instances a batch took a tenth of the sender's time)."""

    id: int
    circular_id: int
    email: str
    name: str
    organisation_name: str
    language: str
    preferred_language: str
    attempts: int

    @property
    def pk(self) -> int:
        return self.id

    def message_id(self, domain: str) -> str:
        return delivery_message_id(self.circular_id, self.id, domain)


_CLAIMED_FIELDS = Claimed._fields


@retry_when_locked
def mark_handed(delivery: Delivery | Claimed, token: str) -> bool:
    """The last step before the content goes out; False if the row is no longer ours."""
    return bool(
        Delivery.objects.filter(pk=delivery.pk, claim=token, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.HANDED, updated_at=timezone.now()
        )
    )


@retry_when_locked
def record_sent(delivery: Delivery | Claimed, reply: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    Delivery.objects.filter(
        pk=delivery.pk, status__in=[DeliveryStatus.HANDED, DeliveryStatus.UNCONFIRMED]
    ).update(status=DeliveryStatus.SENT, sent_at=now, smtp_reply=reply[:500], updated_at=now)


@retry_when_locked
def record_unconfirmed(delivery: Delivery | Claimed, reply: str) -> None:
    """The content went out and the server's reply was lost: maybe delivered, so never
    sent again without someone checking."""
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.HANDED).update(
        status=DeliveryStatus.UNCONFIRMED, smtp_reply=reply[:500], updated_at=timezone.now()
    )


@retry_when_locked
def record_failure(
    delivery: Delivery | Claimed,
    reply: str,
    *,
    permanent: bool,
    suppress: bool = False,
    now: datetime | None = None,
) -> str:
    """A failed attempt: failed for good, or queued again later. Returns the new status."""
    now = now or timezone.now()
    if not permanent and delivery.attempts < MAX_ATTEMPTS:
        status = DeliveryStatus.QUEUED
        values = {"next_attempt_at": now + RETRY_DELAYS[max(delivery.attempts - 1, 0)]}
    else:
        status = DeliveryStatus.FAILED
        values = {"permanent": permanent}
    Delivery.objects.filter(
        pk=delivery.pk, status__in=[DeliveryStatus.SENDING, DeliveryStatus.HANDED]
    ).update(status=status, claim="", smtp_reply=reply[:500], updated_at=now, **values)
    if suppress:
        Suppression.objects.get_or_create(
            email=delivery.email,
            defaults={
                "reason": SuppressionReason.REFUSED,
                "detail": reply[:500],
                "circular_id": delivery.circular_id,
            },
        )
    return status
