"""A circular sent over a pool of SMTP connections: each recipient once, whatever breaks."""

from collections import Counter

import pytest

from circulars import delivery
from circulars.models import CircularStatus, Delivery, DeliveryStatus

from .test_delivery import _assert_each_once, _circular_to

# The pool's threads have database connections of their own: they see committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_pool_sends_each_recipient_once_over_the_configured_number_of_connections(
    mail_server, settings
):
    settings.CIRCULARS_SMTP_CONNECTIONS = 3
    circular, people = _circular_to(30)

    assert delivery.run(circular.pk) is None

    _assert_each_once(mail_server, people)
    # Three connections, each carrying many messages.
    per_connection = Counter(message.peer for message in mail_server.messages)
    assert len(per_connection) == 3
    assert min(per_connection.values()) > 1
    assert set(circular.deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    circular.refresh_from_db()
    assert circular.status == CircularStatus.SENT


def test_a_connection_the_server_drops_before_the_content_is_opened_again_and_nothing_is_lost(
    mail_server, settings
):
    settings.CIRCULARS_SMTP_CONNECTIONS = 2
    circular, people = _circular_to(12)
    mail_server.hang_up_at_rcpt |= {"r3@example.org", "r8@example.org"}

    assert delivery.run(circular.pk) is None

    _assert_each_once(mail_server, people)
    # Sent again at once over a new connection, within the same attempt.
    rows = {row.email: row for row in circular.deliveries.all()}
    assert {row.status for row in rows.values()} == {DeliveryStatus.SENT}
    assert rows["r3@example.org"].attempts == 1
    assert len({message.peer for message in mail_server.messages}) > 2


def test_a_connection_dropped_after_the_server_accepted_a_message_does_not_send_it_twice(
    mail_server, settings
):
    settings.CIRCULARS_SMTP_CONNECTIONS = 2
    circular, people = _circular_to(10)
    # The server keeps the message, then hangs up before its reply reaches the sender.
    mail_server.hang_up_after_data.add("r4@example.org")

    delivery.run(circular.pk)

    _assert_each_once(mail_server, people)
    statuses = dict(circular.deliveries.values_list("email", "status"))
    # The sender cannot know it was accepted: recorded as unconfirmed, never sent again.
    assert statuses.pop("r4@example.org") == DeliveryStatus.UNCONFIRMED
    assert set(statuses.values()) == {DeliveryStatus.SENT}


def test_a_server_that_keeps_dropping_the_connection_queues_the_message_again_later(
    mail_server, settings
):
    settings.CIRCULARS_SMTP_CONNECTIONS = 2
    circular, _people = _circular_to(4)
    mail_server.refuse["r2@example.org"] = ("421 4.3.0 Closing", None)

    next_due = delivery.run(circular.pk)

    row = Delivery.objects.get(circular=circular, email="r2@example.org")
    assert (row.status, row.attempts) == (DeliveryStatus.QUEUED, 1)
    assert row.smtp_reply.startswith("421")
    assert next_due == row.next_attempt_at
    assert sorted(mail_server.received_by()) == [
        "r0@example.org",
        "r1@example.org",
        "r3@example.org",
    ]
