"""Bounce reports (RFC 3464 DSNs) read from a maildir or an mbox by record_bounces."""

import mailbox
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from circulars import delivery
from circulars.bounces import read_dsn
from circulars.models import Delivery, DeliveryStatus, SegmentKind, Suppression

from .factories import make_circular, sending

pytestmark = pytest.mark.django_db

# A delivery status notification as Postfix writes it, returning our message's headers.
DSN = """\
Return-Path: <>
Received: by mx.example.net (Postfix) id 3F1A2B; Thu, 26 Nov 2026 06:01:02 +0000 (UTC)
Date: Thu, 26 Nov 2026 06:01:02 +0000 (UTC)
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: no-reply@entrevilles.example.org
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="3F1A2B.1764136862/mx.example.net"
Message-Id: <20261126060102.3F1A2B@mx.example.net>

This is a MIME-encapsulated message.

--3F1A2B.1764136862/mx.example.net
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<{gone}>: host mail.example.org[192.0.2.7] said: 550 5.1.1
    <{gone}>: Recipient address rejected: User unknown in virtual mailbox
    table (in reply to RCPT TO command)

--3F1A2B.1764136862/mx.example.net
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 3F1A2B
X-Postfix-Sender: rfc822; no-reply@entrevilles.example.org
Arrival-Date: Thu, 26 Nov 2026 06:01:01 +0000 (UTC)

Final-Recipient: rfc822; {gone_upper}
Original-Recipient: rfc822;{gone}
Action: failed
Status: 5.1.1
Remote-MTA: dns; mail.example.org
Diagnostic-Code: smtp; 550 5.1.1 <{gone}>: Recipient address rejected: User
    unknown in virtual mailbox table

Final-Recipient: rfc822; {slow}
Action: delayed
Status: 4.4.1
Diagnostic-Code: smtp; 451 4.4.1 Try again later

--3F1A2B.1764136862/mx.example.net
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Subject: Outcome of the meeting
From: Entrevilles <no-reply@entrevilles.example.org>
To: <{gone}>
Message-ID: {message_id}
List-Id: <circulars.entrevilles.example.org>

--3F1A2B.1764136862/mx.example.net--
"""

NOT_A_DSN = """\
From: someone@example.org
To: no-reply@entrevilles.example.org
Subject: Out of office

I am away until Monday.
"""


@pytest.fixture
def audience(commission, officer_person, colleague, durban_person):
    """The commission's members' people: the city officer and a colleague."""
    return commission


def _sent_circular(commission, smtp_relay):
    circular = make_circular(
        commissions=[commission],
        audience=[{"kind": SegmentKind.COMMISSION_MEMBERS, "commission": commission}],
    )
    circular = sending(circular)
    delivery.run(circular.pk)
    return circular


def _dsn(row, slow="other@example.org", message_id=None):
    domain = delivery.Renderer.message_domain()
    return DSN.format(
        gone=row.email,
        gone_upper=row.email.upper(),
        slow=slow,
        message_id=message_id or row.message_id(domain),
    )


def test_a_dsn_in_a_maildir_marks_the_delivery_bounced_and_suppresses_the_address(
    audience, smtp_relay, tmp_path
):
    circular = _sent_circular(audience, smtp_relay)
    gone, kept = list(circular.deliveries.order_by("id"))
    box = mailbox.Maildir(tmp_path / "bounces")
    box.add(_dsn(gone, slow=kept.email))
    box.add(NOT_A_DSN)
    out = StringIO()

    call_command("record_bounces", "--mailbox", str(tmp_path / "bounces"), stdout=out)

    assert out.getvalue().strip() == (
        "2 messages read, 1 bounce reports; 1 bounced addresses recorded, "
        "1 deliveries marked bounced"
    )
    gone.refresh_from_db()
    assert gone.status == DeliveryStatus.BOUNCED
    assert gone.smtp_reply.startswith("5.1.1 550 5.1.1")
    assert "User unknown in virtual mailbox table" in gone.smtp_reply
    suppression = Suppression.objects.get(email=gone.email)
    assert (suppression.reason, suppression.circular) == ("bounced", circular)
    # A delay is not a bounce.
    assert Delivery.objects.get(pk=kept.pk).status == DeliveryStatus.SENT
    assert not Suppression.objects.filter(email=kept.email).exists()
    assert delivery.progress(circular.pk)["bounced"] == 1
    assert AuditEntry.objects.filter(action="circulars.delivery.bounced").count() == 1

    # Reading the same mailbox again changes nothing.
    call_command("record_bounces", "--mailbox", str(tmp_path / "bounces"), stdout=StringIO())
    assert Suppression.objects.count() == 1
    assert AuditEntry.objects.filter(action="circulars.delivery.bounced").count() == 1


def test_a_dsn_in_an_mbox_without_our_message_id_marks_the_latest_delivery(
    audience, smtp_relay, tmp_path
):
    circular = _sent_circular(audience, smtp_relay)
    gone = circular.deliveries.order_by("id").first()
    box = mailbox.mbox(tmp_path / "bounces.mbox")
    box.add(_dsn(gone, message_id="<something-else@example.net>"))
    box.flush()
    box.close()

    call_command("record_bounces", "--mailbox", str(tmp_path / "bounces.mbox"), stdout=StringIO())

    gone.refresh_from_db()
    assert gone.status == DeliveryStatus.BOUNCED
    assert Suppression.objects.filter(email=gone.email, reason="bounced").exists()


def test_a_later_circular_skips_a_bounced_address(audience, smtp_relay, tmp_path):
    first = _sent_circular(audience, smtp_relay)
    gone = first.deliveries.order_by("id").first()
    box = mailbox.Maildir(tmp_path / "bounces")
    box.add(_dsn(gone))
    call_command("record_bounces", "--mailbox", str(tmp_path / "bounces"), stdout=StringIO())
    smtp_relay.messages.clear()

    second = _sent_circular(audience, smtp_relay)

    assert gone.email not in smtp_relay.received_by()
    assert not second.deliveries.filter(email=gone.email).exists()


def test_only_failed_recipients_of_a_delivery_status_report_are_bounces():
    import email

    assert read_dsn(email.message_from_string(NOT_A_DSN)) is None
    row = Delivery(pk=7, circular_id=3, email="gone@example.org")
    bounces = read_dsn(email.message_from_string(_dsn(row, slow="later@example.org")))
    assert [(b.email, b.status, b.delivery_ids()) for b in bounces] == [
        ("gone@example.org", "5.1.1", (3, 7))
    ]


def test_a_missing_mailbox_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read the mailbox"):
        call_command("record_bounces", "--mailbox", str(tmp_path / "nothing.mbox"))


def test_addresses_can_still_be_given_by_hand(db):
    out = StringIO()
    call_command("record_bounces", "a@example.org", "not-an-address", stdout=out, stderr=StringIO())
    assert "1 bounced addresses recorded" in out.getvalue()
    assert Suppression.objects.filter(email="a@example.org", reason="bounced").exists()
