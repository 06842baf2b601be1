"""Meetings in the search: indexed as they change, each seen only by those who may see it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from library.tests.factories import make_city, make_commission, make_user
from meetings import services as meeting_services
from meetings.tests.factories import make_meeting
from search.searching import run_search

pytestmark = pytest.mark.django_db


def found(user, text, **filters):
    results = run_search(user, text, filters=filters)
    return [(hit.entry.object_type, hit.entry.object_id) for hit in results.hits]


def test_a_public_meeting_is_found_in_each_of_its_languages_with_its_host_region(on_commit):
    rabat = make_city("Rabat")
    meeting = on_commit(
        make_meeting,
        commissions=[make_commission(slug="strategic-planning")],
        title="Peer learning on metropolitan governance",
        host=rabat,
        purposes={"fr": "Échanger sur la gouvernance métropolitaine et le foncier."},
    )
    assert found(None, "governance", type="meeting") == [("meeting", meeting.pk)]
    assert found(None, "foncier") == [("meeting", meeting.pk)]
    results = run_search(None, "governance")
    assert ("meeting", 1) in results.facets["type"]
    assert results.facets["region"] == [(rabat.region.code, 1)]


def test_a_members_only_meeting_is_found_by_members_only_and_is_not_counted_for_others(
    on_commit,
):
    meeting = on_commit(make_meeting, title="Closed bureau meeting", visibility="members")
    member = make_user(Role.REPRESENTATIVE, organisation=make_city())
    assert found(member, "bureau") == [("meeting", meeting.pk)]
    assert found(None, "bureau") == []
    assert found(make_user(), "bureau") == []
    anonymous = run_search(None, "bureau")
    assert anonymous.total == 0
    assert anonymous.facets["type"] == []


def test_a_meeting_made_members_only_leaves_the_public_search(on_commit):
    meeting = on_commit(make_meeting, title="Rabat retreat")
    on_commit(
        meeting_services.update_meeting, meeting, changes={"visibility": "members"}, actor=None
    )
    assert found(None, "retreat") == []
    assert found(make_user(Role.NETWORK_ADMIN), "retreat") == [("meeting", meeting.pk)]


def test_a_past_meeting_is_dated_by_its_start_in_its_own_time_zone(on_commit):
    start = timezone.now() - timedelta(days=400)
    meeting = on_commit(make_meeting, title="Annual retreat", starts_at=start)
    hit = run_search(None, "retreat").hits[0]
    assert hit.entry.object_id == meeting.pk
    assert hit.entry.date == meeting.local_start.date()
