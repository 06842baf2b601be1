from django.core.management.base import BaseCommand, CommandError

from circulars import delivery
from circulars.models import Circular


class Command(BaseCommand):
    help = (
        "Sends what is due of a circular being sent, in the foreground (what the worker's "
        "task does); safe to run beside workers or again after a crash."
    )

    def add_arguments(self, parser):
        parser.add_argument("circular", type=int)

    def handle(self, *args, circular, **options):
        if not Circular.objects.filter(pk=circular).exists():
            raise CommandError(f"No circular {circular}.")
        next_due = delivery.run(circular)
        counts = delivery.progress(circular)
        self.stdout.write(
            f"circular {circular}: {counts['sent']} sent, {counts['failed']} failed, "
            f"{counts['unconfirmed']} unconfirmed, {counts['queued']} queued"
            + (f" (next retry {next_due:%Y-%m-%d %H:%M})" if next_due else "")
        )
