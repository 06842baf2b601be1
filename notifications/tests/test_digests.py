"""Notification e-mails on a real SMTP server: grouped, in the reader's language, never twice."""

import datetime
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from actions import services as actions
from conftest import message_text
from library.tests.factories import make_experience
from notifications import digests, writing
from notifications.models import Frequency, MailStatus, NotificationMail, Preference, TargetType
from notifications.services import set_preferences

from .factories import follows, make_city, make_theme, make_user, officer_of, run_worker

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 7)


def test_the_daily_digest_groups_updates_in_the_reader_s_language(smtp_server):
    city = make_city()
    officer = officer_of(city, preferred_language="es", first_name="Lucía")
    action = actions.create_action(
        titles={"en": "Map informal settlements", "es": "Cartografiar los asentamientos"},
        owner_organisations=[city],
        actor=None,
    )
    actions.post_update(action, text="Started.", progress=10, actor=None)
    actions.post_update(action, text="Half.", progress=50, actor=None)
    housing = make_theme("housing", "Housing")
    follows(officer, TargetType.THEME, housing.pk)
    make_experience(themes=[housing], title="Rental support in Quito")
    run_worker()
    assert smtp_server == []  # the daily digest is the default: nothing right away

    assert digests.send_digests(DAY) == 1
    [message] = smtp_server
    text = message_text(message)
    assert message["To"] == officer.email
    assert "Estimada/o Lucía" in text or "Lucía" in text
    assert "3 novedades sobre Cartografiar los asentamientos" in text
    # Content in the best language available: the experience only exists in English.
    assert "Rental support in Quito" in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" in message["List-Unsubscribe"]

    # Run again the same day: nothing more is sent.
    assert digests.send_digests(DAY) == 0
    assert len(smtp_server) == 1


def test_immediate_and_never_preferences(smtp_server):
    housing = make_theme("housing")
    eager, quiet = make_user(), make_user()
    for user in (eager, quiet):
        follows(user, TargetType.THEME, housing.pk)
    set_preferences({"experience.published": Frequency.IMMEDIATELY}, actor=eager)
    set_preferences({"experience.published": Frequency.NEVER}, actor=quiet)

    make_experience(themes=[housing], title="Bus rapid transit")
    run_worker()
    assert [m["To"] for m in smtp_server] == [eager.email]

    digests.send_digests(DAY)
    assert [m["To"] for m in smtp_server] == [eager.email]
    # Both still see it in the platform.
    assert quiet.notifications.count() == 1


class _RefusesOnce:
    """An SMTP server that refuses the n-th message once, as a relay failing mid-run."""

    def __init__(self, refuse_at: int):
        self.refuse_at = refuse_at
        self.seen = 0
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.seen += 1
        if self.seen == self.refuse_at:
            return "554 Transaction failed"
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


@pytest.fixture
def flaky_smtp(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = _RefusesOnce(refuse_at=3)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    yield handler
    controller.stop()


def test_a_run_that_fails_halfway_resumes_without_sending_anything_twice(flaky_smtp):
    housing = make_theme("housing")
    readers = [make_user() for _ in range(5)]
    for user in readers:
        follows(user, TargetType.THEME, housing.pk)
    make_experience(themes=[housing])
    run_worker()

    with pytest.raises(Exception):  # noqa: B017, PT011 - the relay's refusal
        digests.send_digests(DAY)
    assert len(flaky_smtp.messages) == 2
    assert NotificationMail.objects.filter(status=MailStatus.SENT).count() == 2
    assert NotificationMail.objects.filter(status=MailStatus.PENDING).count() == 3

    assert digests.send_digests(DAY) == 3
    received = sorted(m["To"] for m in flaky_smtp.messages)
    assert received == sorted(user.email for user in readers)


def test_a_digest_a_failed_run_left_unsent_goes_out_with_the_next_day_s_run(flaky_smtp):
    housing = make_theme("housing")
    readers = [make_user() for _ in range(5)]
    for user in readers:
        follows(user, TargetType.THEME, housing.pk)
    make_experience(themes=[housing])
    run_worker()
    with pytest.raises(Exception):  # noqa: B017, PT011 - the relay's refusal
        digests.send_digests(DAY)

    assert digests.send_digests(DAY + datetime.timedelta(days=1)) == 3
    received = sorted(m["To"] for m in flaky_smtp.messages)
    assert received == sorted(user.email for user in readers)


def test_a_worker_killed_mid_run_leaves_its_digests_to_the_next_run_never_sent_twice(
    smtp_server,
):
    housing = make_theme("housing")
    readers = [make_user() for _ in range(5)]
    for user in readers:
        follows(user, TargetType.THEME, housing.pk)
    make_experience(themes=[housing])
    run_worker()
    key = f"daily:{DAY.isoformat()}"
    # The worker that died had claimed every digest and handed the first one's content over
    # (perhaps delivered, perhaps not) when it was killed.
    digests._claim(key, Frequency.DAILY)
    claimed = digests._claim_batch(key, "dead-worker", size=5)
    assert len(claimed) == 5
    assert digests.Ledger("dead-worker").handed(claimed[0])

    # While its lease runs, its digests are left alone.
    assert digests.send_digests(DAY) == 0
    assert smtp_server == []

    # Once the lease has expired the next run sends the four others, and not the one
    # whose content may have arrived.
    NotificationMail.objects.update(
        claimed_at=timezone.now() - digests.LEASE - datetime.timedelta(seconds=1)
    )
    assert digests.send_digests(DAY) == 4
    handed_over = NotificationMail.objects.get(pk=claimed[0].pk)
    assert handed_over.status == MailStatus.SENDING
    assert sorted(m["To"] for m in smtp_server) == sorted(
        user.email for user in readers if user.pk != handed_over.user_id
    )
    assert digests.send_digests(DAY) == 0
    assert len(smtp_server) == 4


class _RefusesAddress:
    """An SMTP server that refuses one recipient for good."""

    def __init__(self):
        self.refused = ""
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's name
        if address == self.refused:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


def test_an_address_the_relay_refuses_for_good_does_not_hold_up_the_others(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = _RefusesAddress()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    try:
        housing = make_theme("housing")
        readers = [make_user() for _ in range(3)]
        for user in readers:
            follows(user, TargetType.THEME, housing.pk)
        make_experience(themes=[housing])
        run_worker()
        handler.refused = readers[1].email

        assert digests.send_digests(DAY) == 2
    finally:
        controller.stop()
    assert sorted(m["To"] for m in handler.messages) == sorted([readers[0].email, readers[2].email])
    assert NotificationMail.objects.get(user=readers[1]).status == MailStatus.SKIPPED
    assert readers[1].notifications.count() == 1


def test_one_click_unsubscribe_stops_that_kind_and_a_forged_link_changes_nothing(client):
    user = make_user()
    url = writing.unsubscribe_url(user.pk, "action.updated").removeprefix("http://127.0.0.1:8000")
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Preference.objects.get(user=user, kind="action.updated").frequency == Frequency.NEVER

    forged = url.replace("action.updated", "action.assigned")
    response = client.post(forged, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 400
    assert not Preference.objects.filter(kind="action.assigned").exists()


def test_an_address_that_bounces_gets_no_mail_and_keeps_its_notifications(smtp_server):
    from circulars.models import Suppression, SuppressionReason

    housing = make_theme("housing")
    bouncing, fine = make_user(), make_user()
    for user in (bouncing, fine):
        follows(user, TargetType.THEME, housing.pk)
    Suppression.objects.create(email=bouncing.email, reason=SuppressionReason.BOUNCED)
    make_experience(themes=[housing])
    run_worker()
    assert digests.send_digests(DAY) == 1
    assert [m["To"] for m in smtp_server] == [fine.email]
    assert bouncing.notifications.count() == 1
    assert NotificationMail.objects.get(user=bouncing).status == MailStatus.SKIPPED
