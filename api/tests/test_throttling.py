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


def test_the_minute_before_counts_for_the_share_of_it_still_within_the_last_minute(
    settings, monkeypatch
):
    """10 a minute: ten requests half-way through a minute, an eleventh refused with the
    wait until a place frees; a quarter into the next minute three-quarters of the ten
    still count, so three more pass and the fourth is refused."""
    from rest_framework.throttling import SimpleRateThrottle

    settings.API_THROTTLE_RATES = {"anon": "10/minute", "user": "100/minute"}
    clock = [6_000_030.0]  # 30 s into a minute
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: clock[0])
    api = APIClient()
    assert [api.get("/api/regions/").status_code for _ in range(10)] == [200] * 10
    refused = api.get("/api/regions/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) == 30
    clock[0] += 45  # a quarter into the next minute
    assert [api.get("/api/regions/").status_code for _ in range(4)] == [200, 200, 200, 429]
