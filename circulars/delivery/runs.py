"""A run: a pool of connections, each claiming batches until nothing is due."""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import connection as db_connection
from django.db import connections as db_connections
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from entrevilles.smtp import Channel
from notifications.events import record_event
from notifications.models import EventKind

from .. import pages
from ..models import (
    Circular,
    CircularEvent,
    CircularStatus,
    Delivery,
    DeliveryStatus,
)
from .message import Renderer
from .rows import BATCH_SIZE, claim_batch, recover_stale, retry_when_locked
from .sending import Outcome, send_batch

# How long the pool's members wait for each other's first claim before going on alone.
POOL_START_SECONDS = 10


# --- the run --------------------------------------------------------------------------------


def progress(circular_id: int) -> dict[str, int]:
    """Counts per delivery status (one grouped query over the circular's rows)."""
    counts = {status: 0 for status in DeliveryStatus.values}
    for row in (
        Delivery.objects.filter(circular_id=circular_id)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[row["status"]] = row["n"]
    counts["total"] = sum(counts[s] for s in DeliveryStatus.values)
    counts["done"] = (
        counts[DeliveryStatus.SENT]
        + counts[DeliveryStatus.FAILED]
        + counts[DeliveryStatus.UNCONFIRMED]
        + counts[DeliveryStatus.BOUNCED]
    )
    return counts


@retry_when_locked
def _circular(circular_id: int) -> Circular:
    # A read too meets a lock while another connection writes (SQLite's shared cache).
    return Circular.objects.prefetch_related("commissions").get(pk=circular_id)


@retry_when_locked
def _status(circular_id: int) -> str | None:
    return Circular.objects.filter(pk=circular_id).values_list("status", flat=True).first()


def run_batch(
    circular_id: int,
    token: str | None = None,
    now: datetime | None = None,
    channel: Channel | None = None,
    size: int = BATCH_SIZE,
    renderer: Renderer | None = None,
    claimed: Callable[[], None] | None = None,
) -> Outcome | None:
    """One step of a run: claim a batch and send it. None when there was nothing to claim
    or the circular is not being sent (stopped, or not yet started). `claimed` is called
    between the claim and the sending."""
    if renderer is None:
        circular = _circular(circular_id)
        status = circular.status
    else:
        # The run's versions are rendered already: only the status is read again.
        circular, status = renderer.circular, _status(circular_id)
    if status != CircularStatus.SENDING:
        return None
    token = token or uuid.uuid4().hex
    deliveries = claim_batch(circular_id, token, size=size, now=now)
    if claimed is not None:
        claimed()
    if not deliveries:
        return None
    outcome = send_batch(circular, deliveries, token, now=now, channel=channel, renderer=renderer)
    retry_when_locked(Circular.objects.filter(pk=circular_id).update)(
        last_activity_at=timezone.now()
    )
    return outcome


@retry_when_locked
def finish_if_done(circular_id: int, now: datetime | None = None) -> datetime | None:
    """Mark the circular sent when no row is left to send. Otherwise return when the next
    queued row is due (for a later run), or None if other workers still hold rows."""
    now = now or timezone.now()
    pending = Delivery.objects.filter(
        circular_id=circular_id,
        status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.HANDED],
    )
    if not pending.exists():
        with transaction.atomic():
            updated = Circular.objects.filter(pk=circular_id, status=CircularStatus.SENDING).update(
                status=CircularStatus.SENT, sent_at=now, last_activity_at=now
            )
            if updated:
                CircularEvent.objects.create(
                    circular_id=circular_id,
                    status_before=CircularStatus.SENDING,
                    status_after=CircularStatus.SENT,
                    at=now,
                )
                # Now in the public archive: those who follow its commissions hear of it,
                # and the archive's kept pages show it (an UPDATE sends no signal).
                record_event(EventKind.CIRCULAR_PUBLISHED, Circular.objects.get(pk=circular_id))
                pages.forget_all()
        return None
    return pending.filter(status=DeliveryStatus.QUEUED).aggregate(t=Min("next_attempt_at"))["t"]


def _send_until_done(
    circular_id: int, now: datetime | None, size: int, start: threading.Barrier | None = None
) -> None:
    """One member of the pool: its own claim token and SMTP connection, batch after
    batch, until nothing is left to claim. With `start`, every member claims its first
    batch before any claims a second: a small circular is shared among the connections
    even when one thread is scheduled late."""
    token = uuid.uuid4().hex
    channel = Channel()
    waiting = [start] if start is not None else []

    def first_claim_made() -> None:
        if waiting:
            _wait_for_the_others(waiting.pop())

    try:
        # The versions are rendered once per run, not once per batch.
        renderer = retry_when_locked(Renderer)(_circular(circular_id))
        while (
            run_batch(
                circular_id,
                token,
                now,
                channel=channel,
                size=size,
                renderer=renderer,
                claimed=first_claim_made,
            )
            is not None
        ):
            pass
    finally:
        if waiting:
            # Stopped before its first claim: the others need not wait for it.
            waiting.pop().abort()
        channel.drop()


def _wait_for_the_others(start: threading.Barrier) -> None:
    # A member stopped or is late: the others go on.
    with contextlib.suppress(threading.BrokenBarrierError):
        start.wait(timeout=POOL_START_SECONDS)


def _pool_member(
    circular_id: int, now: datetime | None, size: int, errors: list, start: threading.Barrier
) -> None:
    try:
        _send_until_done(circular_id, now, size, start)
    except BaseException as error:  # re-raised by the run, in its own thread
        errors.append(error)
    finally:
        # Each thread has database connections of its own; nobody else will close them.
        db_connections.close_all()


def run(
    circular_id: int, now: datetime | None = None, connections: int | None = None
) -> datetime | None:
    """Send until nothing is due; returns when to run again (None: finished or stopped).

    The run keeps `connections` SMTP connections open (settings.CIRCULARS_SMTP_CONNECTIONS
    by default), each in a thread that claims batches of its own: the exactly-once
    ledger is per row, so nothing changes for it. Inside a caller's transaction the
    other threads could not see its rows: the run then uses one connection, its own.
    """
    recover_stale(circular_id, now)
    connections = max(1, connections or settings.CIRCULARS_SMTP_CONNECTIONS)
    if db_connection.in_atomic_block:
        connections = 1
    # Small circulars are shared among the connections rather than claimed by the first.
    due = Delivery.objects.filter(circular_id=circular_id, status=DeliveryStatus.QUEUED).count()
    size = max(1, min(BATCH_SIZE, -(-due // connections)))
    if connections == 1:
        _send_until_done(circular_id, now, size)
    else:
        errors: list[BaseException] = []
        start = threading.Barrier(connections)
        threads = [
            threading.Thread(
                target=_pool_member,
                args=(circular_id, now, size, errors, start),
                name=f"circular-{circular_id}-smtp-{n}",
            )
            for n in range(connections)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
    if not Circular.objects.filter(pk=circular_id, status=CircularStatus.SENDING).exists():
        return None
    return finish_if_done(circular_id, now)
