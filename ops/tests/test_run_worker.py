import signal
import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import message_text
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


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_daily_digest_once_a_day(
    settings, smtp_server, city_officer, member_city
):
    from datetime import timedelta

    from django.core.management import call_command

    from actions import services as actions

    settings.DAILY_TASKS_HOUR = 0
    # An action of the officer's city falls due in a week: the day's round records it and
    # mails it in the officer's daily digest (the default daily tasks of the settings).
    actions.create_action(
        titles={"en": "Publish the guide"},
        owner_organisations=[member_city],
        due_date=timezone.localdate() + timedelta(days=7),
        actor=None,
    )
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        # The worker loop as deployed, run until nothing is left to do.
        call_command("run_worker", "--batch", "--interval", "0")
        call_command("run_worker", "--batch", "--interval", "0")  # a second worker, same day
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)

    [digest] = smtp_server
    assert digest["To"] == city_officer.email
    assert "Publish the guide" in message_text(digest)
