"""The partnership API: same rules as the pages."""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from learning.models import MonitoringReport, Partnership
from learning.partnerships import services
from learning.partnerships.tests.factories import World, make_criterion
from library.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


@pytest.fixture
def api():
    return APIClient()


def _as(api, user):
    api.force_authenticate(user)
    return api


def test_a_secretariat_proposes_through_the_api_and_parties_answer(api, world):
    response = _as(api, world.sofia).post(
        "/api/partnerships/",
        {
            "title": "Waste collection",
            "original_language": "en",
            "learners": [world.learner.pk],
            "mentors": [world.mentor.pk],
            "facilitating_commission": world.commission.slug,
            "reporting_every_months": 3,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert {p["role"] for p in response.json()["parties"]} == {"learner", "mentor"}
    answer = _as(api, world.lucia).post(
        f"/api/partnerships/{pk}/answer/", {"organisation": world.learner.pk, "answer": "accept"}
    )
    assert answer.status_code == 200
    forged = _as(api, world.lucia).post(
        f"/api/partnerships/{pk}/answer/", {"organisation": world.mentor.pk, "answer": "accept"}
    )
    assert forged.status_code == 403
    _as(api, world.mandla).post(
        f"/api/partnerships/{pk}/answer/", {"organisation": world.mentor.pk, "answer": "accept"}
    )
    assert Partnership.objects.get().status == "agreed"
    started = _as(api, world.sofia).post(f"/api/partnerships/{pk}/status/", {"to": "active"})
    assert started.status_code == 200
    assert started.json()["status"] == "active"


def test_a_proposal_with_one_party_is_a_400_with_a_message(api, world):
    response = _as(api, world.sofia).post(
        "/api/partnerships/",
        {
            "title": "Alone",
            "learners": [world.learner.pk],
            "mentors": [],
            "facilitating_commission": world.commission.slug,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "mentors" in response.json()
    assert Partnership.objects.count() == 0


def test_status_moves_not_allowed_are_a_400_and_strangers_get_a_403(api, world):
    partnership = world.propose()
    response = _as(api, world.sofia).post(
        f"/api/partnerships/{partnership.pk}/status/", {"to": "completed"}
    )
    assert response.status_code == 400
    partnership = world.agreed(title="Agreed")
    refused = _as(api, world.lucia).post(
        f"/api/partnerships/{partnership.pk}/status/", {"to": "active"}
    )
    assert refused.status_code == 403


def test_anonymous_readers_see_agreed_partnerships_but_no_proposal_nor_report(api, world):
    world.propose(title="Secret proposal")
    agreed = world.active(title="Public partnership")
    titles = [p["title"] for p in api.get("/api/partnerships/").json()["results"]]
    assert titles == ["Public partnership"]
    assert api.get("/api/partnership-reports/").json()["results"] == []
    assert api.post("/api/partnerships/", {}).status_code in (401, 403)
    assert agreed.pk


def test_a_party_files_a_report_through_the_api_and_outsiders_cannot(api, world):
    criterion = make_criterion()
    partnership = world.active(starts_on=timezone.localdate() - datetime.timedelta(days=100))
    body = {
        "partnership": partnership.pk,
        "organisation": world.learner.pk,
        "period_start": partnership.starts_on.isoformat(),
        "progress": "Vision agreed.",
        "scores": {str(criterion.pk): 4},
    }
    assert (
        _as(api, world.olga).post("/api/partnership-reports/", body, format="json").status_code
        == 403
    )
    response = _as(api, world.lucia).post("/api/partnership-reports/", body, format="json")
    assert response.status_code == 201, response.content
    again = _as(api, world.lucia).post("/api/partnership-reports/", body, format="json")
    assert again.status_code == 400
    report = MonitoringReport.objects.get()
    commented = _as(api, world.sofia).post(
        f"/api/partnership-reports/{report.pk}/comment/",
        {"comment": "More figures please.", "ask_for_more": True},
        format="json",
    )
    assert commented.json()["status"] == "more_requested"
    assert _as(api, world.olga).get("/api/partnership-reports/").json()["results"] == []


def test_activities_are_planned_by_the_parties_only(api, world):
    partnership = world.agreed()
    body = {
        "partnership": partnership.pk,
        "kind": "webinar",
        "title": "Kick-off",
        "starts_on": "2026-06-01",
    }
    assert _as(api, world.olga).post("/api/partnership-activities/", body).status_code == 403
    response = _as(api, world.mandla).post("/api/partnership-activities/", body)
    assert response.status_code == 201
    bad = dict(body, kind="party")
    assert _as(api, world.mandla).post("/api/partnership-activities/", bad).status_code == 400
    assert partnership.activities.count() == 1


def test_learning_notes_are_public_once_published(api, world):
    partnership = world.completed()
    note = services.save_learning_note(
        partnership,
        original_language="en",
        texts={"title": "What we learned", "context": "Context."},
        actor=world.sofia,
    )
    assert api.get("/api/learning-notes/").json()["results"] == []
    refused = _as(api, world.lucia).post(f"/api/learning-notes/{note.pk}/publish/")
    assert refused.status_code == 403
    published = _as(api, world.sofia).post(f"/api/learning-notes/{note.pk}/publish/")
    assert published.json()["status"] == "published"
    api.force_authenticate(None)
    assert [n["title"] for n in api.get("/api/learning-notes/").json()["results"]] == [
        "What we learned"
    ]


def _queries_of(api, path="/api/partnerships/") -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200
    return len(queries.captured_queries), response.json()


def _list_queries(api, path="/api/partnerships/") -> tuple[int, dict]:
    """The queries of building a page of the list (not kept yet), and the page, after a
    first request has read what is remembered of the caller between requests."""
    api.get(path)
    caches["shared"].clear()
    return _queries_of(api, path)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_partnership_list_needs_as_many_queries_for_2_or_8_partnerships(api, world, signed_in):
    if signed_in:
        _as(api, world.sofia)
    water, _ = Theme.objects.get_or_create(key="water", defaults={"label_en": "Water"})
    for number in range(2):
        world.agreed(title=f"Partnership {number}")
    few, first = _list_queries(api)
    for number in range(2, 8):
        world.agreed(title=f"Partnership {number}", themes=[water])
    many, page = _list_queries(api)
    assert few == many
    assert (first["count"], page["count"]) == (2, 8)
    last = next(row for row in page["results"] if row["title"] == "Partnership 7")
    assert last["themes"] == [water.pk]
    assert {party["organisation_name"] for party in last["parties"]} == {"Otjiwarongo", "Durban"}


def test_a_page_of_partnerships_is_kept_for_visitors_until_one_changes(api, world):
    partnership = world.agreed(title="Solid waste")
    assert api.get("/api/partnerships/").json()["count"] == 1
    repeated, _page = _queries_of(api)
    assert repeated == 0
    services.change_partnership_status(partnership, "active", actor=world.sofia)
    assert api.get("/api/partnerships/").json()["results"][0]["status"] == "active"
    world.learner.name_en = "Otjiwarongo Municipality"
    world.learner.save()
    parties = api.get("/api/partnerships/").json()["results"][0]["parties"]
    assert "Otjiwarongo Municipality" in {party["organisation_name"] for party in parties}
    world.propose(title="Not yet agreed")
    assert api.get("/api/partnerships/").json()["count"] == 1
