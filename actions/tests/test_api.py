import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from actions.models import Action

from .factories import make_action, make_workstream

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_owners_post_updates_through_the_api_and_others_are_refused(
    api, commission, member_city, durban, city_officer
):
    ws = make_workstream(commissions=[commission])
    own = make_action(workstream=ws, owner_organisations=[member_city])
    api.force_authenticate(city_officer)
    response = api.post(
        "/api/action-updates/",
        {"action": own.pk, "text": "Half way", "progress": 50, "status_after": "in_progress"},
    )
    assert response.status_code == 201
    own.refresh_from_db()
    assert (own.progress, own.status) == (50, "in_progress")
    bad = api.post("/api/action-updates/", {"action": own.pk, "text": "x", "progress": 150})
    assert bad.status_code == 400
    theirs = make_action(workstream=ws, owner_organisations=[durban])
    forged = api.post("/api/action-updates/", {"action": theirs.pk, "text": "Forged"})
    assert forged.status_code == 403
    assert api.patch(f"/api/actions/{own.pk}/", {"due_date": "2030-01-01"}).status_code == 403


def test_the_secretariat_creates_and_edits_actions_of_its_workstreams(
    api, commission, other_commission, member_city, secretariat
):
    ws = make_workstream(commissions=[commission])
    theirs = make_workstream(commissions=[other_commission])
    api.force_authenticate(secretariat)
    created = api.post(
        "/api/actions/",
        {"workstream": ws.pk, "title_en": "From the API", "owner_organisations": [member_city.pk]},
        format="json",
    )
    assert created.status_code == 201
    action = Action.objects.get()
    assert api.patch(f"/api/actions/{action.pk}/", {"priority": 1}).status_code == 200
    forged = api.post("/api/actions/", {"workstream": theirs.pk, "title_en": "No"}, format="json")
    assert forged.status_code == 403
    assert Action.objects.count() == 1


def test_anyone_reads_the_action_plan_but_anonymous_cannot_write(api, commission):
    ws = make_workstream(commissions=[commission])
    make_action(workstream=ws)
    assert len(api.get("/api/actions/").json()["results"]) == 1
    assert api.post(
        "/api/workstreams/", {"title_en": "x", "commissions": ["planning"]}
    ).status_code in (401, 403)


def _queries_of(api, path="/api/actions/") -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200
    return len(queries.captured_queries), response.json()


def _list_queries(api, path="/api/actions/") -> tuple[int, dict]:
    """The queries of building a page of the list (not kept yet), and the page, after a
    first request has read what is remembered of the caller between requests."""
    api.get(path)
    caches["shared"].clear()
    return _queries_of(api, path)


def test_the_action_list_needs_as_many_queries_for_2_or_12_actions_with_owners(
    api, commission, member_city, durban, city_officer
):
    ws = make_workstream(commissions=[commission])
    for number in range(2):
        make_action(workstream=ws, title=f"Action {number}", owner_organisations=[member_city])
    api.force_authenticate(city_officer)
    few, first = _list_queries(api)
    for number in range(2, 12):
        make_action(
            workstream=ws,
            title=f"Action {number}",
            owner_organisations=[member_city, durban],
            owner_commissions=[commission],
        )
    many, page = _list_queries(api)
    assert few == many
    assert (first["count"], page["count"]) == (2, 12)
    last = next(row for row in page["results"] if row["title"] == "Action 11")
    assert sorted(last["owner_organisations"]) == sorted([member_city.pk, durban.pk])
    assert last["owner_commissions"] == ["planning"]


def test_a_page_of_actions_is_kept_until_an_action_changes(api, commission, member_city):
    ws = make_workstream(commissions=[commission])
    action = make_action(workstream=ws, title="Draft the charter")
    assert api.get("/api/actions/").json()["count"] == 1
    repeated, kept = _queries_of(api)
    assert repeated == 0
    assert kept["results"][0]["owner_organisations"] == []
    action.owner_organisations.add(member_city)
    _queries, page = _queries_of(api)
    assert page["results"][0]["owner_organisations"] == [member_city.pk]
    action.title_en = "Adopt the charter"
    action.save()
    assert api.get("/api/actions/").json()["results"][0]["title"] == "Adopt the charter"
    assert api.get("/api/actions/?page=2").status_code == 404
