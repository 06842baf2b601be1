"""Each role's allowed and refused cases for meetings and actions, at the rule itself."""

import pytest
from django.contrib.auth.models import AnonymousUser

from actions import permissions as actions_permissions
from actions.tests.factories import make_action, make_workstream
from meetings import permissions
from meetings.models import MeetingVisibility

from .factories import make_meeting

pytestmark = pytest.mark.django_db


def test_members_only_meetings_are_for_members(cast):
    meeting = make_meeting(commissions=[cast.planning], visibility=MeetingVisibility.MEMBERS)
    assert permissions.can_view_meeting(cast.presidency, meeting)
    assert permissions.can_view_meeting(cast.officer, meeting)
    assert not permissions.can_view_meeting(AnonymousUser(), meeting)
    assert not permissions.can_view_meeting(cast.outsider, meeting)


def test_who_manages_a_joint_meeting(cast):
    meeting = make_meeting(commissions=[cast.planning, cast.digital])
    assert permissions.can_manage_meeting(cast.admin, meeting)
    assert permissions.can_manage_meeting(cast.secretariat, meeting)
    for user in (
        cast.other_secretariat,
        cast.presidency,
        cast.officer,
        cast.outsider,
        AnonymousUser(),
    ):
        assert not permissions.can_manage_meeting(user, meeting)


def test_the_presidency_reads_drafts_but_does_not_manage(cast):
    meeting = make_meeting(commissions=[cast.planning])
    assert permissions.can_read_meeting_drafts(cast.presidency, meeting)
    assert not permissions.can_read_meeting_drafts(cast.officer, meeting)


def test_who_registers_whom(cast):
    meeting = make_meeting(commissions=[cast.planning])
    assert permissions.can_register_person(cast.officer, meeting, cast.officer_person)
    assert permissions.can_register_person(cast.officer, meeting, cast.colleague)
    assert not permissions.can_register_person(cast.officer, meeting, cast.durban_person)
    assert permissions.can_register_person(cast.secretariat, meeting, cast.durban_person)
    assert not permissions.can_register_person(cast.outsider, meeting, cast.durban_person)
    assert not permissions.can_register_person(AnonymousUser(), meeting, cast.officer_person)


def test_who_updates_and_edits_an_action(cast):
    action = make_action(
        workstream=make_workstream(commissions=[cast.planning]),
        owner_organisations=[cast.rabat],
    )
    assert actions_permissions.can_update_action(cast.officer, action)
    assert not actions_permissions.can_edit_action(cast.officer, action)
    assert actions_permissions.can_edit_action(cast.secretariat, action)
    assert actions_permissions.can_edit_action(cast.admin, action)
    for user in (cast.presidency, cast.other_secretariat, cast.outsider, AnonymousUser()):
        assert not actions_permissions.can_update_action(user, action)
