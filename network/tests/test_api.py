import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from audit.models import AuditEntry
from commissions.tests.factories import make_commission, make_membership
from network.models import Organisation, Visibility

from .factories import make_country, make_organisation, make_person, make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_city(db):
    """Rabat as the network's factories make a city: 120,000 people, a country of its own."""
    return make_organisation(name="Rabat")


@pytest.fixture
def api():
    return APIClient()


def with_token(api, user):
    token = Token.objects.create(user=user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api


def test_anonymous_reads_regions_countries_and_organisations(api, member_city, other_city):
    region = make_region(code="africa", name_en="Africa", name_fr="Afrique")
    make_country(code="MA", name_en="Morocco", region=region)
    assert {
        "code": "africa",
        "name": "Africa",
        "name_en": "Africa",
        "name_fr": "Afrique",
        "name_es": "África",
    } in api.get("/api/regions/").json()
    countries = api.get("/api/countries/").json()
    assert {"code": "MA", "region": "africa"}.items() <= next(
        c for c in countries if c["code"] == "MA"
    ).items()
    response = api.get("/api/organisations/")
    assert response.status_code == 200
    assert {row["name"] for row in response.json()["results"]} == {"Rabat", "Porto Alegre"}
    detail = api.get(f"/api/organisations/{member_city.pk}/").json()
    assert detail["size_class"] == "intermediary"


def test_the_organisation_list_takes_the_directorys_filters(api, member_city, other_city):
    commission = make_commission(slug="digital-knowledge-cities")
    make_membership(commission, member_city)
    results = api.get("/api/organisations/", {"commission": "digital-knowledge-cities"}).json()[
        "results"
    ]
    assert [row["name"] for row in results] == ["Rabat"]
    results = api.get("/api/organisations/", {"q": "porto"}).json()["results"]
    assert [row["name"] for row in results] == ["Porto Alegre"]
    response = api.get("/api/organisations/", {"country": "ZZ"})
    assert response.status_code == 400
    assert "country" in response.json()


def test_an_admin_creates_an_organisation_with_a_token(api, administrator):
    country = make_country(code="MA")
    response = with_token(api, administrator).post(
        "/api/organisations/",
        {
            "name_en": "Fez",
            "kind": "local_government",
            "country": "MA",
            "population": 1_112_072,
            "working_languages": ["fr"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    fez = Organisation.objects.get(name_en="Fez")
    assert fez.region_id == country.region_id
    assert response.json()["size_class"] == "metropolis"
    assert AuditEntry.objects.filter(
        action="network.organisation.created", actor=administrator
    ).exists()


def test_bad_input_is_a_400_with_messages(api, administrator, member_city):
    make_country(code="MA")
    api = with_token(api, administrator)
    response = api.post(
        "/api/organisations/",
        {"name_en": "Fez", "kind": "castle", "country": "ZZ", "population": -4},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"kind", "country", "population"}
    response = api.post(
        "/api/organisations/",
        {"name_en": "rabat", "kind": "local_government", "country": member_city.country.code},
        format="json",
    )
    assert response.status_code == 400
    assert "is already in the directory" in response.json()["name"][0]
    assert list(Organisation.objects.all()) == [member_city]


@pytest.mark.parametrize("who", ["city_officer", "secretariat", "presidency", "outsider"])
def test_only_admins_create_organisations(api, who, request):
    make_country(code="MA")
    response = with_token(api, request.getfixturevalue(who)).post(
        "/api/organisations/",
        {"name_en": "Fez", "kind": "local_government", "country": "MA"},
        format="json",
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(name_en="Fez").exists()


def test_anonymous_writes_are_refused(api, member_city):
    response = api.patch(f"/api/organisations/{member_city.pk}/", {"population": 1}, format="json")
    assert response.status_code in (401, 403)
    member_city.refresh_from_db()
    assert member_city.population == 120_000


def test_a_representative_updates_their_organisation_but_not_another(
    api, city_officer, member_city, other_city
):
    api = with_token(api, city_officer)
    response = api.patch(
        f"/api/organisations/{member_city.pk}/", {"population": 577_827}, format="json"
    )
    assert response.status_code == 200
    member_city.refresh_from_db()
    assert member_city.population == 577_827
    response = api.patch(f"/api/organisations/{other_city.pk}/", {"population": 1}, format="json")
    assert response.status_code == 403
    response = api.patch(
        f"/api/organisations/{member_city.pk}/", {"membership_status": "former"}, format="json"
    )
    assert response.status_code == 403
    member_city.refresh_from_db()
    assert member_city.membership_status == "member"


def test_organisations_cannot_be_deleted_through_the_api(api, administrator, member_city):
    response = with_token(api, administrator).delete(f"/api/organisations/{member_city.pk}/")
    assert response.status_code == 405


def test_people_contacts_follow_visibility(api, member_city, secretariat):
    public = make_person(
        email="public@example.org", contact_visibility=Visibility.PUBLIC, organisation=member_city
    )
    members = make_person(
        email="members@example.org",
        contact_visibility=Visibility.MEMBERS,
        organisation=member_city,
    )
    anonymous = {row["id"]: row for row in api.get("/api/people/").json()["results"]}
    assert anonymous[public.pk]["email"] == "public@example.org"
    assert "email" not in anonymous[members.pk]
    assert "phone" not in anonymous[members.pk]
    member_view = with_token(api, secretariat).get(f"/api/people/{members.pk}/").json()
    assert member_view["email"] == "members@example.org"


def test_people_writes_follow_the_same_rules_as_the_pages(
    api, member_city, other_city, city_officer
):
    colleague = make_person(organisation=member_city)
    stranger = make_person(organisation=other_city)
    api = with_token(api, city_officer)
    assert (
        api.patch(f"/api/people/{colleague.pk}/", {"position": "Mayor"}, format="json").status_code
        == 200
    )
    assert (
        api.patch(f"/api/people/{stranger.pk}/", {"position": "Mayor"}, format="json").status_code
        == 403
    )
    response = api.post(
        "/api/people/",
        {"first_name": "New", "last_name": "Officer", "organisation": other_city.pk},
        format="json",
    )
    assert response.status_code == 403
    response = api.post(
        "/api/people/",
        {
            "first_name": "New",
            "last_name": "Officer",
            "organisation": member_city.pk,
            "email": "bad",
        },
        format="json",
    )
    assert response.status_code == 400
    response = api.post(
        "/api/people/",
        {"first_name": "New", "last_name": "Officer", "organisation": member_city.pk},
        format="json",
    )
    assert response.status_code == 201
    response = api.patch(
        f"/api/people/{colleague.pk}/", {"organisation": other_city.pk}, format="json"
    )
    assert response.status_code == 403


def _queries_of(api, path) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200
    return len(queries.captured_queries), response.json()


def _list_queries(api, path) -> tuple[int, dict]:
    """The queries of building a page of the list (not kept yet), and the page, after a
    first request has read what is remembered of the caller between requests."""
    api.get(path)
    caches["shared"].clear()
    return _queries_of(api, path)


def test_the_organisation_list_needs_as_many_queries_for_3_or_60_organisations(api):
    country = make_country(code="MA")
    for number in range(3):
        make_organisation(name=f"City {number:02d}", country=country)
    few, first = _list_queries(api, "/api/organisations/?country=MA")
    for number in range(3, 60):
        make_organisation(name=f"City {number:02d}", country=country)
    many, page = _list_queries(api, "/api/organisations/?country=MA")
    assert few == many
    assert (first["count"], page["count"], len(page["results"])) == (3, 60, 50)
    assert page["next"] == "http://testserver/api/organisations/?country=MA&page=2"


def test_a_page_of_organisations_is_kept_until_the_directory_changes(api, member_city):
    assert api.get("/api/organisations/").json()["count"] == 1
    repeated, kept = _queries_of(api, "/api/organisations/")
    assert repeated == 0
    assert kept["results"][0]["name"] == "Rabat"
    member_city.name_en = "Rabat-Salé"
    member_city.save()
    make_organisation(name="Tétouan")
    page = api.get("/api/organisations/").json()
    assert page["count"] == 2
    assert {row["name"] for row in page["results"]} == {"Rabat-Salé", "Tétouan"}
    assert api.get("/api/organisations/?page=2").status_code == 404
    assert api.get("/api/organisations/?country=ZZ").status_code == 400
