"""The signed-in person's row and devices kept between requests: a password changed, an
account deactivated or a second factor removed still counts at the next request."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from conftest import current_code, enrol_second_factor

from .factories import PASSWORD, make_network_admin, make_user

pytestmark = pytest.mark.django_db


def _log_in_with_code(client, user):
    """Both steps through the login pages, as a person with an authenticator app does."""
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    response = client.post("/accounts/login/code/", {"code": current_code(device)})
    assert response.status_code == 302


def _queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [query["sql"] for query in queries.captured_queries]


def test_a_repeated_signed_in_page_reads_neither_the_user_nor_their_devices(client):
    admin = make_network_admin()
    enrol_second_factor(admin)
    _log_in_with_code(client, admin)
    client.get("/accounts/profile/")
    response, queries = _queries_of(client, "/")
    assert response.status_code == 200
    assert admin.email in response.text
    read = " ".join(queries)
    assert "accounts_user" not in read
    assert "otp_totp" not in read
    assert "otp_static" not in read
    # Nor the session, the roles or the unread count: only what the page itself shows.
    assert "django_session" not in read
    assert "accounts_roleassignment" not in read
    assert "notifications_" not in read


def test_a_password_changed_elsewhere_logs_this_browser_out_at_its_next_request(client):
    user = make_user()
    client.force_login(user)
    assert client.get("/accounts/profile/").status_code == 200
    assert client.get("/accounts/profile/").status_code == 200  # now served from what is kept
    user.set_password(PASSWORD + "-new")  # a password reset in another browser
    user.save()
    assert client.get("/accounts/profile/")["Location"].startswith("/accounts/login/")
    elsewhere = Client()
    elsewhere.post("/accounts/login/", {"username": user.email, "password": PASSWORD + "-new"})
    assert elsewhere.get("/accounts/profile/").status_code == 200


def test_a_deactivated_account_is_logged_out_at_its_next_request(client):
    user = make_user()
    client.force_login(user)
    assert client.get("/accounts/profile/").status_code == 200
    assert client.get("/accounts/profile/").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/accounts/profile/")["Location"].startswith("/accounts/login/")


def test_a_renamed_person_sees_their_new_name_at_the_next_request(client):
    user = make_user(first_name="Lea", last_name="Martin")
    client.force_login(user)
    assert "Lea Martin" in client.get("/").text
    user.first_name = "Léa"
    user.save()
    assert "Léa Martin" in client.get("/").text


def test_an_administrator_whose_authenticator_is_removed_is_asked_for_a_second_factor_again(
    client,
):
    admin = make_network_admin()
    enrol_second_factor(admin)
    _log_in_with_code(client, admin)
    assert client.get("/directory/").status_code == 200
    assert client.get("/directory/").status_code == 200
    services.remove_second_factor(admin, actor=None)
    held = client.get("/directory/")
    assert held.status_code == 302
    assert held["Location"].startswith("/accounts/two-factor/")


def test_a_session_that_passed_with_a_replaced_authenticator_is_asked_for_a_code_again(client):
    admin = make_network_admin()
    enrol_second_factor(admin)
    _log_in_with_code(client, admin)
    assert client.get("/directory/").status_code == 200
    enrol_second_factor(admin)  # a new phone, set up in another browser
    held = client.get("/directory/")
    assert held["Location"].startswith("/accounts/two-factor/verify/")
    _log_in_with_code(Client(), admin)  # the new app works
    device = TOTPDevice.objects.get(user=admin, confirmed=True)
    client.post("/accounts/two-factor/verify/?next=/directory/", {"code": current_code(device)})
    assert client.get("/directory/").status_code == 200


def test_new_recovery_codes_keep_a_session_that_passed_with_a_recovery_code(client):
    user = make_user()
    codes = enrol_second_factor(user)
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    client.post("/accounts/login/code/", {"code": codes[0]})
    assert client.get("/accounts/profile/").status_code == 200
    services.regenerate_recovery_codes(user, actor=user)
    assert client.get("/accounts/profile/").status_code == 200
