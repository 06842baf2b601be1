"""The worker's jobs: the fan-out of each event once its transaction commits, and the
day's round. On the round, actions and partnership reports falling due become events (the
action plan's reminders are one kind of notification, mailed in each owner's digest like
the others), events a dead worker left are finished, and the digests leave."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from actions.models import Action
from learning.models import Partnership, PartnershipStatus

from . import digests, fanout
from .events import record_event
from .models import Event, EventKind, Frequency, TargetType


@task()
def fan_out_event(event_id: int) -> int:
    """Notify an event's followers, then mail those who want it immediately."""
    fanout.fan_out(event_id)
    return digests.send_event_mails(event_id)


@task()
def send_daily_notifications(day: str) -> int:
    """The day's work (ISO date): events of actions falling due, any event left without
    fan-out by a dead worker, the daily digests and, on Mondays, the weekly ones."""
    when = date.fromisoformat(day)
    record_due_actions(when)
    record_due_reports(when)
    fanout.fan_out_leftovers()
    sent = digests.send_digests(when, Frequency.DAILY)
    if when.weekday() == 0:
        sent += digests.send_digests(when, Frequency.WEEKLY)
    return sent


# Owners hear of an action this many days before its due date, and the day after it.
DAYS_BEFORE = 7


def _recent(kind: str, subject_type: str) -> set[int]:
    # The two moments are eight days apart: an event of the last few days means this run
    # (or another worker's) has already recorded it.
    return set(
        Event.objects.filter(
            kind=kind,
            subject_type=subject_type,
            created_at__gte=timezone.now() - timedelta(days=DAYS_BEFORE - 1),
        ).values_list("subject_id", flat=True)
    )


def record_due_reports(day: date) -> int:
    """Record an event for each active partnership whose next monitoring report is due in
    DAYS_BEFORE days or was due yesterday; its parties follow it."""
    due = Partnership.objects.filter(
        status=PartnershipStatus.ACTIVE,
        next_report_due_on__in=[day + timedelta(days=DAYS_BEFORE), day - timedelta(days=1)],
    ).exclude(pk__in=_recent(EventKind.REPORT_DUE, "partnership"))
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


def record_due_actions(day: date) -> int:
    """Record an event for each open action due in DAYS_BEFORE days or due yesterday;
    running it twice the same day records nothing more."""
    due = Action.objects.open().filter(
        due_date__in=[day + timedelta(days=DAYS_BEFORE), day - timedelta(days=1)]
    )
    done = _recent(EventKind.ACTION_DUE, "action")
    count = 0
    for action in due.exclude(pk__in=done).order_by("pk").iterator(chunk_size=500):
        with transaction.atomic():
            record_event(EventKind.ACTION_DUE, action)
        count += 1
    return count
