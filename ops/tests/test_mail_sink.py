"""The local mail sink: each instance its own port, and /healthz says when it is gone."""

import smtplib
import socket

import pytest
from django.utils import timezone

from ops.mailsink import start_sink
from ops.models import WorkerHeartbeat


def _send(port: int, subject: str) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.sendmail("a@example.org", ["b@example.org"], f"Subject: {subject}\r\n\r\nHello\r\n")


def test_two_sinks_wanting_the_same_port_each_get_their_own_and_keep_their_own_mail(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        wanted = probe.getsockname()[1]
    first = start_sink(tmp_path / "first", port=wanted)
    second = start_sink(tmp_path / "second", port=wanted)
    try:
        assert first.port == wanted
        assert second.port != wanted
        _send(first.port, "To the first")
        _send(second.port, "To the second")
    finally:
        first.stop()
        second.stop()
    assert ["To the first" in p.read_text() for p in (tmp_path / "first").glob("*.eml")] == [True]
    assert ["To the second" in p.read_text() for p in (tmp_path / "second").glob("*.eml")] == [True]


@pytest.fixture
def fresh_worker(db):
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="h", pid=1, started_at=now, last_seen=now
    )


def _use_sink(settings, port: int, ident: str) -> None:
    settings.MAIL_SINK_IDENT = ident
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }


def test_healthz_reports_the_instances_own_mail_sink_up(client, settings, fresh_worker, tmp_path):
    sink = start_sink(tmp_path, port=0, ident="Entrevilles mail sink abc123")
    try:
        _use_sink(settings, sink.port, "Entrevilles mail sink abc123")
        response = client.get("/healthz")
    finally:
        sink.stop()
    assert response.status_code == 200
    assert response.json()["mail_sink"] == "up"


def test_healthz_is_503_when_the_mail_sink_is_dead(client, settings, fresh_worker):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        nobody = probe.getsockname()[1]
    _use_sink(settings, nobody, "Entrevilles mail sink abc123")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["mail_sink"] == "down"


def test_healthz_is_503_when_another_instances_sink_answers_on_the_port(
    client, settings, fresh_worker, tmp_path
):
    other = start_sink(tmp_path, port=0, ident="Entrevilles mail sink other")
    try:
        _use_sink(settings, other.port, "Entrevilles mail sink mine")
        response = client.get("/healthz")
    finally:
        other.stop()
    assert response.status_code == 503
    assert response.json()["mail_sink"] == "down"


def test_healthz_says_nothing_of_a_sink_when_mail_goes_to_a_relay(client, fresh_worker):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "mail_sink" not in response.json()
