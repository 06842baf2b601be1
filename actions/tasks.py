from datetime import date

from django.tasks import task

from . import reminders


@task()
def send_reminder_digests(day: str) -> int:
    """The daily reminder digest for `day` (ISO date); safe to run more than once."""
    return reminders.send_digests(date.fromisoformat(day))
