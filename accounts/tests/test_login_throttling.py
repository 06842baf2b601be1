"""Guessing passwords: after ten failures from one address or for one account, logins
are refused for a while, even with the right password, in the person's language."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog

from accounts.throttling import lockout_duration

from .factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _try(client, email, password, **extra):
    return client.post("/accounts/login/", {"username": email, "password": password}, **extra)


def test_the_eleventh_attempt_is_refused_even_with_the_right_password(client):
    make_user(email="alice@example.org")
    for _ in range(10):
        _try(client, "alice@example.org", "wrong")
    response = _try(client, "alice@example.org", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed attempts" in response.text
    assert "_auth_user_id" not in client.session


def test_nine_failures_still_let_the_right_password_in(client):
    make_user(email="alice@example.org")
    for _ in range(9):
        assert _try(client, "alice@example.org", "wrong").status_code == 200
    assert _try(client, "alice@example.org", PASSWORD).status_code == 302
    assert "_auth_user_id" in client.session


def test_the_refusal_speaks_the_language_of_the_visitor(client):
    make_user(email="alice@example.org")
    client.cookies["entrevilles_language"] = "fr"
    for _ in range(10):
        _try(client, "alice@example.org", "wrong")
    response = _try(client, "alice@example.org", PASSWORD)
    assert response.status_code == 429
    assert "Trop de tentatives" in response.text


def test_an_account_is_protected_against_guesses_from_many_addresses(client):
    make_user(email="alice@example.org")
    for n in range(10):
        _try(client, "alice@example.org", "wrong", REMOTE_ADDR=f"10.0.0.{n + 1}")
    response = _try(client, "alice@example.org", PASSWORD, REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 429


def test_an_address_guessing_many_accounts_is_stopped_too(client):
    bob = make_user(email="bob@example.org")
    for n in range(10):
        _try(client, f"someone{n}@example.org", "wrong", REMOTE_ADDR="10.9.9.9")
    assert _try(client, bob.email, PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 429
    # Bob, from his own connection, is not affected.
    assert _try(client, bob.email, PASSWORD, REMOTE_ADDR="10.1.1.1").status_code == 302


def test_failures_are_logged_with_address_and_account(client):
    make_user(email="alice@example.org")
    _try(client, "alice@example.org", "wrong", REMOTE_ADDR="10.2.3.4")
    log = AccessFailureLog.objects.get()
    assert (log.username, log.ip_address) == ("alice@example.org", "10.2.3.4")


def test_each_further_series_of_failures_doubles_the_wait(client, rf, settings):
    settings.LOGIN_LOCKOUT_MINUTES = 15
    make_user(email="alice@example.org")
    for _ in range(10):
        _try(client, "alice@example.org", "wrong")
    request = rf.post("/accounts/login/", {"username": "alice@example.org"})
    request.axes_ip_address = "127.0.0.1"
    assert lockout_duration(request).total_seconds() == 15 * 60
    AccessAttempt.objects.update(failures_since_start=30)
    assert lockout_duration(request).total_seconds() == 60 * 60
