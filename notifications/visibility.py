"""Whether a person may hear of an event: the owning app's permission rules decide
(each app's permissions.py, registered with `registry.register_subject_rule`), asked when
notifications are fanned out and again when mailed."""

from __future__ import annotations

from accounts import permissions as roles

from . import registry
from .models import Event, EventVisibility


def _subject_visible(user, subject_type: str, subject_id: int) -> bool:
    may_see = registry.subject_rule(subject_type)
    # Experiences, actions and circulars are only recorded once public.
    return may_see is None or may_see(user, subject_id)


def may_hear_of(user, event: Event) -> bool:
    """May `user` be told of `event`? Inactive (deleted) accounts hear of nothing."""
    if not roles.is_authenticated(user):
        return False
    if event.visibility == EventVisibility.PUBLIC:
        return True
    if event.visibility == EventVisibility.MEMBERS:
        return roles.is_network_member(user)
    return _subject_visible(user, event.subject_type, event.subject_id)
