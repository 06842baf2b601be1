import pytest

from .factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_a_person_logs_in_with_their_email_address_whatever_its_capitals(client):
    make_user(email="alice@example.org", first_name="Alice", last_name="Martin")
    response = client.post(
        "/accounts/login/",
        {"username": "Alice@Example.ORG", "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/me/"
    assert "Alice Martin" in response.text
    assert "Log out" in response.text


def test_a_wrong_password_shows_a_clear_message_and_status_200(client):
    make_user(email="alice@example.org")
    response = client.post(
        "/accounts/login/", {"username": "alice@example.org", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "do not match an account" in response.text
    assert "_auth_user_id" not in client.session


def test_the_failed_login_message_is_translated(client):
    make_user(email="alice@example.org")
    client.cookies["entrevilles_language"] = "fr"
    response = client.post(
        "/accounts/login/", {"username": "alice@example.org", "password": "wrong"}
    )
    assert "ne correspondent à aucun compte" in response.text
    assert "<h1>Connexion</h1>" in response.text


def test_after_login_the_person_goes_back_to_the_page_they_came_from(client):
    make_user(email="alice@example.org")
    response = client.post(
        "/accounts/login/",
        {"username": "alice@example.org", "password": PASSWORD, "next": "/accounts/profile/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"


@pytest.mark.parametrize("target", ["https://evil.example.com/", "//evil.example.com/x"])
def test_a_next_address_on_another_site_is_ignored(client, target):
    make_user(email="alice@example.org")
    response = client.post(
        "/accounts/login/",
        {"username": "alice@example.org", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == "/me/"


def test_the_login_page_keeps_the_next_address_in_its_form(client):
    response = client.get("/accounts/login/?next=/accounts/profile/")
    assert 'name="next" value="/accounts/profile/"' in response.text


def test_a_disabled_account_cannot_log_in(client):
    make_user(email="gone@example.org", is_active=False)
    response = client.post(
        "/accounts/login/", {"username": "gone@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logging_out_takes_a_post_and_ends_the_session(client):
    user = make_user()
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/profile/").status_code == 302
