from datetime import date

from django.tasks import task

from . import digests, fanout, reminders
from .models import Frequency


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
    reminders.record_due_actions(when)
    reminders.record_due_reports(when)
    fanout.fan_out_leftovers()
    sent = digests.send_digests(when, Frequency.DAILY)
    if when.weekday() == 0:
        sent += digests.send_digests(when, Frequency.WEEKLY)
    return sent
