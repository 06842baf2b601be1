"""What the notifications engine needs of the partnerships: a partnership as a thing to
follow and as the subject of events, who may hear of it
(`permissions.visible_partnerships`), its parties' automatic follows, and the reminders of
monitoring reports falling due (events of the day's round)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse

from learning.models import Partnership, PartnershipStatus
from notifications import registry
from notifications.events import record_event, titles_of
from notifications.models import EventKind, EventVisibility, TargetType
from notifications.registry import Described, RoleHolders
from notifications.reminders import DAYS_BEFORE, recently_recorded
from notifications.services import follow_automatically, representatives_of

from .permissions import visible_partnerships

if TYPE_CHECKING:
    from accounts.permissions import AnyUser


def _url(partnership: Partnership) -> str:
    return reverse("learning:partnership", args=[partnership.pk])


def _may_see(user: AnyUser, partnership_id: int) -> bool:
    return visible_partnerships(user).filter(pk=partnership_id).exists()


def describe(partnership: Partnership) -> Described:
    targets = [(TargetType.PARTNERSHIP, partnership.pk)]
    if partnership.facilitating_commission_id:
        targets.append((TargetType.COMMISSION, partnership.facilitating_commission_id))
    targets += [
        (TargetType.ORGANISATION, org_id)
        for org_id in partnership.parties.values_list("organisation_id", flat=True)
    ]
    return Described(
        "partnership",
        targets,
        titles_of(partnership, "title"),
        _url(partnership),
        # Proposals are seen only by their parties and facilitators: asked per person.
        EventVisibility.CHECK,
    )


def follow_partnership(partnership: Partnership) -> None:
    """Each party's representatives follow their partnership."""
    organisations = partnership.parties.values_list("organisation_id", flat=True)
    follow_automatically(representatives_of(organisations), TargetType.PARTNERSHIP, partnership.pk)


def record_due_reports(day: date) -> int:
    """Record an event for each active partnership whose next monitoring report is due in
    DAYS_BEFORE days or was due yesterday; its parties follow it."""
    due = Partnership.objects.filter(
        status=PartnershipStatus.ACTIVE,
        next_report_due_on__in=[day + timedelta(days=DAYS_BEFORE), day - timedelta(days=1)],
    ).exclude(pk__in=recently_recorded(EventKind.REPORT_DUE, "partnership"))
    count = 0
    for partnership in due.order_by("pk").iterator(chunk_size=500):
        with transaction.atomic():
            record_event(
                EventKind.REPORT_DUE,
                partnership,
                targets=[(TargetType.PARTNERSHIP, partnership.pk)],
            )
        count += 1
    return count


def automatic_follows(
    get_model: Callable[[str, str], Any], holders: RoleHolders, user_ids: list[int] | None
) -> Iterator[tuple[int, str, int]]:
    """Each party's representatives follow their partnership."""
    representatives = holders.representatives
    parties = get_model("learning", "PartnershipParty").objects.filter(
        organisation_id__in=list(representatives)
    )
    for partnership_id, organisation_id in parties.values_list(
        "partnership_id", "organisation_id"
    ).iterator():
        for user_id in representatives[organisation_id]:
            yield user_id, TargetType.PARTNERSHIP.value, partnership_id


def register() -> None:
    registry.register_target(
        TargetType.PARTNERSHIP,
        model=Partnership,
        visible=visible_partnerships,
        url=_url,
    )
    registry.register_events("learning.partnership", describe)
    registry.register_subject_rule("partnership", _may_see)
    registry.register_daily(record_due_reports)
    registry.register_automatic_follows(automatic_follows)
