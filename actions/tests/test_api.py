import pytest
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
