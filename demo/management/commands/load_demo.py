import time

from django.core.management.base import BaseCommand, CommandError

from demo import world
from entrevilles.planner import refresh_planner_statistics

# The benchmark network of DESIGN.md.
FULL_SCALE = {"organisations": 250_000, "people": 60_000, "commissions": 30}


class Command(BaseCommand):
    help = (
        "Loads the demo network (idempotent). With --scale full, or any of the size "
        "options, then tops it up to the benchmark network built from GeoNames cities."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load nothing when the database already holds accounts or organisations "
            "(what bin/start does on every start).",
        )
        parser.add_argument(
            "--scale",
            choices=["demo", "full"],
            default="demo",
            help="demo: the seed's world only; full: 250,000 organisations, 60,000 people, "
            "30 commissions on top of it.",
        )
        for name, default in FULL_SCALE.items():
            parser.add_argument(
                f"--{name}",
                type=int,
                help=f"Total number of {name} wanted (full scale: {default:,}).",
            )

    def handle(self, *args, scale, if_empty, **options):
        sizes = {name: options[name] for name in FULL_SCALE}
        if any(value is not None and value < 0 for value in sizes.values()):
            raise CommandError("Sizes must be positive numbers.")
        if if_empty and not world.database_is_empty():
            self.stdout.write("The database is in use: the demo data are not loaded.")
            return
        world.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if scale == "demo" and all(value is None for value in sizes.values()):
            return
        if scale == "full":
            sizes = {name: sizes[name] or FULL_SCALE[name] for name in FULL_SCALE}

        # Imported here: the generators load the GeoNames package only when asked.
        from demo.synthetic.commissions import generate_commissions
        from demo.synthetic.network import generate_organisations, generate_people

        started = time.monotonic()
        if sizes["organisations"] is not None:
            generate_organisations(sizes["organisations"], stdout=self.stdout)
        if sizes["people"] is not None:
            generate_people(sizes["people"], stdout=self.stdout)
        if sizes["commissions"] is not None:
            generate_commissions(sizes["commissions"], stdout=self.stdout)
        refresh_planner_statistics()
        self.stdout.write(
            self.style.SUCCESS(f"Benchmark data generated in {time.monotonic() - started:.0f} s.")
        )
