"""What the notifications engine needs of the needs: a need as a thing to follow and as
the subject of events, who may hear of it (`permissions.visible_learning_needs`), and its
city officers' automatic follows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from learning.models import LearningNeed
from notifications import registry
from notifications.events import titles_of
from notifications.models import EventVisibility, TargetType
from notifications.registry import Described, RoleHolders
from notifications.services import follow_automatically, representatives_of

from .permissions import visible_learning_needs

if TYPE_CHECKING:
    from accounts.permissions import AnyUser


def _url(need: LearningNeed) -> str:
    return reverse("learning:need", args=[need.pk])


def _may_see(user: AnyUser, need_id: int) -> bool:
    return visible_learning_needs(user).filter(pk=need_id).exists()


def describe(need: LearningNeed) -> Described:
    return Described(
        "need",
        [(TargetType.NEED, need.pk), (TargetType.ORGANISATION, need.city_id)],
        titles_of(need, "title"),
        _url(need),
        EventVisibility.CHECK,
    )


def follow_need(need: LearningNeed) -> None:
    """A need's city officers follow it."""
    follow_automatically(representatives_of([need.city_id]), TargetType.NEED, need.pk)


def automatic_follows(
    get_model: Callable[[str, str], Any], holders: RoleHolders, user_ids: list[int] | None
) -> Iterator[tuple[int, str, int]]:
    """A need's city officers follow it."""
    representatives = holders.representatives
    needs = get_model("learning", "LearningNeed").objects.filter(city_id__in=list(representatives))
    for need_id, city_id in needs.values_list("pk", "city_id").iterator():
        for user_id in representatives[city_id]:
            yield user_id, TargetType.NEED.value, need_id


def register() -> None:
    registry.register_target(
        TargetType.NEED, model=LearningNeed, visible=visible_learning_needs, url=_url
    )
    registry.register_events("learning.learningneed", describe)
    registry.register_subject_rule("need", _may_see)
    registry.register_automatic_follows(automatic_follows)
