"""Digests handed over a pool of SMTP connections: each person once, over every connection."""

import datetime
from collections import Counter

import pytest

from conftest import message_text
from library.tests.factories import make_experience
from notifications import digests
from notifications.models import MailStatus, NotificationMail, TargetType

from .factories import follows, make_theme, make_user, run_worker

# The pool's threads have database connections of their own: they see committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)

DAY = datetime.date(2026, 12, 7)


def test_the_daily_digests_go_out_over_the_configured_connections_each_person_once(
    smtp_relay, settings
):
    settings.NOTIFICATIONS_SMTP_CONNECTIONS = 3
    # A relay that takes its time, as real ones do: a connection's share is not all
    # handed over before the other connections have claimed theirs.
    smtp_relay.delay = 0.05
    housing = make_theme("housing", "Housing")
    people = [make_user(email=f"p{n}@example.org") for n in range(24)]
    for person in people:
        follows(person, TargetType.THEME, housing.pk)
    make_experience(themes=[housing], title="Rental support in Quito")
    run_worker()

    assert digests.send_digests(DAY) == 24

    addresses = Counter(smtp_relay.received_by())
    assert addresses == Counter({person.email: 1 for person in people})
    assert all(
        "Rental support in Quito" in message_text(message) for message in smtp_relay.messages
    )
    # Several connections at once, never more than configured (a connection that opens
    # after the others have claimed everything due carries nothing).
    per_connection = Counter(message.peer for message in smtp_relay.messages)
    assert 2 <= len(per_connection) <= 3
    assert set(NotificationMail.objects.values_list("status", flat=True)) == {MailStatus.SENT}

    # The same day again: nothing more.
    assert digests.send_digests(DAY) == 0
    assert len(smtp_relay.messages) == 24
