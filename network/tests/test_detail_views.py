import pytest

from audit.models import AuditEntry
from commissions.tests.factories import make_commission, make_membership
from network.models import Organisation, Visibility

from .factories import make_country, make_organisation, make_person, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_city(db):
    """Rabat as the network's factories make a city: 120,000 people, a country of its own."""
    return make_organisation(name="Rabat")


def edit_data(organisation, **overrides):
    data = {
        "name_en": organisation.name_en,
        "name_fr": organisation.name_fr or "",
        "name_es": organisation.name_es or "",
        "kind": organisation.kind,
        "country": organisation.country.code,
        "population": organisation.population or "",
        "latitude": "34.02",
        "longitude": "-6.83",
        "working_languages": ["fr", "en"],
        "membership_status": organisation.membership_status,
        "website": "",
        "email": "",
    }
    data.update(overrides)
    return data


def test_organisation_page_shows_its_facts_commissions_and_people(client, member_city):
    commission = make_commission(name_en="Strategic Urban Planning")
    make_membership(commission, member_city)
    make_person(first_name="Amina", last_name="Alaoui", organisation=member_city)
    Organisation.objects.filter(pk=member_city.pk).update(latitude=34.0209, longitude=-6.8416)
    response = client.get(f"/directory/organisations/{member_city.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Rabat",
        "Strategic Urban Planning",
        "Amina Alaoui",
        "120,000",
        "34.0209",
        "-6.8416",
    ):
        assert text in html


def test_organisation_page_shows_contacts_only_where_allowed(
    client, member_city, secretariat, city_officer
):
    make_person(
        email="public@example.org", contact_visibility=Visibility.PUBLIC, organisation=member_city
    )
    make_person(
        email="members@example.org",
        contact_visibility=Visibility.MEMBERS,
        organisation=member_city,
    )
    make_person(
        email="private@example.org",
        contact_visibility=Visibility.PRIVATE,
        organisation=member_city,
    )
    url = f"/directory/organisations/{member_city.pk}/"
    html = client.get(url).content.decode()
    assert "public@example.org" in html
    assert "members@example.org" not in html
    client.force_login(secretariat)
    html = client.get(url).content.decode()
    assert "members@example.org" in html
    assert "private@example.org" not in html
    client.force_login(city_officer)
    assert "private@example.org" in client.get(url).content.decode()


def test_organisation_page_needs_few_queries(
    client, django_assert_max_num_queries, member_city, secretariat
):
    for _ in range(20):
        make_person(organisation=member_city)
    make_membership(make_commission(), member_city)
    client.force_login(secretariat)
    with django_assert_max_num_queries(10):
        assert client.get(f"/directory/organisations/{member_city.pk}/").status_code == 200


def test_an_unknown_organisation_is_a_404(client):
    assert client.get("/directory/organisations/999999/").status_code == 404


def test_representative_edits_their_organisation_through_the_page(
    client, city_officer, member_city
):
    client.force_login(city_officer)
    response = client.post(
        f"/directory/organisations/{member_city.pk}/edit/",
        edit_data(member_city, name_fr="Rabat (FR)", population="577827"),
    )
    assert response.status_code == 302
    member_city.refresh_from_db()
    assert member_city.name_fr == "Rabat (FR)"
    assert member_city.population == 577_827
    assert member_city.working_languages == ["fr", "en"]
    assert AuditEntry.objects.filter(
        action="network.organisation.updated", actor=city_officer
    ).exists()


def test_representative_cannot_change_the_membership_status(client, city_officer, member_city):
    client.force_login(city_officer)
    response = client.get(f"/directory/organisations/{member_city.pk}/edit/")
    assert 'name="membership_status"' not in response.content.decode()
    client.post(
        f"/directory/organisations/{member_city.pk}/edit/",
        edit_data(member_city, membership_status="former"),
    )
    member_city.refresh_from_db()
    assert member_city.membership_status == "member"


def test_admin_edits_any_organisation_including_its_membership(client, administrator, other_city):
    client.force_login(administrator)
    response = client.post(
        f"/directory/organisations/{other_city.pk}/edit/",
        edit_data(other_city, membership_status="former"),
    )
    assert response.status_code == 302
    other_city.refresh_from_db()
    assert other_city.membership_status == "former"


@pytest.mark.parametrize("who", ["other_representative", "secretariat", "presidency", "outsider"])
def test_a_forged_edit_by_anyone_else_is_refused(client, who, member_city, request):
    client.force_login(request.getfixturevalue(who))
    url = f"/directory/organisations/{member_city.pk}/edit/"
    assert client.get(url).status_code == 403
    response = client.post(url, edit_data(member_city, name_en="Hacked"))
    assert response.status_code == 403
    member_city.refresh_from_db()
    assert member_city.name_en == "Rabat"


def test_anonymous_is_sent_to_log_in_and_a_forged_post_refused(client, member_city):
    url = f"/directory/organisations/{member_city.pk}/edit/"
    assert client.get(url).status_code == 302
    assert client.post(url, edit_data(member_city, name_en="Hacked")).status_code == 403


def test_bad_input_on_the_edit_page_is_a_400_with_messages_and_saves_nothing(
    client, administrator, member_city
):
    client.force_login(administrator)
    url = f"/directory/organisations/{member_city.pk}/edit/"
    response = client.post(url, edit_data(member_city, population="-3", country="ZZ"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "The population cannot be negative." in html
    make_organisation(name="Salé", country=member_city.country)
    response = client.post(url, edit_data(member_city, name_en="SALE"))
    assert response.status_code == 400
    assert "is already in the directory" in response.content.decode()
    member_city.refresh_from_db()
    assert member_city.name_en == "Rabat"


def test_moving_an_organisation_to_another_country_updates_its_region(
    client, administrator, member_city
):
    client.force_login(administrator)
    country = make_country(code="MA")
    client.post(
        f"/directory/organisations/{member_city.pk}/edit/", edit_data(member_city, country="MA")
    )
    member_city.refresh_from_db()
    assert member_city.region_id == country.region_id


def test_person_page_honours_contact_visibility(client, presidency):
    person = make_person(
        first_name="Omar", email="omar@example.org", contact_visibility=Visibility.MEMBERS
    )
    url = f"/directory/people/{person.pk}/"
    html = client.get(url).content.decode()
    assert "Omar" in html
    assert "omar@example.org" not in html
    assert "visible to members of the network only" in html
    client.force_login(presidency)
    assert "omar@example.org" in client.get(url).content.decode()


def test_a_person_edits_their_own_entry_and_visibility(client):
    user = make_user()
    person = make_person(user=user, contact_visibility=Visibility.MEMBERS)
    client.force_login(user)
    response = client.post(
        f"/directory/people/{person.pk}/edit/",
        {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "position": "Mayor's adviser",
            "email": person.email,
            "phone": "",
            "preferred_language": "fr",
            "contact_visibility": "private",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.contact_visibility == "private"
    assert person.position == "Mayor's adviser"


def test_representative_edits_people_of_their_organisation_only(
    client, member_city, other_city, city_officer
):
    colleague = make_person(organisation=member_city)
    stranger = make_person(organisation=other_city)
    client.force_login(city_officer)
    assert client.get(f"/directory/people/{colleague.pk}/edit/").status_code == 200
    response = client.post(
        f"/directory/people/{stranger.pk}/edit/",
        {
            "first_name": "X",
            "last_name": "Y",
            "preferred_language": "en",
            "contact_visibility": "public",
        },
    )
    assert response.status_code == 403
    stranger.refresh_from_db()
    assert stranger.first_name == "Ana"


def test_a_bad_email_on_the_person_page_is_a_400(client, member_city, administrator):
    person = make_person(organisation=member_city)
    client.force_login(administrator)
    response = client.post(
        f"/directory/people/{person.pk}/edit/",
        {
            "first_name": "A",
            "last_name": "B",
            "email": "nope",
            "preferred_language": "en",
            "contact_visibility": "public",
        },
    )
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()


def test_visitors_see_a_change_of_contact_visibility_or_a_new_membership_at_once(
    client, member_city
):
    person = make_person(
        email="amina@example.org", contact_visibility=Visibility.PUBLIC, organisation=member_city
    )
    url = f"/directory/organisations/{member_city.pk}/"
    assert "amina@example.org" in client.get(url).content.decode()
    person.contact_visibility = Visibility.PRIVATE
    person.save()
    html = client.get(url).content.decode()
    assert "amina@example.org" not in html
    make_membership(make_commission(name_en="Culture"), member_city)
    assert "Culture" in client.get(url).content.decode()


@pytest.mark.parametrize("people_count", [2, 30])
def test_a_visitor_reads_an_organisation_in_the_same_queries_whatever_its_size(
    client, django_assert_max_num_queries, people_count, member_city
):
    for _ in range(people_count):
        make_person(organisation=member_city)
    for _ in range(people_count // 2):
        make_membership(make_commission(), member_city)
    with django_assert_max_num_queries(4):
        assert client.get(f"/directory/organisations/{member_city.pk}/").status_code == 200
