from django.core.management.base import BaseCommand, CommandError

from entrevilles.planner import refresh_planner_statistics
from network import services


class Command(BaseCommand):
    help = "Create or update organisations from a CSV file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file in UTF-8 with the directory's columns")

    def handle(self, *args, **options):
        try:
            with open(options["file"], "rb") as fileobj:
                result = services.import_organisations_csv(fileobj, actor=None)
        except OSError as error:
            raise CommandError(str(error)) from error
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(result.summary())
        refresh_planner_statistics()
        self.stdout.write(self.style.SUCCESS(result.summary()))
        return None
