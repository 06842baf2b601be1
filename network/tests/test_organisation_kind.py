"""What kind an organisation is, and which one is the network's own secretariat, are the
administrators' decisions: a representative cannot make its city "Network secretariat"."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from network.models import OrganisationKind

from .personas import make_personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return make_personas()


def test_a_representative_cannot_change_its_organisations_kind_through_the_api(people):
    api = APIClient()
    api.force_authenticate(people.representative)
    response = api.patch(
        f"/api/organisations/{people.rabat.pk}/",
        {"kind": OrganisationKind.SECRETARIAT},
        format="json",
    )
    assert response.status_code == 403
    people.rabat.refresh_from_db()
    assert people.rabat.kind != OrganisationKind.SECRETARIAT


def test_the_edit_page_offers_the_kind_to_administrators_only(client, people):
    url = reverse("network:organisation_edit", args=[people.rabat.pk])
    client.force_login(people.representative)
    page = client.get(url).content.decode()
    assert 'name="kind"' not in page
    data = {
        "name_en": "Rabat", "kind": OrganisationKind.SECRETARIAT,
        "country": people.rabat.country.code, "working_languages": ["fr"],
    }  # fmt: skip
    client.post(url, data)
    people.rabat.refresh_from_db()
    assert people.rabat.kind != OrganisationKind.SECRETARIAT
    client.force_login(people.admin)
    assert 'name="kind"' in client.get(url).content.decode()


def test_an_administrator_changes_an_organisations_kind(people):
    api = APIClient()
    api.force_authenticate(people.admin)
    response = api.patch(
        f"/api/organisations/{people.rabat.pk}/", {"kind": OrganisationKind.PARTNER}, format="json"
    )
    assert response.status_code == 200
    people.rabat.refresh_from_db()
    assert people.rabat.kind == OrganisationKind.PARTNER


def test_an_anonymous_write_is_refused_before_its_data_is_validated():
    response = APIClient().post("/api/people/", {"email": "not an address"}, format="json")
    assert response.status_code in (401, 403)
    assert "email" not in response.json()
