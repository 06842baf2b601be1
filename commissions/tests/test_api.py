import pytest
from rest_framework.test import APIClient

from audit.models import AuditEntry
from commissions.models import CommissionMembership
from network.models import Visibility

from .factories import (
    make_commission,
    make_membership,
    make_organisation,
    make_person,
    make_presidency,
    make_secretariat,
)

pytestmark = pytest.mark.django_db

EVERYONE = [
    "administrator",
    "secretariat",
    "other_secretariat",
    "presidency",
    "city_officer",
    "outsider",
    "anonymous",
]
MANAGERS = {"administrator", "secretariat"}


@pytest.fixture
def people(request):
    """Each persona of EVERYONE by name, from the cast; anonymous is None."""
    return {
        name: request.getfixturevalue(name) if name != "anonymous" else None for name in EVERYONE
    }


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_anyone_reads_commissions_with_presidency_secretariat_and_member_count(
    django_assert_max_num_queries,
):
    commission = make_commission(slug="planning", name_en="Planning", mandate_en="Plan.")
    make_presidency(commission, organisation=make_organisation(name_en="Durban"))
    secretariat = make_secretariat(commission)
    secretariat.contacts.add(
        make_person(
            first_name="Public",
            organisation=secretariat.organisation,
            email="public@example.org",
            contact_visibility=Visibility.PUBLIC,
        ),
        make_person(
            first_name="Private",
            organisation=secretariat.organisation,
            email="private@example.org",
            contact_visibility=Visibility.PRIVATE,
        ),
    )
    for _ in range(4):
        make_membership(commission)
    for _ in range(3):
        make_secretariat(make_commission()).contacts.add(make_person())
    with django_assert_max_num_queries(8):
        response = _api().get("/api/commissions/")
    assert response.status_code == 200
    listed = {item["slug"]: item for item in response.json()["results"]}
    planning = listed["planning"]
    assert planning["member_count"] == 4
    assert planning["mandate"] == "Plan."
    assert planning["presidencies"][0]["organisation"]["name"] == "Durban"
    assert planning["presidencies"][0]["role_label"] == "President"
    contacts = {c["name"].split()[0]: c for c in planning["secretariats"][0]["contacts"]}
    assert contacts["Public"]["email"] == "public@example.org"
    assert contacts["Private"]["email"] is None
    assert "private@example.org" not in response.content.decode()


def test_the_detail_is_in_the_readers_language():
    make_commission(slug="planning", name_en="Planning", name_fr="Planification")
    response = _api().get("/api/commissions/planning/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["name"] == "Planification"


def test_members_are_listed_page_by_page():
    commission = make_commission(slug="planning")
    for _ in range(60):
        make_membership(commission)
    response = _api().get("/api/commissions/planning/members/")
    data = response.json()
    assert data["count"] == 60
    assert len(data["results"]) == 50
    assert {"id", "name", "kind", "country", "region", "joined_on"} <= set(data["results"][0])
    assert _api().get(data["next"]).json()["results"]


def test_an_unknown_commission_is_404():
    assert _api().get("/api/commissions/nope/").status_code == 404
    assert _api().get("/api/commissions/nope/members/").status_code == 404


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_managers_add_members_through_the_api(commission, people, persona):
    rabat = make_organisation()
    response = _api(people[persona]).post(
        f"/api/commissions/{commission.slug}/members/", {"organisation": rabat.pk}, format="json"
    )
    is_member = CommissionMembership.objects.filter(organisation=rabat).exists()
    if persona in MANAGERS:
        assert response.status_code == 201
        assert response.json()["id"] == rabat.pk
        assert is_member
    else:
        # Anonymous callers are asked for a token (401); others are refused (403).
        assert response.status_code == (401 if persona == "anonymous" else 403)
        assert not is_member


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_managers_remove_members_through_the_api(commission, people, persona):
    membership = make_membership(commission)
    response = _api(people[persona]).delete(
        f"/api/commissions/{commission.slug}/members/{membership.organisation_id}/"
    )
    still = CommissionMembership.objects.filter(pk=membership.pk).exists()
    if persona in MANAGERS:
        assert response.status_code == 204
        assert not still
    else:
        assert response.status_code == (401 if persona == "anonymous" else 403)
        assert still


def test_adding_a_member_twice_answers_200_and_keeps_one(commission, people):
    client = _api(people["secretariat"])
    rabat = make_organisation()
    url = f"/api/commissions/{commission.slug}/members/"
    additions = AuditEntry.objects.filter(action="commissions.membership.added")
    additions_before = additions.count()
    assert client.post(url, {"organisation": rabat.pk}, format="json").status_code == 201
    assert client.post(url, {"organisation": rabat.pk}, format="json").status_code == 200
    assert CommissionMembership.objects.filter(organisation=rabat).count() == 1
    assert additions.count() == additions_before + 1


@pytest.mark.parametrize("payload", [{}, {"organisation": 999999}, {"organisation": "x"}])
def test_bad_input_is_a_400_that_names_the_field(commission, people, payload):
    client = _api(people["administrator"])
    response = client.post(f"/api/commissions/{commission.slug}/members/", payload, format="json")
    assert response.status_code == 400
    assert "organisation" in response.json()
    assert CommissionMembership.objects.filter(commission=commission).count() == 1


def test_removing_an_unknown_organisation_is_404(commission, people):
    client = _api(people["administrator"])
    response = client.delete(f"/api/commissions/{commission.slug}/members/999999/")
    assert response.status_code == 404


def test_a_secretariat_cannot_change_another_commissions_members(people):
    theirs = make_commission()
    client = _api(people["secretariat"])
    target = make_membership(theirs)
    url = f"/api/commissions/{theirs.slug}/members/"
    assert client.post(url, {"organisation": make_organisation().pk}).status_code == 403
    assert client.delete(f"{url}{target.organisation_id}/").status_code == 403
    assert CommissionMembership.objects.filter(commission=theirs).count() == 1


def test_a_token_authenticates_a_secretariat(commission, people):
    from rest_framework.authtoken.models import Token

    secretariat = people["secretariat"]
    token = Token.objects.create(user=secretariat)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(
        f"/api/commissions/{commission.slug}/members/",
        {"organisation": make_organisation().pk},
        format="json",
    )
    assert response.status_code == 201
