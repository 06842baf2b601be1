from django.core.management.base import BaseCommand

from demo.world import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Prints the demo's logins and their shared password (run_platform shows them at start)."

    def handle(self, *args, **options):
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email_address, role in DEMO_LOGINS:
            self.stdout.write(f"  {email_address:<42} {role}")
