"""The experience list of the API: its queries and its kept pages."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from library.models import Theme
from network.tests.factories import make_city, make_network_admin

from .factories import make_experience

pytestmark = pytest.mark.django_db

EXPERIENCES = "/api/experiences/"


def _queries_of(api, path=EXPERIENCES) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200
    return len(queries.captured_queries), response.json()


def _list_queries(api, path=EXPERIENCES) -> tuple[int, dict]:
    """The queries of building a page of the list (not kept yet), and the page, after a
    first request has read what is remembered of the caller between requests."""
    api.get(path)
    caches["shared"].clear()
    return _queries_of(api, path)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_experience_list_needs_as_many_queries_for_2_or_12_experiences(signed_in):
    api = APIClient()
    if signed_in:
        api.force_authenticate(make_network_admin())
    water, _ = Theme.objects.get_or_create(key="water", defaults={"label_en": "Water"})
    city = make_city("Sfax")
    for number in range(2):
        make_experience(city, title=f"Experience {number}")
    few, first = _list_queries(api)
    for number in range(2, 12):
        make_experience(make_city(f"City {number}"), title=f"Experience {number}", themes=[water])
    many, page = _list_queries(api)
    assert few == many
    assert (first["count"], page["count"]) == (2, 12)
    last = next(row for row in page["results"] if row["title_en"] == "Experience 11")
    assert (last["themes"], last["city_name"]) == (["water"], "City 11")


def test_a_page_of_experiences_is_kept_for_visitors_until_one_changes():
    api = APIClient()
    city = make_city("Sfax")
    experience = make_experience(city, title="Waste pickers")
    assert api.get(EXPERIENCES).json()["count"] == 1
    repeated, _page = _queries_of(api)
    assert repeated == 0
    experience.title_en = "Waste pickers' cooperatives"
    experience.save()
    assert api.get(EXPERIENCES).json()["results"][0]["title_en"] == "Waste pickers' cooperatives"
    city.name_en = "Safaqis"
    city.save()
    assert api.get(EXPERIENCES).json()["results"][0]["city_name"] == "Safaqis"
    make_experience(city, title="Draft", status="draft")
    assert api.get(EXPERIENCES).json()["count"] == 1
