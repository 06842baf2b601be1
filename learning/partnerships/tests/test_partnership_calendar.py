"""Partnership activities in the network calendar and in each partnership's own file."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from learning.partnerships import services
from learning.partnerships.tests.factories import World

pytestmark = pytest.mark.django_db


def _summaries(content: bytes) -> list[str]:
    calendar = icalendar.Calendar.from_ical(content)
    return [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]


def test_activities_of_agreed_partnerships_are_in_the_network_calendar(client):
    world = World()
    soon = timezone.localdate() + datetime.timedelta(days=10)
    partnership = world.agreed()
    services.plan_activity(
        partnership,
        kind="study_visit",
        title="Visit of the landfill",
        starts_on=soon,
        ends_on=soon + datetime.timedelta(days=2),
        place="Durban, South Africa",
        actor=world.sofia,
    )
    response = client.get(reverse("meetings:calendar_ical"))
    assert _summaries(response.content) == ["Visit of the landfill (Study visit)"]
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event["DTSTART"].dt == soon
    assert str(event["LOCATION"]) == "Durban, South Africa"
    other = client.get(reverse("meetings:calendar_ical") + "?commission=" + world.commission.slug)
    assert len(_summaries(other.content)) == 1


def test_each_partnership_has_its_own_calendar_file(client):
    world = World()
    partnership = world.agreed()
    day = timezone.localdate()
    services.plan_activity(
        partnership, kind="webinar", title="Kick-off", starts_on=day, actor=world.sofia
    )
    response = client.get(reverse("learning:partnership_ics", args=[partnership.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert _summaries(response.content) == ["Kick-off (Webinar)"]


def test_a_proposal_has_no_public_calendar(client):
    world = World()
    partnership = world.propose()
    response = client.get(reverse("learning:partnership_ics", args=[partnership.pk]))
    assert response.status_code == 404
