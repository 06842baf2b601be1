"""API rate limits: anonymous clients per address, signed-in people per person."""

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_an_anonymous_client_past_its_rate_gets_429(settings):
    settings.API_THROTTLE_RATES = {"anon": "3/minute", "user": "100/minute"}
    api = APIClient()
    statuses = [api.get("/api/regions/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_a_signed_in_person_has_their_own_larger_allowance(settings):
    settings.API_THROTTLE_RATES = {"anon": "1/minute", "user": "5/minute"}
    anonymous = APIClient()
    anonymous.get("/api/regions/")
    assert anonymous.get("/api/regions/").status_code == 429
    person = APIClient()
    person.force_authenticate(make_user())
    assert [person.get("/api/regions/").status_code for _ in range(5)] == [200] * 5
    assert person.get("/api/regions/").status_code == 429


def test_the_default_rates_are_generous():
    api = APIClient()
    assert all(api.get("/api/regions/").status_code == 200 for _ in range(50))
