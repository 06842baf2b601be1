"""Delivery through a real SMTP server: each recipient exactly once, whatever happens."""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from circulars import delivery, services
from circulars.models import (
    CircularStatus,
    Delivery,
    DeliveryStatus,
    SegmentKind,
    Suppression,
)
from conftest import message_text

from .factories import add_member, make_circular, make_organisation, make_person, sending

pytestmark = pytest.mark.django_db


def _audience_of(count: int, **person_values):
    """A commission whose member organisation has `count` people with addresses."""
    from .factories import make_commission

    commission = make_commission()
    city = make_organisation(name="Fès")
    add_member(commission, city)
    people = [
        make_person(organisation=city, email=f"r{i}@example.org", **person_values)
        for i in range(count)
    ]
    return commission, people


def _circular_to(count: int, **overrides):
    commission, people = _audience_of(count)
    circular = make_circular(
        commissions=[commission],
        audience=[{"kind": SegmentKind.COMMISSION_MEMBERS, "commission": commission}],
        **overrides,
    )
    return sending(circular), people


def _assert_each_once(smtp_relay, people):
    received = Counter(smtp_relay.received_by())
    assert received == Counter({p.email.lower(): 1 for p in people})


def test_links_to_the_platform_in_a_message_use_the_configured_site_address(smtp_relay, settings):
    settings.SITE_URL = "https://entrevilles.example.org"
    circular, _people = _circular_to(
        1,
        subjects={"en": "Links"},
        bodies={
            "en": "Dear {{name}},\n\nSee [the action plan](/actions/) and [us](https://example.org/w)."
        },
    )

    delivery.run(circular.pk)

    message = smtp_relay.messages[0]
    html = message.get_body(preferencelist=("html",)).get_content()
    assert '<a href="https://entrevilles.example.org/actions/"' in html
    assert '<a href="https://example.org/w"' in html
    assert "(https://entrevilles.example.org/actions/)" in message_text(message)


def test_each_copy_names_its_recipient_escaped_in_html_and_keeps_the_texts_own_braces(
    smtp_relay,
):
    commission, _people = _audience_of(0)
    city = commission.members.get()
    make_person(organisation=city, email="a@example.org", first_name="Zoé <b>", last_name="{x}")
    make_person(organisation=city, email="b@example.org", first_name="Li", last_name="Wu")
    circular = sending(
        make_circular(
            commissions=[commission],
            audience=[{"kind": SegmentKind.COMMISSION_MEMBERS, "commission": commission}],
            subjects={"en": "Braces"},
            bodies={"en": "Dear {{ name }} of {{organisation}}: the set {a, b} is kept."},
        )
    )

    delivery.run(circular.pk)

    by_address = {m.envelope_recipients[0]: m for m in smtp_relay.messages}
    text = message_text(by_address["a@example.org"])
    assert "Dear Zoé <b> {x} of Fès: the set {a, b} is kept." in text
    html = by_address["a@example.org"].get_body(preferencelist=("html",)).get_content()
    assert "Dear Zoé &lt;b&gt; {x} of Fès: the set {a, b} is kept." in html
    assert "Dear Li Wu of Fès" in message_text(by_address["b@example.org"])
    # Each copy its own unsubscribe link, in both parts.
    url = by_address["b@example.org"]["List-Unsubscribe"].strip("<>")
    assert url in message_text(by_address["b@example.org"]) and url not in text


def test_a_run_sends_one_message_per_recipient_and_marks_the_circular_sent(smtp_relay):
    circular, people = _circular_to(7)

    assert delivery.run(circular.pk) is None

    _assert_each_once(smtp_relay, people)
    circular.refresh_from_db()
    assert circular.status == CircularStatus.SENT
    assert set(circular.deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert circular.events.filter(status_after=CircularStatus.SENT).count() == 1


def test_each_message_carries_the_list_headers_and_a_signed_unsubscribe_link(smtp_relay):
    circular, people = _circular_to(1)
    delivery.run(circular.pk)

    message = smtp_relay.messages[0]
    row = Delivery.objects.get(circular=circular)
    assert (
        message["Message-ID"]
        == f"<circular-{circular.pk}.delivery-{row.pk}@entrevilles.example.org>"
    )
    assert message["List-Id"] == "<circulars.entrevilles.example.org>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Precedence"] == "bulk"
    assert message["Auto-Submitted"] == "auto-generated"
    url = message["List-Unsubscribe"].strip("<>")
    assert "/circulars/unsubscribe/" in url
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert delivery.read_unsubscribe_token(token) == (people[0].email, circular.pk)
    assert url in message_text(message)
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "<strong>meeting</strong>" in html
    assert url.replace("&", "&amp;") in html


def test_each_recipient_reads_their_own_language_or_the_original_with_a_note(smtp_relay):
    commission, _people = _audience_of(0)
    city = commission.members.get()
    french = make_person(organisation=city, email="fr@example.org", preferred_language="fr")
    spanish = make_person(organisation=city, email="es@example.org", preferred_language="es")
    circular = make_circular(
        commissions=[commission],
        audience=[{"kind": SegmentKind.COMMISSION_MEMBERS, "commission": commission}],
    )
    delivery.run(sending(circular).pk)

    by_address = {m.envelope_recipients[0]: m for m in smtp_relay.messages}
    fr = by_address[french.email]
    assert fr["Subject"] == "Résultats de la réunion"
    assert fr["Content-Language"] == "fr"
    assert f"Cher·e {french.first_name} {french.last_name}" in message_text(fr)
    es = by_address[spanish.email]
    # No Spanish version: the original (English), and a note in Spanish saying so.
    assert es["Subject"] == "Outcome of the meeting"
    assert "no está disponible en su idioma" in message_text(es)


def test_a_worker_dying_between_claim_and_send_loses_nobody(smtp_relay):
    circular, people = _circular_to(5)
    claimed = delivery.claim_batch(circular.pk, "dead-worker")
    assert len(claimed) == 5
    # The worker dies here: its rows stay "sending" and nothing reached the server.
    # Within the lease another run leaves those rows alone (their worker may be alive).
    assert delivery.run(circular.pk) is None
    assert smtp_relay.messages == []
    circular.refresh_from_db()
    assert circular.status == CircularStatus.SENDING

    later = timezone.now() + delivery.LEASE + timedelta(seconds=1)
    assert delivery.run(circular.pk, now=later) is None

    _assert_each_once(smtp_relay, people)
    assert circular.deliveries.filter(status=DeliveryStatus.SENT).count() == 5


def test_a_worker_dying_between_send_and_record_sends_nobody_twice(smtp_relay):
    circular, people = _circular_to(4)
    claimed = delivery.claim_batch(circular.pk, "dead-worker")
    first = claimed[0]
    # The worker hands the first message over, the server accepts it, and the worker
    # dies before recording the reply.
    connection = delivery.open_smtp()
    connection.before_content = lambda: delivery.mark_handed(first, "dead-worker")
    renderer = delivery.Renderer(circular)
    connection.mail(renderer.envelope_from)
    connection.rcpt(first.email)
    code, _reply = connection.data(renderer.message(first))
    connection.close()
    assert code == 250
    assert Delivery.objects.get(pk=first.pk).status == DeliveryStatus.HANDED

    later = timezone.now() + delivery.LEASE + timedelta(seconds=1)
    assert delivery.run(circular.pk, now=later) is None

    _assert_each_once(smtp_relay, people)
    row = Delivery.objects.get(pk=first.pk)
    assert row.status == DeliveryStatus.UNCONFIRMED
    circular.refresh_from_db()
    assert circular.status == CircularStatus.SENT


def test_a_slow_worker_whose_lease_expired_cannot_send_a_recovered_row(smtp_relay):
    circular, people = _circular_to(2)
    slow = delivery.claim_batch(circular.pk, "slow-worker")
    later = timezone.now() + delivery.LEASE + timedelta(seconds=1)
    delivery.run(circular.pk, now=later)  # another worker recovers and sends both
    # The slow worker wakes up and tries to send what it had claimed.
    outcome = delivery.send_batch(circular, slow, "slow-worker")

    assert outcome.skipped == 2
    _assert_each_once(smtp_relay, people)


def test_stopping_pauses_the_run_and_resuming_sends_the_rest_once(smtp_relay):
    circular, people = _circular_to(6)
    first = delivery.claim_batch(circular.pk, "w1", size=2)
    delivery.send_batch(circular, first, "w1")
    services.stop_sending(circular, actor=None)

    assert delivery.run(circular.pk) is None
    assert len(smtp_relay.messages) == 2
    circular.refresh_from_db()
    assert circular.status == CircularStatus.STOPPED

    services.resume_sending(circular, actor=None)
    delivery.run(circular.pk)

    _assert_each_once(smtp_relay, people)
    circular.refresh_from_db()
    assert circular.status == CircularStatus.SENT
    assert [e.status_after for e in circular.events.all()][-3:] == ["stopped", "sending", "sent"]


def test_a_temporary_refusal_is_retried_later_and_delivered_once(smtp_relay):
    circular, people = _circular_to(3)
    smtp_relay.refuse["r1@example.org"] = ("451 4.7.1 Greylisted, try again later", 1)

    next_due = delivery.run(circular.pk)

    row = Delivery.objects.get(circular=circular, email="r1@example.org")
    assert row.status == DeliveryStatus.QUEUED
    assert row.smtp_reply.startswith("451")
    assert next_due == row.next_attempt_at > timezone.now()
    assert len(smtp_relay.messages) == 2

    delivery.run(circular.pk, now=row.next_attempt_at + timedelta(seconds=1))

    _assert_each_once(smtp_relay, people)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 2)


def test_a_permanent_refusal_fails_the_recipient_and_suppresses_the_address(smtp_relay):
    circular, people = _circular_to(3)
    smtp_relay.refuse["r2@example.org"] = ("550 5.1.1 No such user", None)

    delivery.run(circular.pk)

    row = Delivery.objects.get(circular=circular, email="r2@example.org")
    assert (row.status, row.permanent) == (DeliveryStatus.FAILED, True)
    assert "No such user" in row.smtp_reply
    assert Suppression.objects.filter(email="r2@example.org").exists()
    circular.refresh_from_db()
    assert circular.status == CircularStatus.SENT
    assert len(smtp_relay.messages) == 2


def test_repeated_temporary_failures_end_in_failure_after_the_last_attempt(smtp_relay):
    circular, _people = _circular_to(1)
    smtp_relay.refuse["r0@example.org"] = ("421 4.3.0 Busy", None)
    now = timezone.now()
    for _attempt in range(delivery.MAX_ATTEMPTS):
        delivery.run(circular.pk, now=now)
        now += timedelta(hours=3)

    row = Delivery.objects.get(circular=circular)
    assert (row.status, row.attempts, row.permanent) == (DeliveryStatus.FAILED, 5, False)
    circular.refresh_from_db()
    assert circular.status == CircularStatus.SENT


def test_an_invalid_address_fails_alone_and_the_run_goes_on(smtp_relay):
    circular, people = _circular_to(2)
    Delivery.objects.filter(circular=circular, email="r0@example.org").update(
        email="not an address"
    )

    delivery.run(circular.pk)

    row = Delivery.objects.get(circular=circular, email="not an address")
    assert row.status == DeliveryStatus.FAILED
    assert row.smtp_reply == "Invalid e-mail address."
    assert smtp_relay.received_by() == ["r1@example.org"]


def test_a_row_made_ready_while_the_previous_one_was_sent_fails_alone(smtp_relay):
    # Each message is made ready while the server answers the one before: an address
    # that cannot be sent, in the middle of a batch, fails in its turn and alone.
    circular, _people = _circular_to(3)
    Delivery.objects.filter(circular=circular, email="r1@example.org").update(
        email="not an address"
    )

    delivery.run(circular.pk, connections=1)  # one batch of three, in turn

    rows = dict(circular.deliveries.values_list("email", "status"))
    assert rows == {
        "r0@example.org": DeliveryStatus.SENT,
        "not an address": DeliveryStatus.FAILED,
        "r2@example.org": DeliveryStatus.SENT,
    }
    assert sorted(smtp_relay.received_by()) == ["r0@example.org", "r2@example.org"]


def test_a_relay_silent_past_the_timeout_leaves_the_message_unconfirmed(smtp_relay, settings):
    # The timeout is kept by the system on a plain connection: a relay that takes longer
    # to answer the content ends the wait, and the message is never sent twice.
    settings.MAILERS["default"]["OPTIONS"]["timeout"] = 0.3
    smtp_relay.delay = 1.0
    circular, _people = _circular_to(1)

    delivery.run(circular.pk, connections=1)

    row = circular.deliveries.get()
    assert row.status == DeliveryStatus.UNCONFIRMED
    assert "Connection lost after the message was transmitted" in row.smtp_reply


def test_an_unreachable_server_queues_the_batch_again(settings, db):
    circular, _people = _circular_to(3)
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    delivery.run(circular.pk)

    rows = list(circular.deliveries.all())
    assert {r.status for r in rows} == {DeliveryStatus.QUEUED}
    assert all("Cannot reach the mail server" in r.smtp_reply for r in rows)


def test_later_circulars_skip_unsubscribed_and_bounced_addresses(smtp_relay):
    commission, people = _audience_of(3)
    services.suppress(people[0].email, reason="unsubscribed", actor=None)
    services.suppress(people[1].email.upper(), reason="bounced", actor=None)
    circular = make_circular(
        commissions=[commission],
        audience=[{"kind": SegmentKind.COMMISSION_MEMBERS, "commission": commission}],
    )
    delivery.run(sending(circular).pk)

    assert smtp_relay.received_by() == [people[2].email]


def test_a_forged_or_tampered_unsubscribe_token_is_refused():
    from django.core import signing

    token = delivery.unsubscribe_token("a@example.org", 1)
    with pytest.raises(signing.BadSignature):
        delivery.read_unsubscribe_token(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    with pytest.raises(signing.BadSignature):
        delivery.read_unsubscribe_token(signing.dumps({"e": "a@example.org", "c": 1}))


def test_an_unsubscribe_link_in_the_earlier_signed_format_still_works():
    from django.core import signing

    token = signing.dumps(
        {"e": "a@example.org", "c": 7}, salt=delivery.UNSUBSCRIBE_SALT, compress=True
    )
    assert delivery.read_unsubscribe_token(token) == ("a@example.org", 7)


def test_an_unsubscribe_token_carries_an_address_with_any_characters_and_expires(
    settings, monkeypatch
):
    from django.core import signing

    token = delivery.unsubscribe_token("josé.o'neil+circ@example.org", 12)
    assert delivery.read_unsubscribe_token(token) == ("josé.o'neil+circ@example.org", 12)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-this-test-only-0123456789"
    assert delivery.read_unsubscribe_token(token)[1] == 12
    later = time.time() + (delivery.UNSUBSCRIBE_MAX_AGE.days + 2) * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(signing.SignatureExpired):
        delivery.read_unsubscribe_token(token)


def test_a_run_whose_worker_went_silent_is_given_a_new_one_after_the_lease(
    smtp_relay, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    circular, people = _circular_to(3)
    delivery.claim_batch(circular.pk, "dead-worker", size=1)  # then the worker died

    assert services.keep_going(circular) is False  # within the lease: maybe still alive
    later = timezone.now() + delivery.LEASE + timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.keep_going(circular, now=later) is True
    # The new run sent the two unclaimed rows; the dead worker's row waits for its lease.
    assert len(smtp_relay.messages) == 2
    delivery.run(circular.pk, now=later + delivery.LEASE)
    _assert_each_once(smtp_relay, people)


def test_scheduling_needs_an_approved_circular_and_a_future_time(db):
    from django.core.exceptions import ValidationError

    circular = make_circular()
    with pytest.raises(ValidationError):
        services.schedule_circular(circular, timezone.now() + timedelta(days=1), actor=None)
    services.approve_circular(circular, actor=None)
    with pytest.raises(ValidationError):
        services.schedule_circular(circular, timezone.now() - timedelta(hours=1), actor=None)
    services.schedule_circular(circular, timezone.now() + timedelta(days=1), actor=None)
    circular.refresh_from_db()
    assert circular.status == CircularStatus.SCHEDULED


def test_a_worker_dying_before_writing_an_accepted_message_leaves_it_unconfirmed_not_resent(
    smtp_relay,
):
    circular, people = _circular_to(3)
    claimed = delivery.claim_batch(circular.pk, "dead-worker")
    ledger = delivery.Ledger("dead-worker")
    connection = delivery.open_smtp()
    outcome = delivery.Outcome()
    # The first message is accepted; its "sent" waits for the next hand-over, which never
    # comes: the worker dies here.
    assert delivery.send_one(claimed[0], delivery.Renderer(circular), connection, ledger, outcome)
    connection.close()
    assert outcome.sent == 1 and ledger.pending
    assert Delivery.objects.get(pk=claimed[0].pk).status == DeliveryStatus.HANDED

    later = timezone.now() + delivery.LEASE + timedelta(seconds=1)
    delivery.run(circular.pk, now=later)

    _assert_each_once(smtp_relay, people)
    statuses = dict(circular.deliveries.values_list("pk", "status"))
    assert statuses.pop(claimed[0].pk) == DeliveryStatus.UNCONFIRMED
    assert set(statuses.values()) == {DeliveryStatus.SENT}


def assert_each_accepted_message_is_written_with_the_next_hand_over():
    """Three claimed rows sent one after the other: each "sent" is written with the next
    row's hand-over, the last one's at the ledger's flush."""
    circular, _people = _circular_to(3)
    claimed = delivery.claim_batch(circular.pk, "w1")
    ledger = delivery.Ledger("w1")
    renderer = delivery.Renderer(circular)
    connection = delivery.open_smtp()
    outcome = delivery.Outcome()
    for row in claimed:
        assert delivery.send_one(row, renderer, connection, ledger, outcome)
    connection.quit()

    rows = {row.pk: row for row in circular.deliveries.all()}
    assert [rows[row.pk].status for row in claimed] == ["sent", "sent", "handed"]
    assert rows[claimed[0].pk].smtp_reply == "250 OK" and rows[claimed[0].pk].sent_at
    ledger.flush()
    last = Delivery.objects.get(pk=claimed[2].pk)
    assert last.status == DeliveryStatus.SENT and last.smtp_reply == "250 OK"
    assert outcome.sent == 3


def test_each_accepted_message_is_written_with_the_next_hand_over(smtp_relay):
    # Inside a transaction (the test's): the statements through the framework's cursor.
    assert_each_accepted_message_is_written_with_the_next_hand_over()
