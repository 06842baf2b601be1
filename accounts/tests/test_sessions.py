"""Sessions kept in the shared cache as well as the database: logging out still ends them."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_a_session_cookie_kept_after_logging_out_signs_nobody_in():
    user = make_user()
    browser = Client()
    browser.force_login(user)
    stolen = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert browser.get("/accounts/profile/").status_code == 200
    browser.post("/accounts/logout/")
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = stolen
    assert replay.get("/accounts/profile/").status_code == 302


def test_a_password_changed_elsewhere_ends_the_other_sessions():
    user = make_user()
    browser = Client()
    browser.force_login(user)
    assert browser.get("/accounts/profile/").status_code == 200
    user.set_password(PASSWORD + "-new")
    user.save()
    assert browser.get("/accounts/profile/").status_code == 302


def test_a_signed_in_page_reads_no_session_from_the_database(client):
    client.force_login(make_user())
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not any("django_session" in query["sql"] for query in queries.captured_queries)
