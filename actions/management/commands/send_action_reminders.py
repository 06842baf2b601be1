from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from actions import reminders
from actions.tasks import send_reminder_digests


class Command(BaseCommand):
    help = (
        "Sends the daily digest of actions due soon or late to their owners. Run it once a "
        "day (cron); by default it is queued for the background worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day of the digest, YYYY-MM-DD (default: today).")
        parser.add_argument(
            "--now", action="store_true", help="Send here and now instead of queueing."
        )

    def handle(self, *args, date=None, now=False, **options):
        try:
            day = _parse(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}") from error
        if now:
            sent = reminders.send_digests(day)
            self.stdout.write(f"{sent} digests sent for {day.isoformat()}")
        else:
            result = send_reminder_digests.enqueue(day.isoformat())
            self.stdout.write(f"digest for {day.isoformat()} queued ({result.id})")


def _parse(value: str):
    return date.fromisoformat(value)
