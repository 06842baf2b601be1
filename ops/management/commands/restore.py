from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Replaces every database row and every uploaded file by those of a backup made "
        "with `manage.py backup`, then rebuilds the search index and the other derived "
        "data. Stop the web processes and the workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a backup written by manage.py backup")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, file, interactive, **options):
        try:
            manifest = read_manifest(Path(file))
        except BackupError as error:
            raise CommandError(str(error)) from error
        if interactive:
            answer = input(
                f"This replaces ALL data and uploaded files by the backup of "
                f"{manifest['created_at']}. Type 'yes' to go on: "
            )
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled: nothing was changed.")
        try:
            restore_backup(Path(file), progress=self.stderr.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored the backup of {manifest['created_at']}."))
