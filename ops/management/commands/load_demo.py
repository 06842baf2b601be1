from django.core.management.base import BaseCommand

from ops import demo


class Command(BaseCommand):
    help = "Loads the demo network (idempotent)."

    def handle(self, *args, **options):
        demo.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
