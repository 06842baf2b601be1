"""Each role's allowed and refused cases for meetings and actions, at the rule itself."""

import pytest
from django.contrib.auth.models import AnonymousUser

from actions import permissions as actions_permissions
from actions.tests.factories import make_action, make_workstream
from meetings import permissions
from meetings.models import MeetingVisibility

from .factories import make_meeting

pytestmark = pytest.mark.django_db


def test_members_only_meetings_are_for_members(commission, presidency, city_officer, outsider):
    meeting = make_meeting(commissions=[commission], visibility=MeetingVisibility.MEMBERS)
    assert permissions.can_view_meeting(presidency, meeting)
    assert permissions.can_view_meeting(city_officer, meeting)
    assert not permissions.can_view_meeting(AnonymousUser(), meeting)
    assert not permissions.can_view_meeting(outsider, meeting)


def test_who_manages_a_joint_meeting(
    commission,
    digital,
    administrator,
    secretariat,
    other_secretariat,
    presidency,
    city_officer,
    outsider,
):
    meeting = make_meeting(commissions=[commission, digital])
    assert permissions.can_manage_meeting(administrator, meeting)
    assert permissions.can_manage_meeting(secretariat, meeting)
    for user in (
        other_secretariat,
        presidency,
        city_officer,
        outsider,
        AnonymousUser(),
    ):
        assert not permissions.can_manage_meeting(user, meeting)


def test_the_presidency_reads_drafts_but_does_not_manage(commission, presidency, city_officer):
    meeting = make_meeting(commissions=[commission])
    assert permissions.can_read_meeting_drafts(presidency, meeting)
    assert not permissions.can_read_meeting_drafts(city_officer, meeting)


def test_who_registers_whom(
    commission, city_officer, officer_person, colleague, durban_person, secretariat, outsider
):
    meeting = make_meeting(commissions=[commission])
    assert permissions.can_register_person(city_officer, meeting, officer_person)
    assert permissions.can_register_person(city_officer, meeting, colleague)
    assert not permissions.can_register_person(city_officer, meeting, durban_person)
    assert permissions.can_register_person(secretariat, meeting, durban_person)
    assert not permissions.can_register_person(outsider, meeting, durban_person)
    assert not permissions.can_register_person(AnonymousUser(), meeting, officer_person)


def test_who_updates_and_edits_an_action(
    commission,
    member_city,
    city_officer,
    secretariat,
    administrator,
    presidency,
    other_secretariat,
    outsider,
):
    action = make_action(
        workstream=make_workstream(commissions=[commission]),
        owner_organisations=[member_city],
    )
    assert actions_permissions.can_update_action(city_officer, action)
    assert not actions_permissions.can_edit_action(city_officer, action)
    assert actions_permissions.can_edit_action(secretariat, action)
    assert actions_permissions.can_edit_action(administrator, action)
    for user in (presidency, other_secretariat, outsider, AnonymousUser()):
        assert not actions_permissions.can_update_action(user, action)
