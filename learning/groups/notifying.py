"""What the notifications engine needs of the learning groups: a group as a thing to
follow and as the subject of events, and who may hear of it
(`permissions.visible_learning_groups`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from learning.models import LearningGroup
from notifications import registry
from notifications.events import titles_of
from notifications.models import EventVisibility, TargetType
from notifications.registry import Described

from .permissions import visible_learning_groups

if TYPE_CHECKING:
    from accounts.permissions import AnyUser


def _url(group: LearningGroup) -> str:
    return reverse("learning:group", args=[group.slug])


def _may_see(user: AnyUser, group_id: int) -> bool:
    return visible_learning_groups(user).filter(pk=group_id).exists()


def describe(group: LearningGroup) -> Described:
    return Described(
        "group",
        [
            (TargetType.GROUP, group.pk),
            (TargetType.COMMISSION, group.facilitating_commission_id),
        ],
        titles_of(group, "name"),
        _url(group),
        # Members-only groups are seen by their members and secretariat: asked per person.
        EventVisibility.CHECK,
    )


def register() -> None:
    registry.register_target(
        TargetType.GROUP, model=LearningGroup, visible=visible_learning_groups, url=_url
    )
    registry.register_events("learning.learninggroup", describe)
    registry.register_subject_rule("group", _may_see)
