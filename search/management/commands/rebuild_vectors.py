"""Embed what the semantic layer lacks: the objects in the search with no vector of the
configured model (all of them after a model change), with a progress bar."""

import time

from django.core.management.base import BaseCommand, CommandError

from search import embedded, embedding


class Command(BaseCommand):
    help = (
        "Compute the sentence embeddings of searchable objects that have none for the "
        "configured model (experience, document, need, meeting, action); --all embeds "
        "every object again."
    )

    def add_arguments(self, parser):
        parser.add_argument("types", nargs="*", help=", ".join(embedded.SEMANTIC_TYPES))
        parser.add_argument("--all", action="store_true", help="embed every object again")

    def handle(self, *args, types, all, **options):  # noqa: A002 - the option's name
        unknown = [t for t in types if t not in embedded.SEMANTIC_TYPES]
        if unknown:
            raise CommandError(f"unknown type: {', '.join(unknown)}")
        try:
            model = embedding.model_label()
        except embedding.ModelUnavailable as error:
            raise CommandError(f"the model cannot be loaded: {error}") from error
        self.stdout.write(f"model: {model}")
        started = time.perf_counter()
        done = 0
        for object_type in types or embedded.SEMANTIC_TYPES:
            if all:
                from search.models import SearchEntry

                ids = list(
                    SearchEntry.objects.filter(object_type=object_type).values_list(
                        "object_id", flat=True
                    )
                )
            else:
                ids = embedded.missing_ids(object_type)
            for start in range(0, len(ids), 64):
                done += embedded.embed_objects(object_type, ids[start : start + 64], force=all)
                self.progress(object_type, min(start + 64, len(ids)), len(ids), started, done)
            self.stdout.write(f"\n{object_type}: {len(ids)} looked at")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{done} embedded in {elapsed:.1f} s ({done / elapsed if elapsed else 0:.1f} texts/s)"
        )

    def progress(self, object_type: str, count: int, total: int, started: float, done: int):
        width = 30
        filled = int(width * count / total) if total else width
        rate = done / (time.perf_counter() - started or 1)
        self.stdout.write(
            f"\r{object_type:<11} [{'#' * filled}{'.' * (width - filled)}] {count}/{total} "
            f"({rate:.1f} texts/s)",
            ending="",
        )
        self.stdout.flush()
