"""The live workers take over what dead workers left, and /healthz tells about it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from circulars.models import Circular
from circulars.tests.test_delivery import _circular_to
from ops.models import WorkerHeartbeat
from ops.recovery import run_maintenance
from ops.tasks import nothing_to_do

pytestmark = pytest.mark.django_db


def live_worker(worker_id: str = "live") -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, hostname="h", pid=1, started_at=now, last_seen=now
    )


def task_running_on(*worker_ids: str, minutes_ago: int = 10) -> DBTaskResult:
    started = timezone.now() - timedelta(minutes=minutes_ago)
    result = nothing_to_do.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", started_at=started, worker_ids=list(worker_ids)
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_healthz_reports_a_task_whose_worker_died_until_another_worker_takes_it_over(client):
    live_worker()
    long_ago = timezone.now() - timedelta(minutes=10)
    WorkerHeartbeat.objects.create(
        worker_id="dead", hostname="h", pid=2, started_at=long_ago, last_seen=long_ago
    )
    task = task_running_on("dead")

    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["stuck_tasks"] == 1

    run_maintenance()
    task.refresh_from_db()
    assert task.status == "READY"
    body = client.get("/healthz").json()
    assert (body["database"], body["worker"], body["stuck_tasks"]) == ("up", "up", 0)


def test_a_task_still_running_on_a_live_worker_is_left_alone(client):
    live_worker("busy")
    task = task_running_on("busy", minutes_ago=5)
    run_maintenance()
    task.refresh_from_db()
    assert task.status == "RUNNING"
    assert client.get("/healthz").status_code == 200


def test_healthz_reports_a_task_running_for_longer_than_its_lease(client, settings):
    settings.TASK_LEASE_SECONDS = 60
    live_worker("busy")
    task_running_on("busy", minutes_ago=5)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["stuck_tasks"] == 1


def test_a_task_whose_workers_died_too_many_times_is_marked_failed(settings):
    settings.TASK_MAX_ATTEMPTS = 2
    task = task_running_on("first", "second")
    run_maintenance()
    task.refresh_from_db()
    assert task.status == "FAILED"
    assert "stopped 2 times" in task.traceback


def test_a_circular_whose_worker_went_silent_gets_a_new_run_without_a_page_visit(
    django_capture_on_commit_callbacks,
):
    circular, _people = _circular_to(2)
    Circular.objects.filter(pk=circular.pk).update(
        last_activity_at=timezone.now() - timedelta(hours=1)
    )
    DBTaskResult.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        run_maintenance()

    assert DBTaskResult.objects.filter(
        task_path="circulars.tasks.send_circular", status="READY"
    ).exists()
