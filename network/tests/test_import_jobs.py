"""A directory import always ends, even when its task fails or its worker dies."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from network.models import Organisation, OrganisationImport
from ops.models import WorkerHeartbeat
from ops.recovery import run_maintenance

from .factories import make_country, make_network_admin, make_region
from .test_import_export import GOOD, csv_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def directory_countries():
    africa = make_region(code="africa")
    make_country(code="MA", name_en="Morocco", region=africa)
    make_country(code="ES", name_en="Spain")


def upload_import(client, django_capture_on_commit_callbacks, *rows: str):
    client.force_login(make_network_admin())
    upload = csv_bytes(*rows)
    upload.name = "orgs.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/directory/import/", {"file": upload})
    assert response.status_code == 302
    return response.url


def run_worker_once(worker_id: str = "live-worker") -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": "h", "pid": 2, "started_at": now, "last_seen": now},
    )
    call_command(
        "db_worker",
        batch=True,
        queue_name="*",
        interval=0,
        reload=False,
        startup_delay=False,
        worker_id=worker_id,
    )


def die_while_running(*worker_ids: str) -> None:
    """What a killed worker leaves: its task marked running, the job running, a heartbeat
    that stopped long ago."""
    long_ago = timezone.now() - timedelta(minutes=10)
    task = DBTaskResult.objects.get(task_path="network.tasks.run_organisation_import")
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="RUNNING", started_at=long_ago, worker_ids=list(worker_ids)
    )
    OrganisationImport.objects.update(status="running")
    for worker_id in worker_ids:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, hostname="h", pid=1, started_at=long_ago, last_seen=long_ago
        )


def test_an_import_whose_file_is_gone_ends_failed_with_a_message(
    client, directory_countries, django_capture_on_commit_callbacks
):
    status_url = upload_import(client, django_capture_on_commit_callbacks, *GOOD)
    job = OrganisationImport.objects.get()
    job.file.storage.delete(job.file.name)

    run_worker_once()

    html = client.get(status_url).content.decode()
    assert "Nothing imported" in html
    assert "The import stopped on an unexpected error; nothing was imported." in html
    assert "This page refreshes by itself" not in html
    assert Organisation.objects.count() == 0


def test_an_import_left_by_a_dead_worker_is_finished_by_another_worker_on_its_own(
    client, directory_countries, django_capture_on_commit_callbacks
):
    status_url = upload_import(client, django_capture_on_commit_callbacks, *GOOD)
    die_while_running("dead-worker")
    assert "This page refreshes by itself" in client.get(status_url).content.decode()

    run_maintenance()
    run_worker_once()

    assert "3 organisations created, 0 updated." in client.get(status_url).content.decode()
    assert Organisation.objects.count() == 3


def test_an_import_whose_workers_keep_dying_ends_failed_with_a_message(
    client, directory_countries, django_capture_on_commit_callbacks
):
    status_url = upload_import(client, django_capture_on_commit_callbacks, *GOOD)
    die_while_running("first-worker", "second-worker")

    run_maintenance()
    run_worker_once()

    html = client.get(status_url).content.decode()
    assert "The background worker stopped 2 times while importing this file" in html
    assert Organisation.objects.count() == 0
