from django.core.management.base import BaseCommand

from privacy import retention


class Command(BaseCommand):
    help = "Remove the records kept past their retention period (settings.RETENTION_DAYS)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, remove nothing.")

    def handle(self, *args, dry_run=False, **options):
        removed = retention.purge(dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        for name, count in removed.items():
            self.stdout.write(f"{name}: {verb} {count}")
