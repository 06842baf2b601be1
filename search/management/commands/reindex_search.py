"""Rebuild the search index, for one type of object or all of them."""

from django.core.management.base import BaseCommand

from search import registry, services


class Command(BaseCommand):
    help = "Re-index published objects for search (all types, or those named)."

    def add_arguments(self, parser):
        parser.add_argument(
            "types",
            nargs="*",
            help="experience, document, organisation, commission, meeting, action, need",
        )

    def handle(self, *args, types, **options):
        for object_type in types or registry.object_types():
            if object_type not in registry.object_types():
                self.stderr.write(f"unknown type: {object_type}")
                continue

            def progress(count, object_type=object_type):
                self.stdout.write(f"  {object_type}: {count}", ending="\r")

            count = services.rebuild(object_type, progress=progress)
            self.stdout.write(f"{object_type}: {count} indexed")
