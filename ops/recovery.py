"""Work left behind by a dead worker, taken over by the live ones (no cron, no page visit).

A worker stamps its heartbeat every few seconds (run_worker). A task still marked running
whose worker has not stamped for WORKER_STALE_AFTER_SECONDS was abandoned: the worker was
killed, ran out of memory or lost its machine. The live workers run `run_maintenance`
regularly: abandoned tasks go back to the queue (tasks are idempotent and take ids) until
they have been tried TASK_MAX_ATTEMPTS times, then they are marked failed; circulars whose
sending went silent get a new run; the daily tasks are enqueued.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

RUNNING = "RUNNING"


def _stale_horizon(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.WORKER_STALE_AFTER_SECONDS)


def _abandoned(now: datetime) -> list[DBTaskResult]:
    """Running tasks whose last worker is silent (or gone), started before the horizon."""
    horizon = _stale_horizon(now)
    live = set(
        WorkerHeartbeat.objects.filter(last_seen__gte=horizon).values_list("worker_id", flat=True)
    )
    running = DBTaskResult.objects.filter(status=RUNNING, started_at__lt=horizon)
    return [
        result for result in running if not result.worker_ids or result.worker_ids[-1] not in live
    ]


def stuck_tasks(now: datetime | None = None) -> int:
    """Tasks past their lease: abandoned by a dead worker, or running for longer than
    TASK_LEASE_SECONDS (a task that hangs). /healthz reports them."""
    now = now or timezone.now()
    overdue = DBTaskResult.objects.filter(
        status=RUNNING, started_at__lt=now - timedelta(seconds=settings.TASK_LEASE_SECONDS)
    ).values_list("id", flat=True)
    return len({result.id for result in _abandoned(now)} | set(overdue))


def recover_abandoned_tasks(now: datetime | None = None) -> tuple[int, int]:
    """Queue abandoned tasks again, or fail those tried TASK_MAX_ATTEMPTS times.
    Returns (queued again, failed)."""
    now = now or timezone.now()
    requeued = failed = 0
    for result in _abandoned(now):
        with transaction.atomic():
            # Only the worker whose update still sees the row as it was takes it over.
            still = Q(pk=result.pk, status=RUNNING, started_at=result.started_at)
            if len(result.worker_ids) < settings.TASK_MAX_ATTEMPTS:
                changed = DBTaskResult.objects.filter(still).update(status="READY")
                requeued += changed
            else:
                changed = DBTaskResult.objects.filter(still).update(
                    status="FAILED",
                    finished_at=now,
                    exception_class_path="ops.recovery.WorkerDied",
                    traceback=(
                        f"The worker running this task stopped {len(result.worker_ids)} times."
                    ),
                )
                failed += changed
            if changed:
                logger.warning(
                    "Task %s (%s) left by worker %s: %s",
                    result.pk,
                    result.task_path,
                    result.worker_ids[-1] if result.worker_ids else "?",
                    "queued again"
                    if len(result.worker_ids) < settings.TASK_MAX_ATTEMPTS
                    else "failed",
                )
    return requeued, failed


def run_maintenance(now: datetime | None = None) -> None:
    """What every live worker does every WORKER_MAINTENANCE_SECONDS; each step is safe to
    run on several workers at once, and one failing does not stop the others."""
    from circulars.tasks import resume_stalled

    from .schedule import enqueue_due_daily_tasks

    for step in (
        lambda: recover_abandoned_tasks(now),
        resume_stalled,
        lambda: enqueue_due_daily_tasks(now),
    ):
        try:
            step()
        except Exception:
            logger.exception("Worker maintenance step failed; the next round tries again")
