"""After logging in, each person lands on a page of what waits for them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actions.tests.factories import make_action, make_workstream
from circulars.tests.factories import make_circular
from learning.needs.tests.factories import make_need
from meetings import services as meeting_services
from meetings.tests.factories import Personas, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    cast = Personas()
    workstream = make_workstream(commissions=[cast.planning])
    cast.action = make_action(
        workstream=workstream,
        title="Map the informal settlements",
        owner_organisations=[cast.rabat],
        due_date=timezone.localdate() + timedelta(days=10),
    )
    make_action(
        workstream=workstream, title="Someone else's action", owner_organisations=[cast.durban]
    )
    cast.need = make_need(cast.rabat, title="Financing public transport")
    make_need(cast.durban, title="Durban's own need")
    cast.circular = make_circular(
        commissions=[cast.planning], subjects={"en": "Planning news"}, bodies={"en": "Hello"}
    )
    cast.meeting = make_meeting(commissions=[cast.planning], title="Rabat peer review")
    meeting_services.register(cast.meeting, cast.officer_person, actor=None)
    make_meeting(commissions=[cast.other], title="A meeting of another commission")
    return cast


def test_logging_in_leads_to_my_page(client, cast):
    cast.officer.set_password("a-long-test-password")
    cast.officer.save()
    response = client.post(
        "/accounts/login/",
        {"username": cast.officer.email, "password": "a-long-test-password"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/me/"
    assert "My page" in response.text


def test_a_city_officer_sees_their_actions_needs_and_meetings_and_no_circular(client, cast):
    client.force_login(cast.officer)
    page = client.get("/me/").text
    assert "Map the informal settlements" in page
    assert "Financing public transport" in page
    assert f"/learning/needs/{cast.need.pk}/suggestions/" in page
    assert "Rabat peer review" in page
    assert "Someone else" not in page
    assert "Durban&#x27;s own need" not in page
    assert "Planning news" not in page
    assert "Circulars waiting for your approval" not in page


def test_a_secretariat_sees_its_commissions_circulars_to_approve_and_meetings(client, cast):
    client.force_login(cast.secretariat)
    page = client.get("/me/").text
    assert "Circulars waiting for your approval" in page
    assert "Planning news" in page
    assert "Rabat peer review" in page
    assert "A meeting of another commission" not in page
    assert "Map the informal settlements" not in page


def test_another_secretariat_does_not_see_the_planning_circular(client, cast):
    client.force_login(cast.other_secretariat)
    page = client.get("/me/").text
    assert "Planning news" not in page
    assert "A meeting of another commission" in page


def test_someone_with_no_role_is_told_nothing_waits(client, cast):
    client.force_login(cast.outsider)
    page = client.get("/me/").text
    assert "Nothing waits for you at the moment." in page


def test_my_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_meetings_list_shows_recent_meetings_when_none_is_coming(client, db):
    make_meeting(title="Rabat 2013", starts_at=timezone.now() - timedelta(days=300))
    page = client.get("/meetings/").text
    assert "No meeting is planned yet." in page
    assert "Recent meetings" in page
    assert "Rabat 2013" in page
