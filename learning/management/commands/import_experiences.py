"""Import experiences from a JSON Lines file (see learning.matching.importing)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from entrevilles.planner import refresh_planner_statistics
from learning.matching.importing import import_experiences


class Command(BaseCommand):
    help = (
        "Create or update experiences from a JSON Lines file, one per line: ref, language "
        "(en, fr, es), city, country (ISO alpha-2), population (optional), title, summary, "
        "sdgs and themes (optional). All or nothing; imported experiences are published."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines file, UTF-8")
        parser.add_argument(
            "--background",
            action="store_true",
            help="leave the search entries and sentence embeddings to the background worker",
        )

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
        if options["background"]:
            self.stdout.write(
                _("Time: %(seconds).1f s. The search re-indexes them in the background worker.")
                % {"seconds": time.perf_counter() - started}
            )
            return
        self.index_now(result.experience_ids)
        refresh_planner_statistics()
        self.stdout.write(
            _("Time: %(seconds).1f s, search entries and meanings included.")
            % {"seconds": time.perf_counter() - started}
        )

    def index_now(self, ids: list[int]) -> None:
        """Search entries and sentence embeddings of the imported experiences, here rather
        than in the worker: whoever imports from the command line matches right after."""
        from search import embedded, embedding
        from search import services as search_services

        for start in range(0, len(ids), search_services.BATCH_SIZE):
            search_services.index_objects(
                "experience", ids[start : start + search_services.BATCH_SIZE]
            )
        try:
            embedding.current_model()
        except embedding.ModelUnavailable as error:
            self.stderr.write(
                _(
                    "The meaning of the texts was not computed (%(error)s): matching uses words only."
                )
                % {"error": error}
            )
            return
        done = 0
        for start in range(0, len(ids), 64):
            done += embedded.embed_objects("experience", ids[start : start + 64])
            self.stderr.write(
                _("Meanings: %(done)s of %(total)s")
                % {"done": min(start + 64, len(ids)), "total": len(ids)},
                ending="\r",
            )
        self.stderr.write("")
