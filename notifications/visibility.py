"""Whether a person may hear of an event: the owning app's permission rules decide
(each app's permissions.py), asked when notifications are fanned out and again when mailed."""

from __future__ import annotations

from accounts import permissions as roles
from learning import permissions as learning_permissions
from meetings import permissions as meetings_permissions

from .models import Event, EventVisibility


def _subject_visible(user, subject_type: str, subject_id: int) -> bool:
    if subject_type == "partnership":
        return learning_permissions.visible_partnerships(user).filter(pk=subject_id).exists()
    if subject_type == "need":
        return learning_permissions.visible_learning_needs(user).filter(pk=subject_id).exists()
    if subject_type == "group":
        return learning_permissions.visible_learning_groups(user).filter(pk=subject_id).exists()
    if subject_type == "meeting":
        from meetings.models import Meeting

        meeting = Meeting.objects.filter(pk=subject_id).first()
        return meeting is not None and meetings_permissions.can_view_meeting(user, meeting)
    # Experiences, actions and circulars are only recorded once public.
    return True


def may_hear_of(user, event: Event) -> bool:
    """May `user` be told of `event`? Inactive (deleted) accounts hear of nothing."""
    if not roles.is_authenticated(user):
        return False
    if event.visibility == EventVisibility.PUBLIC:
        return True
    if event.visibility == EventVisibility.MEMBERS:
        return roles.is_network_member(user)
    return _subject_visible(user, event.subject_type, event.subject_id)
