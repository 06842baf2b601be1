import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from meetings.models import Meeting, MeetingVisibility

from .factories import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_anonymous_readers_get_public_meetings_only(api, commission):
    make_meeting(commissions=[commission], title="Open")
    make_meeting(commissions=[commission], title="Closed", visibility=MeetingVisibility.MEMBERS)
    titles = [m["title"] for m in api.get("/api/meetings/").json()["results"]]
    assert titles == ["Open"]


def test_a_secretariat_creates_a_meeting_for_its_commission_only(
    api, secretariat, other_commission
):
    api.force_authenticate(secretariat)
    payload = {
        "title_en": "API meeting",
        "commissions": ["planning"],
        "starts_at": "2030-10-01T09:00:00Z",
        "ends_at": "2030-10-01T18:00:00Z",
        "time_zone": "Africa/Casablanca",
    }
    assert api.post("/api/meetings/", payload, format="json").status_code == 201
    forged = api.post("/api/meetings/", payload | {"commissions": ["other"]}, format="json")
    assert forged.status_code == 403
    backwards = api.post(
        "/api/meetings/", payload | {"ends_at": "2030-09-30T09:00:00Z"}, format="json"
    )
    assert backwards.status_code == 400
    assert Meeting.objects.count() == 1


def test_a_city_officer_registers_through_the_api_and_sees_only_its_own(
    api, commission, city_officer, officer_person, durban_person, outsider
):
    meeting = make_meeting(commissions=[commission])
    api.force_authenticate(city_officer)
    ok = api.post(
        "/api/participations/",
        {"meeting": meeting.pk, "person": officer_person.pk},
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["status"] == "registered"
    refused = api.post(
        "/api/participations/",
        {"meeting": meeting.pk, "person": durban_person.pk},
        format="json",
    )
    assert refused.status_code == 403
    assert len(api.get("/api/participations/").json()["results"]) == 1
    api.force_authenticate(outsider)
    assert api.get("/api/participations/").json()["results"] == []


def test_decisions_are_recorded_by_the_meetings_secretariat(
    api, commission, city_officer, secretariat
):
    meeting = make_meeting(commissions=[commission])
    api.force_authenticate(city_officer)
    assert api.post("/api/decisions/", {"meeting": meeting.pk, "text_en": "x"}).status_code == 403
    api.force_authenticate(secretariat)
    response = api.post("/api/decisions/", {"meeting": meeting.pk, "text_en": "Decided"})
    assert response.status_code == 201 and response.json()["number"] == 1


def test_whether_someone_is_registered_is_told_only_to_who_may_register_them(
    api, commission, durban_person, city_officer, administrator
):
    from meetings import services

    meeting = make_meeting(commissions=[commission])
    services.register(meeting, durban_person, actor=None)
    api.force_authenticate(city_officer)  # Rabat's officer may not register Durban's people
    refused = api.post(
        "/api/participations/",
        {"meeting": meeting.pk, "person": durban_person.pk},
        format="json",
    )
    assert refused.status_code == 403
    assert "registered" not in refused.content.decode()
    api.force_authenticate(administrator)
    again = api.post(
        "/api/participations/",
        {"meeting": meeting.pk, "person": durban_person.pk},
        format="json",
    )
    assert again.status_code == 400
    assert "already registered" in again.content.decode()


def _queries_of(api, path="/api/meetings/") -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200
    return len(queries.captured_queries), response.json()


def _list_queries(api, path="/api/meetings/") -> tuple[int, dict]:
    """The queries of building a page of the list (not kept yet), and the page, after a
    first request has read what is remembered of the caller between requests."""
    api.get(path)
    caches["shared"].clear()
    return _queries_of(api, path)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_meeting_list_needs_as_many_queries_for_2_or_12_meetings(
    api, commission, other_commission, secretariat, signed_in
):
    if signed_in:
        api.force_authenticate(secretariat)
    for number in range(2):
        make_meeting(commissions=[commission], title=f"Meeting {number}")
    few, first = _list_queries(api)
    for number in range(2, 12):
        make_meeting(commissions=[commission, other_commission], title=f"Meeting {number}")
    many, page = _list_queries(api)
    assert few == many
    assert (first["count"], page["count"]) == (2, 12)
    last = next(row for row in page["results"] if row["title"] == "Meeting 11")
    assert sorted(last["commissions"]) == sorted([commission.slug, other_commission.slug])


def test_a_page_of_meetings_is_kept_for_visitors_until_a_meeting_changes(api, commission):
    meeting = make_meeting(commissions=[commission], title="Open")
    assert api.get("/api/meetings/").json()["count"] == 1
    repeated, _page = _queries_of(api)
    assert repeated == 0
    meeting.title_en = "Open to all"
    meeting.save()
    assert api.get("/api/meetings/").json()["results"][0]["title"] == "Open to all"
    meeting.visibility = MeetingVisibility.MEMBERS
    meeting.save()
    assert api.get("/api/meetings/").json()["count"] == 0
