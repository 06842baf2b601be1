from datetime import datetime

import pytest
from django.utils import timezone

from accounts.models import Role, User
from audit.models import AuditEntry
from commissions.tests.factories import make_commission
from network.tests.factories import make_city, make_person

from .factories import PASSWORD, grant, make_user

pytestmark = pytest.mark.django_db


def test_the_profile_needs_a_login(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/profile/"


def test_a_person_without_a_directory_entry_chooses_only_a_language(client):
    user = make_user()
    client.force_login(user)
    page = client.get("/accounts/profile/")
    assert 'name="preferred_language"' in page.text
    assert 'name="phone"' not in page.text
    response = client.post("/accounts/profile/", {"preferred_language": "es"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "es"
    assert "Su perfil" in client.get("/accounts/profile/").text


def test_a_person_edits_position_phone_and_visibility_with_an_audit_entry(client):
    user = make_user()
    person = make_person(user=user, organisation=make_city(name="Bilbao"), position="Planner")
    client.force_login(user)
    page = client.get("/accounts/profile/")
    assert "Bilbao" in page.text
    assert "Anyone, signed in or not, can see your e-mail address" in page.text
    response = client.post(
        "/accounts/profile/",
        {
            "preferred_language": "en",
            "position": "Head of urban planning",
            "phone": "+34 944 000 000",
            "contact_visibility": "private",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.position == "Head of urban planning"
    assert person.contact_visibility == "private"
    entry = AuditEntry.objects.get(action="network.person.contact_updated")
    assert entry.actor == user
    assert entry.before["contact_visibility"] == "members"
    assert entry.after["contact_visibility"] == "private"


def test_an_unknown_visibility_or_language_is_refused_and_nothing_changes(client):
    user = make_user()
    person = make_person(user=user, phone="1")
    client.force_login(user)
    response = client.post(
        "/accounts/profile/",
        {"preferred_language": "de", "phone": "2", "position": "", "contact_visibility": "all"},
    )
    assert response.status_code == 400
    person.refresh_from_db()
    user.refresh_from_db()
    assert (person.phone, person.contact_visibility, user.preferred_language) == (
        "1",
        "members",
        "en",
    )


def test_my_roles_are_listed_on_the_profile(client):
    user = make_user()
    grant(user, Role.SECRETARIAT, commission=make_commission(name="Urban planning"))
    grant(user, Role.REPRESENTATIVE, organisation=make_city(name="Durban"))
    client.force_login(user)
    page = client.get("/accounts/profile/")
    assert "Commission secretariat" in page.text and "Urban planning" in page.text
    assert "Organisation representative" in page.text and "Durban" in page.text


def test_a_visitor_switching_language_gets_a_cookie_and_the_page_in_that_language(client):
    response = client.post("/accounts/language/", {"language": "fr", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert response.cookies["entrevilles_language"].value == "fr"
    page = client.get("/accounts/login/")
    assert '<html lang="fr">' in page.text
    assert "Mot de passe oublié\u00a0?" in page.text


def test_the_language_switcher_refuses_to_send_people_off_site(client):
    response = client.post(
        "/accounts/language/", {"language": "es", "next": "https://evil.example.com/"}
    )
    assert response["Location"] == "/"


def test_an_unknown_language_changes_nothing(client):
    response = client.post("/accounts/language/", {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert "entrevilles_language" not in response.cookies


def test_a_signed_in_persons_choice_follows_them_to_another_device(client, django_user_model):
    make_user(email="ana@example.org")
    client.post("/accounts/login/", {"username": "ana@example.org", "password": PASSWORD})
    client.post("/accounts/language/", {"language": "es", "next": "/"})
    assert User.objects.get(email="ana@example.org").preferred_language == "es"
    assert AuditEntry.objects.filter(action="accounts.user.language_changed").exists()

    from django.test import Client

    other_device = Client(headers={"accept-language": "fr"})
    other_device.post("/accounts/login/", {"username": "ana@example.org", "password": PASSWORD})
    page = other_device.get("/accounts/profile/")
    assert '<html lang="es">' in page.text
    assert page.headers["Content-Language"] == "es"


def test_dates_and_numbers_are_localised_in_french(client):
    user = make_user(
        preferred_language="fr",
        date_joined=timezone.make_aware(datetime(2013, 10, 1, 12, 0)),
    )
    client.force_login(user)
    page = client.get("/accounts/profile/")
    assert "membre depuis 1er octobre 2013" in page.text

    make_city(population=1_234_567)
    home = client.get("/")
    assert "1\xa0234\xa0567" in home.text


def test_dates_and_numbers_are_localised_in_english(client):
    user = make_user(date_joined=timezone.make_aware(datetime(2013, 10, 1, 12, 0)))
    client.force_login(user)
    assert "member since Oct. 1, 2013" in client.get("/accounts/profile/").text
    make_city(population=1_234_567)
    assert "1,234,567" in client.get("/").text
