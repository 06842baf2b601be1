from datetime import timedelta

import pytest
from django.utils import timezone

from ops.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_healthz_is_503_when_no_worker_is_running(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() | {"meaning_model": "-"} == {
        "database": "up",
        "worker": "down",
        "stuck_tasks": 0,
        "meaning_model": "-",
    }


def test_healthz_is_200_when_a_worker_stamped_its_heartbeat_recently(client):
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="h", pid=1, started_at=now, last_seen=now
    )
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() | {"meaning_model": "-"} == {
        "database": "up",
        "worker": "up",
        "stuck_tasks": 0,
        "meaning_model": "-",
    }


def test_healthz_is_503_when_the_worker_heartbeat_is_stale(client):
    old = timezone.now() - timedelta(minutes=5)
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="h", pid=1, started_at=old, last_seen=old
    )
    assert client.get("/healthz").status_code == 503


def test_livez_answers_while_the_database_is_up_even_without_a_worker(
    client, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get("/livez")
    assert response.status_code == 200
    assert response.json() == {"database": "up"}
    assert "no-cache" in response["Cache-Control"]
