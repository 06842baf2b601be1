"""The circulars API: the same rules as the pages."""

import pytest
from rest_framework.test import APIClient

from circulars import delivery
from circulars.models import Circular, CircularStatus, SegmentKind

from .factories import make_circular, sending

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _payload(commission, **overrides):
    data = {
        "kind": "call",
        "commissions": [commission.slug],
        "original_language": "en",
        "subject_en": "Call",
        "body_en": "Dear {{name}}",
        "segments": [{"kind": "commission", "commission": commission.slug}],
    }
    data.update(overrides)
    return data


def test_a_secretariat_creates_previews_approves_and_sends_through_the_api(
    api, commission, secretariat, officer_person, colleague, durban_person
):
    api.force_authenticate(secretariat)
    created = api.post("/api/circulars/", _payload(commission), format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]

    preview = api.get(f"/api/circulars/{pk}/preview/").json()
    assert preview["total"] == 2
    assert preview["by_language"] == {"en": {"recipients": 2, "receive": "en"}}

    assert api.post(f"/api/circulars/{pk}/approve/").json()["status"] == "approved"
    assert api.post(f"/api/circulars/{pk}/send/").json()["status"] == "sending"
    stats = api.get(f"/api/circulars/{pk}/stats/").json()
    assert (stats["total"], stats["queued"]) == (2, 2)
    assert api.post(f"/api/circulars/{pk}/stop/").json()["status"] == "stopped"
    assert api.post(f"/api/circulars/{pk}/resume/").json()["status"] == "sending"


def test_the_api_refuses_what_the_role_does_not_allow(
    api, other_secretariat, commission, secretariat, presidency
):
    api.force_authenticate(secretariat)
    assert (
        api.post("/api/circulars/", _payload(commission, commissions=[]), format="json").status_code
        == 403
    )
    assert (
        api.post(
            "/api/circulars/", _payload(commission, commissions=["other"]), format="json"
        ).status_code
        == 403
    )
    circular = make_circular(commissions=[commission])
    api.force_authenticate(presidency)
    assert api.get(f"/api/circulars/{circular.pk}/").status_code == 200
    assert api.post(f"/api/circulars/{circular.pk}/approve/").status_code == 403
    assert (
        api.patch(f"/api/circulars/{circular.pk}/", {"subject_en": "x"}, format="json").status_code
        == 403
    )
    api.force_authenticate(other_secretariat)
    assert api.get(f"/api/circulars/{circular.pk}/").status_code == 404
    api.force_authenticate(None)
    assert api.get("/api/circulars/").status_code in (401, 403)
    assert Circular.objects.count() == 1


def test_bad_input_is_a_400_with_the_reason(api, commission, secretariat):
    api.force_authenticate(secretariat)
    response = api.post(
        "/api/circulars/", _payload(commission, body_en="Hello {{nope}}"), format="json"
    )
    assert response.status_code == 400
    assert "{{nope}}" in str(response.json())
    empty = make_circular(commissions=[commission])
    api.post(f"/api/circulars/{empty.pk}/approve/")
    response = api.post(f"/api/circulars/{empty.pk}/send/")
    assert response.status_code == 400
    assert "audience is empty" in str(response.json())


def test_deliveries_are_listed_for_those_who_send_and_the_archive_is_public(
    api,
    commission,
    secretariat,
    presidency,
    outsider,
    officer_person,
    colleague,
    durban_person,
    smtp_server,
):
    circular = sending(
        make_circular(
            commissions=[commission],
            audience=[{"kind": SegmentKind.COMMISSION_MEMBERS, "commission": commission}],
        )
    )
    delivery.run(circular.pk)
    api.force_authenticate(secretariat)
    rows = api.get(f"/api/circular-deliveries/?circular={circular.pk}").json()["results"]
    assert {r["status"] for r in rows} == {"sent"}
    api.force_authenticate(presidency)
    assert api.get(f"/api/circular-deliveries/?circular={circular.pk}").status_code == 403
    api.force_authenticate(outsider)
    assert api.get(f"/api/circular-deliveries/?circular={circular.pk}").status_code == 404

    api.force_authenticate(None)
    archive = api.get("/api/circular-archive/").json()["results"]
    assert archive[0]["versions"]["fr"]["subject"] == "Résultats de la réunion"
    circular.refresh_from_db()
    assert circular.status == CircularStatus.SENT
