"""What kind an organisation is, and which one is the network's own secretariat, are the
administrators' decisions: a representative cannot make its city "Network secretariat"."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from network.models import OrganisationKind

pytestmark = pytest.mark.django_db


def test_a_representative_cannot_change_its_organisations_kind_through_the_api(
    city_officer, member_city
):
    api = APIClient()
    api.force_authenticate(city_officer)
    response = api.patch(
        f"/api/organisations/{member_city.pk}/",
        {"kind": OrganisationKind.SECRETARIAT},
        format="json",
    )
    assert response.status_code == 403
    member_city.refresh_from_db()
    assert member_city.kind != OrganisationKind.SECRETARIAT


def test_the_edit_page_offers_the_kind_to_administrators_only(
    client, member_city, city_officer, administrator
):
    url = reverse("network:organisation_edit", args=[member_city.pk])
    client.force_login(city_officer)
    page = client.get(url).content.decode()
    assert 'name="kind"' not in page
    data = {
        "name_en": "Rabat", "kind": OrganisationKind.SECRETARIAT,
        "country": member_city.country.code, "working_languages": ["fr"],
    }  # fmt: skip
    client.post(url, data)
    member_city.refresh_from_db()
    assert member_city.kind != OrganisationKind.SECRETARIAT
    client.force_login(administrator)
    assert 'name="kind"' in client.get(url).content.decode()


def test_an_administrator_changes_an_organisations_kind(administrator, member_city):
    api = APIClient()
    api.force_authenticate(administrator)
    response = api.patch(
        f"/api/organisations/{member_city.pk}/", {"kind": OrganisationKind.PARTNER}, format="json"
    )
    assert response.status_code == 200
    member_city.refresh_from_db()
    assert member_city.kind == OrganisationKind.PARTNER


def test_an_anonymous_write_is_refused_before_its_data_is_validated():
    response = APIClient().post("/api/people/", {"email": "not an address"}, format="json")
    assert response.status_code in (401, 403)
    assert "email" not in response.json()
