"""Sending unconfirmed deliveries again: only after checking, by those who may send."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEntry
from circulars import delivery
from circulars.models import CircularStatus, Delivery, DeliveryStatus, SegmentKind

from .factories import make_circular, sending

pytestmark = pytest.mark.django_db


@pytest.fixture
def audience(commission, officer_person, colleague, durban_person):
    """The commission, whose members' people are the city officer and a colleague."""
    return commission


def _sent_with_one_unconfirmed(commission, smtp_relay):
    """A circular to the planning members, sent, whose first row the worker left
    unconfirmed (it died while handing it over, and the message never arrived)."""
    circular = sending(
        make_circular(
            commissions=[commission],
            audience=[{"kind": SegmentKind.COMMISSION_MEMBERS, "commission": commission}],
        )
    )
    first = circular.deliveries.order_by("id").first()
    Delivery.objects.filter(pk=first.pk).update(status=DeliveryStatus.UNCONFIRMED)
    delivery.run(circular.pk)
    circular.refresh_from_db()
    assert circular.status == CircularStatus.SENT
    return circular, first


def test_a_secretariat_checks_then_sends_the_unconfirmed_delivery_again(
    client, secretariat, audience, smtp_relay, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    circular, first = _sent_with_one_unconfirmed(audience, smtp_relay)
    assert first.email not in smtp_relay.received_by()
    client.force_login(secretariat)

    detail = client.get(reverse("circulars:detail", args=[circular.pk]))
    assert "Check the unconfirmed delivery and send it again" in detail.text
    page = client.get(reverse("circulars:resend_unconfirmed", args=[circular.pk]))
    assert page.status_code == 200
    assert first.email in page.text
    assert f"&lt;circular-{circular.pk}.delivery-{first.pk}@" in page.text

    # Without ticking the confirmation nothing happens.
    refused = client.post(reverse("circulars:resend_unconfirmed", args=[circular.pk]), follow=True)
    assert "Confirm that you checked these messages were not delivered." in refused.text
    assert Delivery.objects.get(pk=first.pk).status == DeliveryStatus.UNCONFIRMED

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("circulars:resend_unconfirmed", args=[circular.pk]),
            {"confirm": "yes"},
            follow=True,
        )
    assert "1 unconfirmed delivery is queued again." in done.text
    assert smtp_relay.received_by().count(first.email) == 1
    row = Delivery.objects.get(pk=first.pk)
    assert row.status == DeliveryStatus.SENT
    circular.refresh_from_db()
    assert circular.status == CircularStatus.SENT
    assert [e.status_after for e in circular.events.all()][-2:] == ["sending", "sent"]
    entry = AuditEntry.objects.get(action="circulars.circular.unconfirmed_resent")
    assert (entry.actor, entry.after["count"], entry.after["emails"]) == (
        secretariat,
        1,
        [first.email],
    )


def test_those_who_may_not_send_the_circular_cannot_resend_its_deliveries(
    client, other_secretariat, presidency, city_officer, outsider, audience, smtp_relay
):
    circular, first = _sent_with_one_unconfirmed(audience, smtp_relay)
    url = reverse("circulars:resend_unconfirmed", args=[circular.pk])
    assert client.post(url, {"confirm": "yes"}).status_code == 302  # to the login page
    for user, status in (
        (presidency, 403),
        (other_secretariat, 404),
        (city_officer, 404),
        (outsider, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status
        assert client.post(url, {"confirm": "yes"}).status_code == status
    assert Delivery.objects.get(pk=first.pk).status == DeliveryStatus.UNCONFIRMED
    assert not AuditEntry.objects.filter(action="circulars.circular.unconfirmed_resent").exists()


def test_the_network_administrator_resends_through_the_api_after_confirming(
    administrator, presidency, audience, smtp_relay
):
    circular, first = _sent_with_one_unconfirmed(audience, smtp_relay)
    api = APIClient()
    url = f"/api/circulars/{circular.pk}/resend-unconfirmed/"
    api.force_authenticate(presidency)
    assert api.post(url, {"confirm": True}, format="json").status_code == 403

    api.force_authenticate(administrator)
    refused = api.post(url, {}, format="json")
    assert refused.status_code == 400
    assert "Confirm that you checked" in str(refused.json())
    assert api.post(url, {"confirm": "maybe"}, format="json").status_code == 400

    done = api.post(url, {"confirm": True}, format="json")
    assert done.status_code == 200
    assert done.json() == {"queued": 1}
    assert Delivery.objects.get(pk=first.pk).status == DeliveryStatus.QUEUED
    circular.refresh_from_db()
    assert circular.status == CircularStatus.SENDING

    again = api.post(url, {"confirm": True}, format="json")
    assert again.status_code == 400
    assert "No delivery is unconfirmed." in str(again.json())


def test_a_draft_has_nothing_to_resend(commission, administrator):
    circular = make_circular(commissions=[commission])
    api = APIClient()
    api.force_authenticate(administrator)
    response = api.post(
        f"/api/circulars/{circular.pk}/resend-unconfirmed/", {"confirm": True}, format="json"
    )
    assert response.status_code == 400
    circular.refresh_from_db()
    assert circular.status == CircularStatus.DRAFT


def _sent_with_two_unconfirmed(audience, smtp_relay):
    """Two rows left unconfirmed: the first was delivered, the second was not."""
    circular, first = _sent_with_one_unconfirmed(audience, smtp_relay)
    second = circular.deliveries.exclude(pk=first.pk).order_by("id").first()
    Delivery.objects.filter(pk=second.pk).update(status=DeliveryStatus.UNCONFIRMED)
    return circular, first, second


def test_deliveries_found_in_the_mail_servers_log_are_marked_sent_and_only_the_others_resent(
    client, secretariat, audience, smtp_relay, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    circular, lost, delivered = _sent_with_two_unconfirmed(audience, smtp_relay)
    received_before = smtp_relay.received_by().count(delivered.email)
    url = reverse("circulars:resend_unconfirmed", args=[circular.pk])
    client.force_login(secretariat)
    assert "Message-IDs found in the mail server's log" in client.get(url).text

    nothing = client.post(url, {"message_ids": "no identifier here"}, follow=True)
    assert "No Message-ID of this circular was found in the text." in nothing.text
    log = (
        f"Nov 26 07:01:02 relay postfix/smtpd: message-id="
        f"<circular-{circular.pk}.delivery-{delivered.pk}@example.org> status=sent"
    )
    marked = client.post(url, {"message_ids": log}, follow=True)
    assert "1 delivery found in the mail server&#x27;s log is marked as sent." in marked.text
    assert Delivery.objects.get(pk=delivered.pk).status == DeliveryStatus.SENT
    assert delivered.email not in marked.text  # no longer listed
    assert lost.email in marked.text

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"confirm": "yes"}, follow=True)
    assert smtp_relay.received_by().count(lost.email) == 1
    assert smtp_relay.received_by().count(delivered.email) == received_before
    entry = AuditEntry.objects.get(action="circulars.circular.unconfirmed_confirmed")
    assert (entry.actor, entry.after["emails"]) == (secretariat, [delivered.email])


def test_marking_deliveries_sent_is_refused_to_others_and_checked_in_the_api(
    client, administrator, presidency, city_officer, audience, smtp_relay
):
    circular, lost, delivered = _sent_with_two_unconfirmed(audience, smtp_relay)
    text = f"<circular-{circular.pk}.delivery-{delivered.pk}@example.org>"
    client.force_login(city_officer)
    url = reverse("circulars:resend_unconfirmed", args=[circular.pk])
    assert client.post(url, {"message_ids": text}).status_code == 404
    api = APIClient()
    api_url = f"/api/circulars/{circular.pk}/confirm-delivered/"
    api.force_authenticate(presidency)
    assert api.post(api_url, {"message_ids": text}, format="json").status_code == 403
    assert Delivery.objects.get(pk=delivered.pk).status == DeliveryStatus.UNCONFIRMED

    api.force_authenticate(administrator)
    other = f"<circular-{circular.pk + 1}.delivery-{delivered.pk}@example.org>"
    refused = api.post(api_url, {"message_ids": other}, format="json")
    assert refused.status_code == 400
    assert "No Message-ID of this circular" in str(refused.json())
    done = api.post(api_url, {"message_ids": [text]}, format="json")
    assert (done.status_code, done.json()) == (200, {"sent": 1})
    again = api.post(api_url, {"message_ids": text}, format="json")
    assert again.status_code == 400
    assert "None of these Message-IDs" in str(again.json())
    assert Delivery.objects.get(pk=lost.pk).status == DeliveryStatus.UNCONFIRMED
