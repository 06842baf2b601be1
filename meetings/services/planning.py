"""A meeting created and edited, and its agenda."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import changed, record, snapshot
from notifications.events import record_event
from notifications.models import EventKind
from search.services import schedule_reindex

from ..models import AgendaItem, Meeting, MeetingStatus, validate_time_zone
from .common import _first_commission

if TYPE_CHECKING:
    from accounts.models import User
    from commissions.models import Commission
    from network.models import Organisation


TRANSLATED_MEETING_FIELDS = ("title", "purpose")


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("meeting times must be aware datetimes")
    if ends_at < starts_at:
        raise ValidationError({"ends_at": _("The meeting cannot end before it starts.")})


@transaction.atomic
def create_meeting(
    *,
    commissions: Iterable,
    titles: dict[str, str],
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str = "UTC",
    purposes: dict[str, str] | None = None,
    host: Organisation | None = None,
    venue: str = "",
    online_url: str = "",
    visibility: str = "public",
    status: str = MeetingStatus.PLANNED,
    capacity: int | None = None,
    actor: User | None,
) -> Meeting:
    """Create a meeting of one commission, or a joint meeting of several."""
    commissions = list(commissions)
    if not commissions:
        raise ValidationError({"commissions": _("Choose at least one commission.")})
    if not any(titles.values()):
        raise ValidationError({"title": _("Give the meeting a title.")})
    _check_times(starts_at, ends_at)
    validate_time_zone(time_zone)
    meeting = Meeting(
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        host=host,
        venue=venue,
        online_url=online_url,
        visibility=visibility,
        status=status,
        capacity=capacity,
    )
    for code, value in titles.items():
        setattr(meeting, f"title_{code}", value)
    for code, value in (purposes or {}).items():
        setattr(meeting, f"purpose_{code}", value)
    meeting.full_clean(exclude=["commissions"])
    meeting.save()
    meeting.commissions.set(commissions)
    schedule_reindex("meeting", meeting.pk)
    record(
        "meetings.meeting.created",
        meeting,
        actor=actor,
        after=snapshot(meeting) | {"commissions": sorted(c.pk for c in commissions)},
        commission=commissions[0],
    )
    return meeting


@transaction.atomic
def update_meeting(
    meeting: Meeting,
    *,
    changes: dict,
    commissions: Iterable[Commission] | None = None,
    actor: User | None,
) -> Meeting:
    """Change a meeting's fields (`title_fr`, `starts_at`, `status`...) and commissions."""
    before = snapshot(meeting)
    for name, value in changes.items():
        setattr(meeting, name, value)
    _check_times(meeting.starts_at, meeting.ends_at)
    meeting.full_clean(exclude=["commissions"])
    meeting.save()
    if commissions is not None:
        commissions = list(commissions)
        if not commissions:
            raise ValidationError({"commissions": _("Choose at least one commission.")})
        meeting.commissions.set(commissions)
    schedule_reindex("meeting", meeting.pk)
    old, new = changed(before, snapshot(meeting))
    record(
        "meetings.meeting.updated",
        meeting,
        actor=actor,
        before=old,
        after=new,
        commission=_first_commission(meeting),
    )
    if new:
        cancelled = new.get("status") == MeetingStatus.CANCELLED
        kind = EventKind.MEETING_CANCELLED if cancelled else EventKind.MEETING_CHANGED
        record_event(kind, meeting, actor=actor)
    return meeting


@transaction.atomic
def add_agenda_item(
    meeting: Meeting,
    *,
    titles: dict[str, str],
    descriptions: dict[str, str] | None = None,
    duration_minutes: int | None = None,
    actor: User | None,
) -> AgendaItem:
    """Append an item at the end of the meeting's agenda."""
    if not any(titles.values()):
        raise ValidationError({"title": _("Give the agenda item a title.")})
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"]
    item = AgendaItem(meeting=meeting, position=(last or 0) + 1, duration_minutes=duration_minutes)
    for code, value in titles.items():
        setattr(item, f"title_{code}", value)
    for code, value in (descriptions or {}).items():
        setattr(item, f"description_{code}", value)
    item.save()
    record("meetings.agenda_item.created", item, actor=actor, after=snapshot(item))
    return item


@transaction.atomic
def move_agenda_item(item: AgendaItem, *, offset: int, actor: User | None) -> None:
    """Move an item up (-1) or down (+1) the agenda, renumbering it 1, 2, 3..."""
    items = list(item.meeting.agenda_items.select_for_update().order_by("position", "id"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = max(0, min(len(items) - 1, index + offset))
    items.insert(target, items.pop(index))
    for position, other in enumerate(items, start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])
    record("meetings.agenda_item.moved", item, actor=actor, after={"position": target + 1})


@transaction.atomic
def remove_agenda_item(item: AgendaItem, *, actor: User | None) -> None:
    record("meetings.agenda_item.deleted", item, actor=actor, before=snapshot(item))
    item.delete()
