"""The archive's kept pages: a change shows at the next request, a visitor never gets a
member's page, and the queries stay the same for few and many circulars."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from circulars import delivery, pages
from circulars.models import SegmentKind
from commissions import services as commission_services
from entrevilles import fragments
from meetings import services as meeting_services

from .factories import make_circular, make_meeting, sending

pytestmark = pytest.mark.django_db


def _sent(commission, **overrides):
    circular = sending(
        make_circular(
            commissions=[commission],
            audience=[{"kind": SegmentKind.COMMISSION_MEMBERS, "commission": commission}],
            **overrides,
        )
    )
    delivery.run(circular.pk)
    return circular


@pytest.fixture
def audience(commission, officer_person, colleague):
    """The commission, whose members' people are the city officer and a colleague."""
    return commission


def test_a_newly_sent_circular_shows_in_the_archive_at_the_next_request(
    client, audience, smtp_server
):
    _sent(audience)
    assert "Outcome of the meeting" in client.get(reverse("circulars:archive")).text
    later = sending(
        make_circular(
            commissions=[audience],
            audience=[{"kind": SegmentKind.COMMISSION_MEMBERS, "commission": audience}],
            subjects={"en": "Call for hosts"},
            bodies={"en": "Dear {{name}}"},
        )
    )
    # Being sent: not in the archive yet.
    assert "Call for hosts" not in client.get(reverse("circulars:archive")).text

    delivery.run(later.pk)

    assert "Call for hosts" in client.get(reverse("circulars:archive")).text
    assert (
        "Call for hosts" in client.get(reverse("circulars:archive_circular", args=[later.pk])).text
    )


def test_a_renamed_commission_shows_on_the_archive_and_the_circular_at_the_next_request(
    client, audience, smtp_server
):
    circular = _sent(audience)
    page = reverse("circulars:archive_circular", args=[circular.pk])
    assert "Planning" in client.get(reverse("circulars:archive")).text
    assert "Planning" in client.get(page).text

    commission_services.update_commission(audience, actor=None, name_en="Urban Planning")

    assert "Urban Planning" in client.get(reverse("circulars:archive")).text
    assert "Urban Planning" in client.get(page).text


def test_a_linked_meeting_renamed_shows_on_the_circular_at_the_next_request(
    client, audience, smtp_server
):
    meeting = make_meeting(commissions=[audience], title="Rabat meeting")
    circular = _sent(audience, meetings=[meeting])
    page = reverse("circulars:archive_circular", args=[circular.pk])
    assert "Rabat meeting" in client.get(page).text

    meeting_services.update_meeting(meeting, changes={"title_en": "Rabat summit"}, actor=None)

    assert "Rabat summit" in client.get(page).text


def test_a_visitor_never_gets_the_members_only_links_a_member_saw(
    client, audience, city_officer, smtp_server
):
    hidden = make_meeting(commissions=[audience], title="Closed session", visibility="members")
    circular = _sent(audience, meetings=[hidden])
    page = reverse("circulars:archive_circular", args=[circular.pk])

    client.force_login(city_officer)
    assert "Closed session" in client.get(page).text
    client.logout()
    assert "Closed session" not in client.get(page).text
    # And the page kept for visitors is not what a member gets.
    client.force_login(city_officer)
    assert "Closed session" in client.get(page).text


def test_the_archive_is_kept_in_each_language(client, audience, smtp_server):
    circular = _sent(audience)
    page = reverse("circulars:archive_circular", args=[circular.pk])
    assert "Outcome of the meeting" in client.get(page).text
    french = client.get(page, headers={"accept-language": "fr"})
    assert "Résultats de la réunion" in french.text
    assert "Outcome of the meeting" in client.get(page).text


def test_the_archive_and_a_circular_cost_the_same_queries_for_few_and_many_circulars(
    client, audience, smtp_server
):
    def cost(path):
        fragments.forget(pages.ARCHIVE)
        fragments.forget(pages.CIRCULAR)
        with CaptureQueriesContext(connection) as built:
            assert client.get(path).status_code == 200
        with CaptureQueriesContext(connection) as kept:
            assert client.get(path).status_code == 200
        return len(built), len(kept)

    first = _sent(audience)
    few = (
        cost(reverse("circulars:archive")),
        cost(reverse("circulars:archive_circular", args=[first.pk])),
    )
    for number in range(30):
        _sent(audience, subjects={"en": f"Circular {number}"}, bodies={"en": "Dear {{name}}"})
    many = (
        cost(reverse("circulars:archive")),
        cost(reverse("circulars:archive_circular", args=[first.pk])),
    )
    assert few == many
    (_built, kept_archive), (_built_page, kept_page) = many
    assert kept_archive <= 1
    assert kept_page <= 1
