import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from ops.management.commands.run_worker import Command
from ops.models import WorkerHeartbeat


@pytest.mark.django_db(transaction=True)
def test_the_worker_heartbeat_keeps_a_running_worker_fresh_for_healthz(client, settings):
    settings.WORKER_HEARTBEAT_SECONDS = 0.05
    stale = timezone.now() - timedelta(minutes=5)
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="h", pid=1, started_at=stale, last_seen=stale
    )
    assert client.get("/healthz").status_code == 503

    stop = threading.Event()
    beat = threading.Thread(target=Command._beat, args=("w1", stop), daemon=True)
    beat.start()
    try:
        # Wait (at most a few seconds) for the first beat; no assertion on timing.
        for _ in range(100):
            if WorkerHeartbeat.objects.get(worker_id="w1").last_seen > stale:
                break
            stop.wait(0.05)
    finally:
        stop.set()
        beat.join(timeout=5)
    assert not beat.is_alive()
    assert client.get("/healthz").status_code == 200
