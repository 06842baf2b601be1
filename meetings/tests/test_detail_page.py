"""A meeting's page as visitors see it: kept between requests, never older than a change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import services as action_services
from actions.tests.factories import make_action, make_workstream
from meetings import services
from meetings.models import MeetingVisibility
from network.models import Visibility

from .factories import make_meeting, make_organisation, make_person

pytestmark = pytest.mark.django_db


def _page(client, meeting, **query) -> str:
    response = client.get(reverse("meetings:detail", args=[meeting.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def test_visitors_see_a_change_to_the_meeting_at_once(client, commission, member_city):
    meeting = make_meeting(commissions=[commission], title="Water forum", host=member_city)
    assert "Water forum" in _page(client, meeting)
    services.update_meeting(meeting, changes={"title_en": "Water and sanitation forum"}, actor=None)
    page = _page(client, meeting)
    assert "<title>Water and sanitation forum" in page
    assert "<h1>Water and sanitation forum</h1>" in page


def test_visitors_see_a_new_participant_decision_and_agenda_item_at_once(client, commission):
    meeting = make_meeting(commissions=[commission])
    assert "0 registered representatives" in _page(client, meeting)
    services.register(
        meeting,
        make_person(first_name="Amina", last_name="Diallo", contact_visibility=Visibility.PUBLIC),
        actor=None,
    )
    services.add_agenda_item(meeting, titles={"en": "Opening of the session"}, actor=None)
    services.record_decision(meeting, texts={"en": "Adopt the water charter"}, actor=None)
    page = _page(client, meeting)
    assert "1 registered representatives of 1 organisations" in page
    assert "Amina Diallo" in page
    assert "Opening of the session" in page
    assert "Adopt the water charter" in page


def test_visitors_see_a_renamed_participant_organisation_at_once(client, commission):
    meeting = make_meeting(commissions=[commission])
    organisation = make_organisation(name_en="Niamey")
    services.register(meeting, make_person(organisation=organisation), actor=None)
    assert "Niamey" in _page(client, meeting)
    organisation.name_en = "Niamey (capital)"
    organisation.save()
    assert "Niamey (capital)" in _page(client, meeting)


def test_visitors_see_an_open_action_change_at_once(client, commission):
    meeting = make_meeting(commissions=[commission])
    action = make_action(
        workstream=make_workstream(commissions=[commission]), title="Map the wells"
    )
    assert "Map the wells" in _page(client, meeting)
    action_services.update_action(action, changes={"status": "done"}, actor=None)
    assert "Map the wells" not in _page(client, meeting)


def test_a_meeting_made_members_only_is_hidden_from_visitors_at_once(client, commission):
    meeting = make_meeting(commissions=[commission])
    assert "Registration" in _page(client, meeting)
    services.update_meeting(meeting, changes={"visibility": MeetingVisibility.MEMBERS}, actor=None)
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404


def test_visitors_read_each_page_of_participants_and_each_language(client, commission):
    meeting = make_meeting(commissions=[commission])
    for n in range(60):
        services.register(
            meeting, make_person(first_name="Person", last_name=f"N{n:02}"), actor=None
        )
    first = _page(client, meeting)
    second = _page(client, meeting, participants=2)
    assert "Participants 1 to 50 of 60" in first
    assert "Participants 51 to 60 of 60" in second
    assert "Participants 51 to 60 of 60" in _page(client, meeting, participants=2)
    french = client.get(
        reverse("meetings:detail", args=[meeting.pk]), headers={"accept-language": "fr"}
    ).content.decode()
    assert "Participants" in french and french != first
    for odd in ("-1", "x", "2" * 40, "٢"):
        assert "Participants 1 to 50 of 60" in _page(client, meeting, participants=odd)


def test_a_signed_in_reader_gets_the_page_built_for_them(client, commission, city_officer):
    meeting = make_meeting(commissions=[commission])
    assert "Log in to register." in _page(client, meeting)
    client.force_login(city_officer)
    assert "Log in to register." not in _page(client, meeting)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_page_needs_the_same_queries_for_5_and_50_participants(
    client, commission, member_city, secretariat, signed_in
):
    if signed_in:
        client.force_login(secretariat)
    counts = []
    for size in (5, 50):
        meeting = make_meeting(commissions=[commission], host=member_city)
        organisations = [make_organisation() for _ in range(5)]
        for n in range(size):
            person = make_person(organisation=organisations[n % 5])
            services.register(meeting, person, actor=None)
        make_action(workstream=make_workstream(commissions=[commission]), title=f"Act {size}")
        if signed_in:
            # The reader's session, roles and unread count are read once and kept (the
            # registrations above may have notified them): another page reads them first.
            client.get("/")
        with CaptureQueriesContext(connection) as queries:
            page = _page(client, meeting)
        assert f"{size} registered representatives of 5 organisations" in page
        counts.append(len(queries))
    assert counts[0] == counts[1]
