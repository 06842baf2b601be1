"""The API of learning groups, dashboards and the map, under the pages' permissions."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from actions.models import Action
from actions.tests.factories import make_workstream
from learning.groups import services
from learning.groups.tests.factories import make_group, make_partnership
from learning.models import GroupVisibility, LearningGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def group(commission, member_city):
    group = make_group(commission=commission, slug="planners")
    services.add_member(group, member_city, joined_on=date(2013, 10, 1), actor=None)
    session = services.add_session(group, held_on=date(2013, 10, 1), place="Rabat", actor=None)
    services.add_conclusion(group, texts={"en": "Share plans"}, session=session, actor=None)
    return group


def test_anyone_reads_public_groups_with_members_sessions_and_conclusions(
    api, commission, group, django_assert_max_num_queries
):
    make_group(commission=commission, slug="hidden", visibility=GroupVisibility.MEMBERS)
    listed = api.get("/api/learning-groups/").json()
    assert [g["slug"] for g in listed["results"]] == ["planners"]
    with django_assert_max_num_queries(8):
        detail = api.get("/api/learning-groups/planners/").json()
    assert detail["members"][0]["organisation_name"] == "Rabat"
    assert detail["sessions"][0]["place"] == "Rabat"
    assert detail["conclusions"][0] == detail["conclusions"][0] | {
        "number": 1,
        "text": "Share plans",
        "action": None,
        "action_status": None,
    }
    assert api.get("/api/learning-groups/hidden/").status_code == 404


def test_the_secretariat_runs_a_group_through_the_api(api, commission, durban, secretariat, group):
    workstream = make_workstream(commissions=[commission])
    api.force_authenticate(secretariat)
    response = api.post(
        "/api/learning-groups/planners/members/",
        {"organisation": durban.pk, "joined_on": "2014-01-01"},
        format="json",
    )
    assert response.status_code == 201
    response = api.post(
        "/api/learning-groups/planners/conclusions/",
        {"concluded_on": "2014-02-01", "text_fr": "Publier une note"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["number"] == 2
    response = api.post(
        "/api/learning-groups/planners/conclusions/2/action/",
        {"workstream": workstream.pk},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["action_status"] == "planned"
    assert Action.objects.get().title_fr == "Publier une note"
    response = api.post(
        "/api/learning-groups/planners/leave/",
        {"organisation": durban.pk, "left_on": "2013-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "A member cannot leave before joining." in str(response.json())


@pytest.mark.parametrize("persona", [None, "city_officer", "presidency", "other_secretariat"])
def test_others_cannot_write_to_a_group_through_the_api(api, request, group, persona):
    if persona:
        api.force_authenticate(request.getfixturevalue(persona))
    response = api.post(
        "/api/learning-groups/planners/sessions/", {"held_on": "2014-01-01"}, format="json"
    )
    assert response.status_code in (401, 403)
    assert group.sessions.count() == 1


def test_a_group_is_created_only_for_a_commission_one_runs(
    api, commission, other_commission, secretariat
):
    api.force_authenticate(secretariat)
    payload = {"slug": "new", "name_en": "New", "facilitating_commission": other_commission.slug}
    assert api.post("/api/learning-groups/", payload, format="json").status_code == 403
    payload["facilitating_commission"] = commission.slug
    response = api.post("/api/learning-groups/", payload | {"visible_to": "members"}, format="json")
    assert response.status_code == 201
    assert LearningGroup.objects.get(slug="new").visibility == "members"
    response = api.post(
        "/api/learning-groups/", payload | {"slug": "empty", "name_en": ""}, format="json"
    )
    assert response.status_code == 400


def test_dashboard_figures_follow_the_dashboard_permissions(
    api, commission, other_commission, member_city, durban, administrator, presidency, group
):
    make_partnership(parties=[durban, member_city], commission=commission)
    assert api.get("/api/learning-dashboard/").status_code in (401, 403)
    api.force_authenticate(presidency)
    assert api.get("/api/learning-dashboard/").status_code == 403
    figures = api.get(f"/api/learning-dashboard/{commission.slug}/").json()
    assert figures["total"] == 1
    assert figures["groups"][0]["open_conclusion_count"] == 1
    assert api.get(f"/api/learning-dashboard/{other_commission.slug}/").status_code == 403
    api.force_authenticate(administrator)
    assert api.get("/api/learning-dashboard/").json()["total"] == 1


def test_the_map_data_is_geojson_for_everyone(api, member_city, durban):
    durban.latitude, durban.longitude = -29.86, 31.03
    durban.save()
    member_city.latitude, member_city.longitude = 34.02, -6.84
    member_city.save()
    make_partnership(parties=[durban, member_city], status="completed")
    data = api.get("/api/learning-map/", {"status": "completed"}).json()
    assert data["type"] == "FeatureCollection"
    assert sorted(f["geometry"]["type"] for f in data["features"]) == [
        "LineString",
        "Point",
        "Point",
    ]
