"""Prints how far the code is from its layering: crossings, module cycles, long modules."""

from django.core.management.base import BaseCommand

from ops import architecture


class Command(BaseCommand):
    help = "Measures the layering of the apps (see ARCHITECTURE.md)."

    def handle(self, *args, **options):
        report = architecture.measure()
        crossings = report.crossings
        self.stdout.write(f"imports across the layers: {len(crossings)} app pairs")
        for (source, target), files in sorted(crossings.items()):
            reason = architecture.KNOWN_CROSSINGS.get((source, target), "NEW, unexplained")
            self.stdout.write(f"  {source} -> {target} ({len(files)} modules): {reason}")
        self.stdout.write(f"import cycles between modules: {len(report.cycles)}")
        for cycle in report.cycles:
            self.stdout.write("  " + " <-> ".join(cycle))
        self.stdout.write(f"modules over 600 lines: {len(report.long_modules)}")
        for path, count in report.long_modules:
            self.stdout.write(f"  {path}: {count}")
        self.stdout.write("lines per app (tests and migrations left out):")
        for app, count in report.lines_per_app.items():
            self.stdout.write(f"  {app}: {count}")
