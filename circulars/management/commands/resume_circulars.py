from django.core.management.base import BaseCommand

from circulars.tasks import resume_stalled


class Command(BaseCommand):
    help = (
        "Gives a new run to every circular being sent whose worker went silent for longer "
        "than the lease (after a crash or a restart). Safe to run from cron."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{resume_stalled()} circulars resumed")
