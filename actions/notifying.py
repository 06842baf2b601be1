"""What the notifications engine needs of the action plan: an action as a thing to follow
and as the subject of events, its owners' automatic follows, and the reminders of actions
falling due (events of the day's round, mailed in each owner's digest)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse

from notifications import registry
from notifications.events import ids_of, record_event, titles_of
from notifications.models import EventKind, EventVisibility, TargetType
from notifications.registry import Described, RoleHolders
from notifications.reminders import DAYS_BEFORE, recently_recorded
from notifications.services import follow_automatically, representatives_of, secretariats_of

from .models import Action

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.permissions import AnyUser


def _visible(user: AnyUser) -> QuerySet[Action]:
    return Action._default_manager.all()


def _url(action: Action) -> str:
    return reverse("actions:detail", args=[action.pk])


def describe(action: Action) -> Described:
    targets = [(TargetType.ACTION, action.pk)]
    targets += [(TargetType.COMMISSION, pk) for pk in ids_of(action.owner_commissions)]
    return Described(
        "action",
        targets,
        titles_of(action, "title"),
        _url(action),
        EventVisibility.PUBLIC,
    )


def follow_action(action: Action) -> None:
    """The owners of an action follow it: owner people with a login, the representatives
    of owner organisations, the secretariats of owner commissions."""
    users = [
        uid for uid in action.owner_people.values_list("user_id", flat=True) if uid is not None
    ]
    users += representatives_of(action.owner_organisations.values_list("pk", flat=True))
    users += secretariats_of(action.owner_commissions.values_list("pk", flat=True))
    follow_automatically(users, TargetType.ACTION, action.pk)


def record_due_actions(day: date) -> int:
    """Record an event for each open action due in DAYS_BEFORE days or due yesterday;
    running it twice the same day records nothing more."""
    due = Action.objects.open().filter(
        due_date__in=[day + timedelta(days=DAYS_BEFORE), day - timedelta(days=1)]
    )
    done = recently_recorded(EventKind.ACTION_DUE, "action")
    count = 0
    for action in due.exclude(pk__in=done).order_by("pk").iterator(chunk_size=500):
        with transaction.atomic():
            record_event(EventKind.ACTION_DUE, action)
        count += 1
    return count


def automatic_follows(
    get_model: Callable[[str, str], Any], holders: RoleHolders, user_ids: list[int] | None
) -> Iterator[tuple[int, str, int]]:
    """The owners of an action follow it (as `follow_action`)."""
    representatives, secretariats = holders.representatives, holders.secretariats
    model = get_model("actions", "Action")
    by_organisation = model.owner_organisations.through.objects.filter(
        organisation_id__in=list(representatives)
    )
    for action_id, organisation_id in by_organisation.values_list(
        "action_id", "organisation_id"
    ).iterator():
        for user_id in representatives[organisation_id]:
            yield user_id, TargetType.ACTION.value, action_id
    by_commission = model.owner_commissions.through.objects.filter(
        commission_id__in=list(secretariats)
    )
    for action_id, commission_id in by_commission.values_list(
        "action_id", "commission_id"
    ).iterator():
        for user_id in secretariats[commission_id]:
            yield user_id, TargetType.ACTION.value, action_id
    by_person = model.owner_people.through.objects.filter(person__user__isnull=False)
    if user_ids is not None:
        by_person = by_person.filter(person__user_id__in=user_ids)
    for action_id, user_id in by_person.values_list("action_id", "person__user_id").iterator():
        yield user_id, TargetType.ACTION.value, action_id


def register() -> None:
    registry.register_target(TargetType.ACTION, model=Action, visible=_visible, url=_url)
    registry.register_events("actions.action", describe)
    registry.register_daily(record_due_actions)
    registry.register_automatic_follows(automatic_follows)
