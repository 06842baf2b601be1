"""An API page kept as JSON (entrevilles.api.kept) answers what DRF itself writes: the
same bytes when built and when kept, the same rows for the browsable and indented
variants, the links of the request at hand."""

import json

import pytest
from django.test import Client

from network.tests.factories import make_organisation

pytestmark = pytest.mark.django_db


def test_a_kept_page_answers_the_bytes_it_answered_when_it_was_built():
    for n in range(60):
        make_organisation(name_en=f"City {n:02d}")
    caller = Client()
    built = caller.get("/api/organisations/?page=2")
    kept = caller.get("/api/organisations/?page=2")
    assert built.status_code == kept.status_code == 200
    assert kept.content == built.content
    assert kept["Content-Type"] == "application/json"
    assert kept["Vary"] == built["Vary"]
    page = kept.json()
    assert page["count"] == 60
    assert page["next"] is None
    assert page["previous"] == "http://testserver/api/organisations/"
    assert len(page["results"]) == 10
    indented = caller.get("/api/organisations/?page=2", HTTP_ACCEPT="application/json; indent=2")
    assert b'\n  "count": 60' in indented.content
    assert json.loads(indented.content) == page


def test_the_links_of_a_kept_page_follow_the_host_asked(settings):
    settings.ALLOWED_HOSTS = ["testserver", "api.example.org"]
    for n in range(60):
        make_organisation(name_en=f"City {n:02d}")
    Client().get("/api/organisations/")
    other = Client().get("/api/organisations/", HTTP_HOST="api.example.org").json()
    assert other["next"] == "http://api.example.org/api/organisations/?page=2"
