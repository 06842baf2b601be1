import contextlib
import os
import socket
import threading
import uuid

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from ops.models import WorkerHeartbeat
from ops.recovery import run_maintenance
from ops.schedule import enqueue_due_daily_tasks


class Command(BaseCommand):
    help = (
        "Runs the background task worker, stamps its heartbeat for /healthz, enqueues the "
        "daily tasks (once a day across all workers) and takes over the work of workers "
        "that died."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Enqueue the daily tasks that are due, run every waiting task, then exit.",
        )

    def handle(self, *args, interval, batch, **options):
        worker_id = uuid.uuid4().hex
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "hostname": socket.gethostname(),
                "pid": os.getpid(),
                "started_at": now,
                "last_seen": now,
            },
        )
        self._schedule()
        stop = threading.Event()
        beat = threading.Thread(target=self._beat, args=(worker_id, stop), daemon=True)
        beat.start()
        upkeep = threading.Thread(target=self._maintain, args=(stop,), daemon=True)
        upkeep.start()
        try:
            call_command(
                "db_worker",
                interval=interval,
                worker_id=worker_id,
                queue_name="*",
                reload=False,
                batch=batch,
                startup_delay=not batch,
            )
        finally:
            stop.set()
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()

    @staticmethod
    def _maintain(stop: threading.Event) -> None:
        # Takes over what dead workers left (tasks, circulars), so that nothing waits for
        # a page visit or a cron job.
        while not stop.wait(settings.WORKER_MAINTENANCE_SECONDS):
            try:
                run_maintenance()
            finally:
                close_old_connections()

    @staticmethod
    def _schedule() -> None:
        # Every worker checks; the DailyTaskRun row makes only the first one enqueue.
        # A busy database now is no failure: the next beat tries again.
        with contextlib.suppress(Exception):
            enqueue_due_daily_tasks()

    @classmethod
    def _beat(cls, worker_id: str, stop: threading.Event) -> None:
        # A separate thread, so that a long task does not make the worker look dead nor
        # delay the daily tasks.
        while not stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
            try:
                WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=timezone.now())
                cls._schedule()
            except Exception:  # noqa: S112 - the next beat tries again
                continue
            finally:
                close_old_connections()
