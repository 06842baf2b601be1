import pytest
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
