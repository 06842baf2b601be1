"""The audience preview and the delivery log follow each person's visibility choice, as
the people API does: a private address is not shown to a secretariat or a presidency."""

import pytest
from django.urls import reverse

from circulars.models import Delivery, DeliveryStatus, SegmentKind
from network.models import Visibility

from .factories import make_circular, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def audience(commission, member_city):
    private = make_person(
        organisation=member_city, first_name="Pia", email="pia.private@example.org",
        contact_visibility=Visibility.PRIVATE,
    )  # fmt: skip
    public = make_person(
        organisation=member_city, first_name="Pablo", email="pablo.public@example.org",
        contact_visibility=Visibility.PUBLIC,
    )  # fmt: skip
    circular = make_circular(
        commissions=[commission],
        audience=[{"kind": SegmentKind.COMMISSION_MEMBERS, "commission": commission}],
    )
    return circular, private, public


def test_the_preview_hides_private_addresses_from_the_secretariat(client, secretariat, audience):
    circular, _private, _public = audience
    client.force_login(secretariat)
    page = client.get(reverse("circulars:audience", args=[circular.pk])).text
    assert "Pia" in page
    assert "pia.private@example.org" not in page
    assert "Not shown: its owner keeps it private" in page
    assert "pablo.public@example.org" in page


def test_the_preview_api_leaves_private_addresses_out(client, secretariat, audience):
    circular, _private, _public = audience
    client.force_login(secretariat)
    data = client.get(f"/api/circulars/{circular.pk}/preview/").json()
    emails = {row["name"].split()[0]: row["email"] for row in data["first"]}
    assert emails["Pia"] is None
    assert emails["Pablo"] == "pablo.public@example.org"
    assert data["total"] >= 2  # still counted: only the address is hidden


def test_an_administrator_sees_every_address_of_the_preview(client, administrator, audience):
    circular, _private, _public = audience
    client.force_login(administrator)
    page = client.get(reverse("circulars:audience", args=[circular.pk])).text
    assert "pia.private@example.org" in page


def test_the_delivery_log_hides_private_addresses_and_the_replies_quoting_them(
    client, administrator, secretariat, audience
):
    circular, private, public = audience
    for person in (private, public):
        Delivery.objects.create(
            circular=circular, person=person, email=person.email, name=person.full_name,
            language="en", status=DeliveryStatus.FAILED,
            smtp_reply=f"550 5.1.1 <{person.email}>: no such user",
        )  # fmt: skip
    client.force_login(administrator)
    assert (
        "pia.private@example.org"
        in client.get(reverse("circulars:deliveries", args=[circular.pk])).text
    )
    client.force_login(secretariat)
    response = client.get(reverse("circulars:deliveries", args=[circular.pk]))
    assert response.status_code == 200
    assert "pia.private@example.org" not in response.text
    assert "pablo.public@example.org" in response.text
    api = client.get(f"/api/circular-deliveries/?circular={circular.pk}")
    assert api.status_code == 200
    assert "pia.private@example.org" not in str(api.json())
    assert "pablo.public@example.org" in {row["email"] for row in api.json()["results"]}
