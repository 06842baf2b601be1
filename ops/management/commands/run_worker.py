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


class Command(BaseCommand):
    help = "Runs the background task worker and stamps its heartbeat for /healthz."

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
        try:
            call_command(
                "db_worker", interval=interval, worker_id=worker_id, queue_name="*", reload=False
            )
        finally:
            stop.set()
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()

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
