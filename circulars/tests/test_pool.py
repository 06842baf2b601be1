"""A circular sent over a pool of SMTP connections: each recipient once, whatever breaks."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection as db_connection
from django.utils import timezone

from circulars import delivery, services
from circulars.models import CircularStatus, Delivery, DeliveryStatus

from .test_delivery import (
    _assert_each_once,
    _circular_to,
    assert_each_accepted_message_is_written_with_the_next_hand_over,
)

# The pool's threads have database connections of their own: they see committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_pool_sends_each_recipient_once_over_the_configured_number_of_connections(
    smtp_relay, settings
):
    settings.CIRCULARS_SMTP_CONNECTIONS = 3
    circular, people = _circular_to(30)

    assert delivery.run(circular.pk) is None

    _assert_each_once(smtp_relay, people)
    # Three connections, each carrying many messages.
    per_connection = Counter(message.peer for message in smtp_relay.messages)
    assert len(per_connection) == 3
    assert min(per_connection.values()) > 1
    assert set(circular.deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    circular.refresh_from_db()
    assert circular.status == CircularStatus.SENT


def test_outside_a_transaction_each_accepted_message_is_recorded_with_the_next_hand_over(
    smtp_relay,
):
    # Each step its own commit, as in the worker (on PostgreSQL, statements the server
    # prepared once per connection; on SQLite, its own connection's transactions).
    assert_each_accepted_message_is_written_with_the_next_hand_over()


def test_outside_a_transaction_a_worker_whose_lease_expired_sends_nothing_it_claimed(
    smtp_relay,
):
    circular, people = _circular_to(3)
    slow = delivery.claim_batch(circular.pk, "slow-worker")
    later = timezone.now() + delivery.LEASE + timedelta(seconds=1)
    delivery.run(circular.pk, now=later)  # another worker recovers and sends all three

    outcome = delivery.send_batch(circular, slow, "slow-worker")

    assert outcome.skipped == 3 and outcome.sent == 0
    _assert_each_once(smtp_relay, people)
    assert set(circular.deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_connection_the_server_drops_before_the_content_is_opened_again_and_nothing_is_lost(
    smtp_relay, settings
):
    settings.CIRCULARS_SMTP_CONNECTIONS = 2
    circular, people = _circular_to(12)
    smtp_relay.hang_up_at_rcpt |= {"r3@example.org", "r8@example.org"}

    assert delivery.run(circular.pk) is None

    _assert_each_once(smtp_relay, people)
    # Sent again at once over a new connection, within the same attempt.
    rows = {row.email: row for row in circular.deliveries.all()}
    assert {row.status for row in rows.values()} == {DeliveryStatus.SENT}
    assert rows["r3@example.org"].attempts == 1
    assert len({message.peer for message in smtp_relay.messages}) > 2


def test_a_connection_dropped_after_the_server_accepted_a_message_does_not_send_it_twice(
    smtp_relay, settings
):
    settings.CIRCULARS_SMTP_CONNECTIONS = 2
    circular, people = _circular_to(10)
    # The server keeps the message, then hangs up before its reply reaches the sender.
    smtp_relay.hang_up_after_data.add("r4@example.org")

    delivery.run(circular.pk)

    _assert_each_once(smtp_relay, people)
    statuses = dict(circular.deliveries.values_list("email", "status"))
    # The sender cannot know it was accepted: recorded as unconfirmed, never sent again.
    assert statuses.pop("r4@example.org") == DeliveryStatus.UNCONFIRMED
    assert set(statuses.values()) == {DeliveryStatus.SENT}


def test_a_server_that_keeps_dropping_the_connection_queues_the_message_again_later(
    smtp_relay, settings
):
    settings.CIRCULARS_SMTP_CONNECTIONS = 2
    circular, _people = _circular_to(4)
    smtp_relay.refuse["r2@example.org"] = ("421 4.3.0 Closing", None)

    next_due = delivery.run(circular.pk)

    row = Delivery.objects.get(circular=circular, email="r2@example.org")
    assert (row.status, row.attempts) == (DeliveryStatus.QUEUED, 1)
    assert row.smtp_reply.startswith("421")
    assert next_due == row.next_attempt_at
    assert sorted(smtp_relay.received_by()) == [
        "r0@example.org",
        "r1@example.org",
        "r3@example.org",
    ]


def test_recipients_the_server_refuses_fail_alone_and_only_queued_rows_keep_a_next_attempt(
    smtp_relay, settings
):
    settings.CIRCULARS_SMTP_CONNECTIONS = 2
    circular, people = _circular_to(8)
    smtp_relay.refuse["r2@example.org"] = ("550 5.1.1 No such user", None)
    smtp_relay.refuse["r5@example.org"] = ("451 4.7.1 Try again later", None)

    next_due = delivery.run(circular.pk)

    rows = {row.email: row for row in circular.deliveries.all()}
    refused, later = rows.pop("r2@example.org"), rows.pop("r5@example.org")
    assert (refused.status, refused.permanent, refused.next_attempt_at) == (
        DeliveryStatus.FAILED,
        True,
        None,
    )
    assert refused.smtp_reply.startswith("550")
    assert (later.status, later.attempts) == (DeliveryStatus.QUEUED, 1)
    assert next_due == later.next_attempt_at > timezone.now()
    assert {(row.status, row.next_attempt_at) for row in rows.values()} == {
        (DeliveryStatus.SENT, None)
    }
    assert sorted(smtp_relay.received_by()) == sorted(
        person.email.lower() for person in people if person.email.lower() in rows
    )


# --- a sending process killed, then resumed -------------------------------------------------

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


class ChildDatabase:
    """The test database as another process reaches it. PostgreSQL's is shared as it is;
    SQLite's lives in this process's memory, so it is copied to a file for the child and
    back afterwards (both with SQLite's backup API)."""

    def __init__(self, tmp_path):
        self.path = tmp_path / "child.sqlite3"
        values = db_connection.settings_dict
        if db_connection.vendor == "postgresql":
            self.url = (
                f"postgres://{quote(values['USER'])}:{quote(values['PASSWORD'] or '')}@"
                f"{values['HOST'] or '127.0.0.1'}:{values['PORT'] or 5432}/{values['NAME']}"
            )
        elif db_connection.is_in_memory_db():
            self.url = f"sqlite:///{self.path}"
        else:
            self.url, self.path = f"sqlite:///{values['NAME']}", None

    def to_child(self):
        if db_connection.vendor == "sqlite" and self.path is not None:
            db_connection.ensure_connection()
            with sqlite3.connect(self.path) as target:
                db_connection.connection.backup(target)

    def from_child(self):
        if db_connection.vendor == "sqlite" and self.path is not None:
            with sqlite3.connect(self.path) as source:
                source.backup(db_connection.connection)


def _sender(database: ChildDatabase, port: int, circular_id: int) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database.url,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        CIRCULARS_SMTP_CONNECTIONS="3",
        DJANGO_SETTINGS_MODULE="entrevilles.settings",
    )
    command = [sys.executable, MANAGE, "send_circular", str(circular_id)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)  # noqa: S603


def test_a_sending_process_killed_three_times_then_resumed_sends_each_recipient_once(
    smtp_relay, tmp_path
):
    circular, people = _circular_to(150)
    smtp_relay.delay = 0.01  # a relay's round trip: the kills land mid-run
    port = settings.MAILERS["default"]["OPTIONS"]["port"]
    database = ChildDatabase(tmp_path)
    for kill_after in (10, 50, 90):
        database.to_child()
        sender = _sender(database, port, circular.pk)
        deadline = time.monotonic() + 120
        while sender.poll() is None and time.monotonic() < deadline:
            if len(smtp_relay.messages) >= kill_after:
                break
            time.sleep(0.005)
        assert sender.poll() is None, "the sender stopped before it was killed"
        sender.send_signal(signal.SIGKILL)
        sender.wait()
        database.from_child()
        assert len(smtp_relay.messages) < len(people)  # killed mid-run
        # A restart after the lease: what the killed process held is recovered.
        delivery.recover_stale(circular.pk, now=timezone.now() + delivery.LEASE + timedelta(1))
    database.to_child()
    assert _sender(database, port, circular.pk).wait(120) == 0
    database.from_child()

    received = Counter(smtp_relay.received_by())
    assert max(received.values()) == 1  # nobody twice
    statuses = dict(circular.deliveries.values_list("email", "status"))
    # Rows a process died on between hand-over and the server's reply are unconfirmed,
    # at most one per connection and kill; every other row was received.
    unconfirmed = {email for email, status in statuses.items() if status == "unconfirmed"}
    assert len(unconfirmed) <= 3 * 3
    assert {e for e, s in statuses.items() if s == DeliveryStatus.SENT} == set(
        received
    ) - unconfirmed
    # The secretariat checks them against the relay's log and sends the others again.
    found = [
        message["Message-ID"]
        for message in smtp_relay.messages
        if message.envelope_recipients[0].lower() in unconfirmed
    ]
    if found:
        services.confirm_delivered(circular, " ".join(found), actor=None)
    if len(found) < len(unconfirmed):
        services.resend_unconfirmed(circular, actor=None, confirmed=True)
        delivery.run(circular.pk)

    _assert_each_once(smtp_relay, people)
    assert set(circular.deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}
