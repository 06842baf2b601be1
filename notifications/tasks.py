"""The worker's jobs: the fan-out of each event once its transaction commits, and the
day's round. On the round, what falls due becomes events (the apps' daily jobs, registered
with `registry.register_daily`: actions and partnership reports; the action plan's
reminders are one kind of notification, mailed in each owner's digest like the others),
events a dead worker left are finished, and the digests leave."""

from __future__ import annotations

from datetime import date

from django.tasks import task

from . import digests, fanout, registry
from .models import Frequency


@task()
def fan_out_event(event_id: int) -> int:
    """Notify an event's followers, then mail those who want it immediately."""
    fanout.fan_out(event_id)
    return digests.send_event_mails(event_id)


@task()
def send_daily_notifications(day: str) -> int:
    """The day's work (ISO date): events of what falls due, any event left without
    fan-out by a dead worker, the daily digests and, on Mondays, the weekly ones."""
    when = date.fromisoformat(day)
    for job in registry.daily_jobs():
        job(when)
    fanout.fan_out_leftovers()
    sent = digests.send_digests(when, Frequency.DAILY)
    if when.weekday() == 0:
        sent += digests.send_digests(when, Frequency.WEEKLY)
    return sent
