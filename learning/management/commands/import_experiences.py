"""Import experiences from a JSON Lines file (see learning.matching.importing)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from learning.matching.importing import import_experiences


class Command(BaseCommand):
    help = (
        "Create or update experiences from a JSON Lines file, one per line: ref, language "
        "(en, fr, es), city, country (ISO alpha-2), population (optional), title, summary, "
        "sdgs and themes (optional). All or nothing; imported experiences are published."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines file, UTF-8")

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            fileobj = open(options["file"], "rb")  # noqa: SIM115 - closed below
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s")
                % {"file": options["file"], "error": error.strerror}
            ) from error
        with fileobj:
            result = import_experiences(
                fileobj, progress=lambda message: self.stderr.write(message)
            )
        for error in result.errors:
            self.stderr.write(str(error))
        if not result.ok:
            raise CommandError(result.summary())
        self.stdout.write(result.summary())
        self.stdout.write(
            _("Time: %(seconds).1f s. The search re-indexes them in the background worker.")
            % {"seconds": time.perf_counter() - started}
        )
