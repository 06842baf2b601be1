"""Digests handed over a pool of SMTP connections: each person once, over every connection."""

import datetime
import email
import email.policy
import threading
from collections import Counter

import pytest
from aiosmtpd.controller import Controller

from conftest import _free_port, message_text
from library.tests.factories import make_experience
from notifications import digests
from notifications.models import MailStatus, NotificationMail, TargetType

from .factories import follows, make_theme, make_user, run_worker

# The pool's threads have database connections of their own: they see committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)

DAY = datetime.date(2026, 12, 7)


class _Recorder:
    """Each message received, with the connection (client port) it came over."""

    def __init__(self) -> None:
        self.received: list[tuple[tuple, list[str], email.message.EmailMessage]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self._lock:
            self.received.append((session.peer, list(envelope.rcpt_tos), message))
        return "250 OK"


@pytest.fixture
def recorder(settings):
    recorder = _Recorder()
    port = _free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    try:
        yield recorder
    finally:
        controller.stop()


def test_the_daily_digests_go_out_over_the_configured_connections_each_person_once(
    recorder, settings
):
    settings.NOTIFICATIONS_SMTP_CONNECTIONS = 3
    housing = make_theme("housing", "Housing")
    people = [make_user(email=f"p{n}@example.org") for n in range(24)]
    for person in people:
        follows(person, TargetType.THEME, housing.pk)
    make_experience(themes=[housing], title="Rental support in Quito")
    run_worker()

    assert digests.send_digests(DAY) == 24

    addresses = Counter(rcpt for _peer, rcpts, _message in recorder.received for rcpt in rcpts)
    assert addresses == Counter({person.email: 1 for person in people})
    assert all(
        "Rental support in Quito" in message_text(message)
        for _peer, _rcpts, message in recorder.received
    )
    # Three connections, each carrying several digests.
    per_connection = Counter(peer for peer, _rcpts, _message in recorder.received)
    assert len(per_connection) == 3
    assert min(per_connection.values()) > 1
    assert set(NotificationMail.objects.values_list("status", flat=True)) == {MailStatus.SENT}

    # The same day again: nothing more.
    assert digests.send_digests(DAY) == 0
    assert len(recorder.received) == 24
