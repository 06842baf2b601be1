"""After logging in, each person lands on a page of what waits for them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import PASSWORD, make_user
from actions.tests.factories import make_action, make_workstream
from circulars.tests.factories import make_circular
from learning.needs.tests.factories import make_need
from meetings import services as meeting_services
from meetings.tests.factories import (
    add_member,
    make_commission,
    make_meeting,
    make_organisation,
    make_person,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_city(member_city, commission):
    add_member(commission, member_city)
    return member_city


@pytest.fixture
def city_officer(city_officer, member_city):
    make_person(
        first_name="Amina", last_name="Officer", organisation=member_city, user=city_officer
    )
    return city_officer


@pytest.fixture
def other_commission(db):
    return make_commission(slug="other", name="Other")


@pytest.fixture
def other_secretariat(other_commission):
    return make_user(Role.SECRETARIAT, commission=other_commission)


@pytest.fixture
def need(commission, other_commission, member_city, city_officer):
    """What waits in the network: actions, needs, a circular and meetings; returns the
    city's need."""
    durban = make_organisation(name="Durban")
    workstream = make_workstream(commissions=[commission])
    make_action(
        workstream=workstream,
        title="Map the informal settlements",
        owner_organisations=[member_city],
        due_date=timezone.localdate() + timedelta(days=10),
    )
    make_action(workstream=workstream, title="Someone else's action", owner_organisations=[durban])
    need = make_need(member_city, title="Financing public transport")
    make_need(durban, title="Durban's own need")
    make_circular(
        commissions=[commission], subjects={"en": "Planning news"}, bodies={"en": "Hello"}
    )
    meeting = make_meeting(commissions=[commission], title="Rabat peer review")
    meeting_services.register(meeting, city_officer.person, actor=None)
    make_meeting(commissions=[other_commission], title="A meeting of another commission")
    return need


def test_logging_in_leads_to_my_page(client, city_officer, need):
    response = client.post(
        "/accounts/login/",
        {"username": city_officer.email, "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/me/"
    assert "My page" in response.text


def test_a_city_officer_sees_their_actions_needs_and_meetings_and_no_circular(
    client, city_officer, need
):
    client.force_login(city_officer)
    page = client.get("/me/").text
    assert "Map the informal settlements" in page
    assert "Financing public transport" in page
    assert f"/learning/needs/{need.pk}/suggestions/" in page
    assert "Rabat peer review" in page
    assert "Someone else" not in page
    assert "Durban&#x27;s own need" not in page
    assert "Planning news" not in page
    assert "Circulars waiting for your approval" not in page


def test_a_secretariat_sees_its_commissions_circulars_to_approve_and_meetings(
    client, secretariat, need
):
    client.force_login(secretariat)
    page = client.get("/me/").text
    assert "Circulars waiting for your approval" in page
    assert "Planning news" in page
    assert "Rabat peer review" in page
    assert "A meeting of another commission" not in page
    assert "Map the informal settlements" not in page


def test_another_secretariat_does_not_see_the_planning_circular(client, other_secretariat, need):
    client.force_login(other_secretariat)
    page = client.get("/me/").text
    assert "Planning news" not in page
    assert "A meeting of another commission" in page


def test_someone_with_no_role_is_told_nothing_waits(client, outsider, need):
    client.force_login(outsider)
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
