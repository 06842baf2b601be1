"""The meeting page lists its participants 50 at a time, grouped by organisation."""

import pytest
from django.urls import reverse
from django.utils import translation

from meetings import services
from network.models import Visibility

from .factories import make_country, make_meeting, make_organisation, make_person

pytestmark = pytest.mark.django_db


def _meeting_with_60_participants(commission):
    """12 organisations of 5 people in 2 regions; the last organisation's people keep
    their names private."""
    meeting = make_meeting(commissions=[commission], capacity=None)
    countries = [make_country(), make_country()]
    for n in range(12):
        organisation = make_organisation(name=f"Town {n:02d}", country=countries[n % 2])
        for k in range(5):
            person = make_person(
                first_name=f"P{n:02d}",
                last_name=f"Member{k}",
                organisation=organisation,
                contact_visibility=Visibility.PRIVATE if n == 11 else Visibility.PUBLIC,
            )
            services.register(meeting, person, actor=None)
    return meeting


def _page(client, meeting, **params):
    response = client.get(reverse("meetings:detail", args=[meeting.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_first_page_lists_50_participants_and_the_summary_counts_all_of_them(
    client, commission
):
    meeting = _meeting_with_60_participants(commission)
    page = _page(client, meeting)
    assert "60 registered representatives of 12 organisations from 2 regions." in page
    assert "Participants 1 to 50 of 60" in page
    assert "<strong>Town 00</strong>: P00 Member0, P00 Member1" in page
    assert "P09 Member4" in page
    assert "P10 Member0" not in page
    assert "Page 1 of 2" in page
    assert 'href="?participants=2#participants"' in page
    assert "Previous participants" not in page


def test_the_second_page_lists_the_rest_and_hides_private_names_from_visitors(client, commission):
    meeting = _meeting_with_60_participants(commission)
    page = _page(client, meeting, participants=2)
    assert "Participants 51 to 60 of 60" in page
    assert "60 registered representatives of 12 organisations from 2 regions." in page
    assert "P09 Member4" not in page
    assert "<strong>Town 10</strong>: P10 Member0" in page
    assert "<strong>Town 11</strong> (5 participants not listed by name)" in page
    assert "P11 Member0" not in page
    assert 'href="?participants=1#participants"' in page
    assert "Next participants" not in page
    # The list opens by itself on the pages after the first, without JavaScript.
    assert '<details id="participants" open>' in page


def test_the_secretariat_sees_every_name_on_each_page(client, commission, secretariat):
    meeting = _meeting_with_60_participants(commission)
    client.force_login(secretariat)
    page = _page(client, meeting, participants=2)
    assert "<strong>Town 11</strong>: P11 Member0, P11 Member1" in page
    assert "not listed by name" not in page


def test_a_page_number_out_of_range_shows_the_last_page(client, commission):
    meeting = _meeting_with_60_participants(commission)
    assert "Participants 51 to 60 of 60" in _page(client, meeting, participants=9)
    assert "Participants 1 to 50 of 60" in _page(client, meeting, participants="x")


def test_a_small_meeting_has_no_pages(client, commission):
    meeting = make_meeting(commissions=[commission])
    services.register(
        meeting,
        make_person(first_name="Sam", last_name="Solo", contact_visibility=Visibility.PUBLIC),
        actor=None,
    )
    page = _page(client, meeting)
    assert "1 registered representatives of 1 organisations" in page
    assert "Sam Solo" in page
    assert "Next participants" not in page
    assert "Participants 1 to" not in page


def test_the_participant_pages_are_translated(client, commission):
    meeting = _meeting_with_60_participants(commission)
    with translation.override("fr"):
        client.cookies["entrevilles_language"] = "fr"
        page = _page(client, meeting, participants=2)
    assert "Participants 51 à 60 sur 60" in page
    assert "Participants précédents" in page
    assert "(5 participants non nommés)" in page
    client.cookies["entrevilles_language"] = "es"
    page = _page(client, meeting)
    assert "Participantes 1 a 50 de 60" in page
    assert "Participantes siguientes" in page
