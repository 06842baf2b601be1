from pathlib import Path

from django.core.management.base import BaseCommand

from ops.backup import create_backup


class Command(BaseCommand):
    help = (
        "Writes a backup of the whole installation (every database row and every uploaded "
        "file) to one .tar.gz file; `manage.py restore FILE` puts it back, on SQLite or "
        "PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup to write, e.g. backups/2026-03-02.tar.gz")

    def handle(self, *args, file, **options):
        manifest = create_backup(Path(file), progress=self.stderr.write)
        self.stdout.write(
            self.style.SUCCESS(f"Backup written to {file} ({manifest['database']} database).")
        )
