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


class Command(BaseCommand):
    help = (
        "Runs the background task worker, stamps its heartbeat for /healthz and takes over "
        "the work of workers that died."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args, interval, **options):
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
        stop = threading.Event()
        beat = threading.Thread(target=self._beat, args=(worker_id, stop), daemon=True)
        beat.start()
        upkeep = threading.Thread(target=self._maintain, args=(stop,), daemon=True)
        upkeep.start()
        try:
            call_command(
                "db_worker", interval=interval, worker_id=worker_id, queue_name="*", reload=False
            )
        finally:
            stop.set()
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()

    @staticmethod
    def _maintain(stop: threading.Event) -> None:
        # Takes over what dead workers left (tasks, circulars) and enqueues the daily tasks,
        # so that nothing waits for a page visit or a cron job.
        while not stop.wait(settings.WORKER_MAINTENANCE_SECONDS):
            try:
                run_maintenance()
            finally:
                close_old_connections()

    @staticmethod
    def _beat(worker_id: str, stop: threading.Event) -> None:
        # A separate thread, so that a long task does not make the worker look dead.
        while not stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
            try:
                WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=timezone.now())
            except Exception:  # noqa: S112 - the next beat tries again
                continue
            finally:
                close_old_connections()
