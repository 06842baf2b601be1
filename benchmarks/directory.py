"""Directory benchmark at full scale: generation, pages, CSV import.

    .venv/bin/python benchmarks/directory.py [--organisations 250000] [--requests 50]
    benchmarks/on_postgres.sh .venv/bin/python benchmarks/directory.py   # on PostgreSQL

Builds (or reuses) the benchmark network in its own SQLite file (var/benchmark/ by
default, never the development database), or in the database of DATABASE_URL when it
names a PostgreSQL server (a throw-away cluster: see on_postgres.sh), then measures
in-process, with Django's test client and production settings (DEBUG off), the server
time of the directory pages (p50/p95 in ms) and the SQL queries each one runs; then
imports the same number of organisations from a CSV file into a fresh database. A page
or command that does not exist yet is reported as "not available". It prints figures;
it asserts nothing.
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
FULL = {"organisations": 250_000, "people": 60_000, "commissions": 30}
IMPORT_COLUMNS = [
    "ref",
    "name",
    "name_fr",
    "name_es",
    "kind",
    "country",
    "population",
    "latitude",
    "longitude",
    "working_languages",
    "membership_status",
    "website",
    "email",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=FULL["organisations"])
    parser.add_argument("--people", type=int, help="default: 24%% of the organisations")
    parser.add_argument("--commissions", type=int, default=FULL["commissions"])
    parser.add_argument("--requests", type=int, default=50, help="requests per page")
    parser.add_argument(
        "--var-dir", type=Path, help="where the benchmark database lives (default var/benchmark)"
    )
    parser.add_argument("--skip-import", action="store_true", help="do not time the CSV import")
    args = parser.parse_args()
    if args.people is None:
        args.people = round(args.organisations * FULL["people"] / FULL["organisations"])
    args.var_dir = args.var_dir or BASE_DIR / "var" / "benchmark"
    return args


def on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres:", "postgresql:"))


def production_environment(var_dir: Path) -> dict:
    """Settings as in production (DEBUG off), on a SQLite file of our own (or on the
    PostgreSQL database of DATABASE_URL)."""
    environment = dict(os.environ)
    if not on_postgres():
        environment.pop("DATABASE_URL", None)
    return {
        **environment,
        "VAR_DIR": str(var_dir),
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "benchmark-only-key-" + "x" * 40,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "entrevilles.settings",
    }


def manage(env: dict, *arguments: str) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, str(BASE_DIR / "manage.py"), *arguments],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    return time.perf_counter() - started, result


def build_database(args) -> dict:
    """Generate the benchmark network, or reuse it when the same sizes were built before."""
    args.var_dir.mkdir(parents=True, exist_ok=True)
    marker = args.var_dir / "benchmark.json"
    sizes = {
        "organisations": args.organisations,
        "people": args.people,
        "commissions": args.commissions,
    }
    if on_postgres():
        # Not the SQLite file the marker speaks of: a server of its own, built every time,
        # unless it is the cluster kept in the same folder (the load benchmark's), which
        # keeps its data from run to run on whatever port it starts.
        kept = getattr(args, "cluster_in_var_dir", False)
        sizes["database"] = "the cluster in this folder" if kept else os.environ["DATABASE_URL"]
    if marker.exists():
        recorded = json.loads(marker.read_text())
        if recorded.get("sizes") == sizes:
            print(f"Reusing the benchmark database in {args.var_dir} (delete it to rebuild).")
            return recorded
    env = production_environment(args.var_dir)
    print(f"Building the benchmark database in {args.var_dir} …")
    migrate_seconds, result = manage(env, "migrate", "--verbosity", "0")
    if result.returncode:
        sys.exit(result.stderr)
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
        [
            sys.executable,
            str(BASE_DIR / "manage.py"),
            "load_demo",
            "--organisations",
            str(args.organisations),
            "--people",
            str(args.people),
            "--commissions",
            str(args.commissions),
        ],
        env=env,
        cwd=BASE_DIR,
    )
    if process.wait():
        sys.exit("The generation failed.")
    recorded = {
        "sizes": sizes,
        "migrate_seconds": round(migrate_seconds, 1),
        "generation_seconds": round(time.perf_counter() - started, 1),
    }
    marker.write_text(json.dumps(recorded))
    return recorded


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def measure_pages(args) -> list[tuple]:
    environment = production_environment(args.var_dir)
    if "DATABASE_URL" not in environment:  # our own SQLite file, under VAR_DIR
        os.environ.pop("DATABASE_URL", None)
    os.environ.update(environment)
    # WhiteNoise warns that nothing was collected: the benchmark serves no static file.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()

    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import NoReverseMatch, reverse

    from commissions.models import Commission
    from network.models import Organisation

    # Static files are served from the finders, not a collected manifest: the pages
    # render the same, and the benchmark needs no collectstatic.
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    durban = Organisation.objects.filter(external_ref="demo:durban").first()
    planning = Commission.objects.filter(slug="strategic-urban-planning").first()
    organisations = Organisation.objects.count()
    deep_page = max(1, organisations // 20 // 2)
    largest = (
        Commission.objects.annotate(size=Count("memberships")).order_by("-size", "slug").first()
    )

    def url(name, query="", **kwargs):
        try:
            return reverse(name, kwargs=kwargs or None) + query
        except NoReverseMatch:
            return None

    pages = [
        ("directory, page 1", url("network:directory")),
        (f"directory, page {deep_page:,}", url("network:directory", f"?page={deep_page}")),
        ("filter: region", url("network:directory", "?region=africa")),
        ("filter: country", url("network:directory", "?country=FR")),
        ("filter: kind", url("network:directory", "?kind=association")),
        ("filter: size class", url("network:directory", "?size_class=intermediary")),
        (
            "filter: commission",
            url("network:directory", "?commission=strategic-urban-planning"),
        ),
        (
            f"filter: largest commission ({largest.size:,} members)" if largest else "",
            largest and url("network:directory", f"?commission={largest.slug}"),
        ),
        ("search: name", url("network:directory", "?q=san")),
        (
            "all filters + search",
            url(
                "network:directory",
                "?q=san&region=latin-america&country=MX&kind=local_government&size_class=small_town",
            ),
        ),
        ("per_page=100", url("network:directory", "?per_page=100")),
        ("organisation detail", durban and url("network:organisation", pk=durban.pk)),
        ("commission detail", planning and url("commissions:detail", slug=planning.slug)),
    ]
    from accounts.models import User
    from benchmarks.signing_in import sign_in_client

    admin = User.objects.filter(email="admin@example.org").first()
    signed_in = [
        ("directory, page 1, signed in", pages[0][1]),
        ("organisation detail, signed in", pages[-2][1]),
    ]
    rows = []
    with override_settings(STORAGES=storages):
        for label, path in pages + (signed_in if admin else []):
            client = Client()
            if label.endswith("signed in"):
                # The network administrator sees every contact: the heaviest case.
                sign_in_client(client, admin)
            if path is None:
                rows.append((label, "not available", "", "", ""))
                continue
            response = client.get(path)  # warm-up: caches, templates, SQLite pages
            if response.status_code != 200:
                rows.append((label, f"not available (HTTP {response.status_code})", "", "", ""))
                continue
            # Counted with an execute wrapper: Django resets its query log at the start
            # of each request, which would hide the request's own queries.
            queries = []

            def count(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                client.get(path)
            timings = []
            for _ in range(args.requests):
                started = time.perf_counter()
                client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
            rows.append(
                (
                    label,
                    path,
                    f"{statistics.median(timings):.1f}",
                    f"{percentile(timings, 0.95):.1f}",
                    str(len(queries)),
                )
            )
    return rows


def write_import_csv(path: Path, rows: int) -> int:
    """The benchmark organisations, in the import format, with references of their own."""
    from network.models import Organisation

    written = 0
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(IMPORT_COLUMNS)
        queryset = Organisation.objects.order_by("id").values_list(
            "id",
            "name_en",
            "name_fr",
            "name_es",
            "kind",
            "country__code",
            "population",
            "latitude",
            "longitude",
            "working_languages",
            "membership_status",
            "website",
            "email",
        )
        for row in queryset.iterator(chunk_size=10_000):
            pk, name, name_fr, name_es, kind, country, population, lat, lon, langs, *rest = row
            writer.writerow(
                [
                    f"bench-import:{pk}",
                    name,
                    name_fr or "",
                    name_es or "",
                    kind,
                    country,
                    "" if population is None else population,
                    "" if lat is None else lat,
                    "" if lon is None else lon,
                    # One code: the separator of several is the importer's business.
                    (langs or ["en"])[0],
                    *rest,
                ]
            )
            written += 1
            if written == rows:
                break
    return written


def fresh_postgres_database(url: str) -> str:
    """An empty database beside the benchmark's, on the same server; its URL."""
    import psycopg

    name = f"entrevilles_import_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        server.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name


def measure_import(args) -> list[tuple]:
    env_probe = production_environment(args.var_dir)
    start_up, probe = manage(env_probe, "help", "import_organisations")
    if probe.returncode:
        return [("CSV import", "not available", "", "", "")]
    with tempfile.TemporaryDirectory(prefix="entrevilles-import-") as folder:
        folder = Path(folder)
        csv_path = folder / "organisations.csv"
        rows = write_import_csv(csv_path, args.organisations)
        env = production_environment(folder / "var")
        (folder / "var").mkdir()
        if on_postgres():
            env["DATABASE_URL"] = fresh_postgres_database(os.environ["DATABASE_URL"])
        _migrate, result = manage(env, "migrate", "--verbosity", "0")
        if result.returncode:
            return [("CSV import", f"migrate failed: {result.stderr[-200:]}", "", "", "")]
        seconds, result = manage(env, "import_organisations", str(csv_path))
        if result.returncode:
            message = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["failed"]
            return [("CSV import", f"failed: {message[0][:120]}", "", "", "")]
        return [
            (
                f"CSV import, {rows:,} rows",
                f"{seconds:.1f} s ({seconds - start_up:.1f} s without the command's start-up)",
                "",
                "",
                "",
            )
        ]


def print_table(rows: list[tuple]) -> None:
    headers = ("measure", "what", "p50 ms", "p95 ms", "queries")
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    for row in [headers, tuple("-" * width for width in widths), *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))


def main():
    args = parse_args()
    build = build_database(args)
    rows = [
        (
            "generation",
            f"{args.organisations:,} organisations, {args.people:,} people, "
            f"{args.commissions} commissions",
            f"{build['generation_seconds']} s",
            "",
            "",
        )
    ]
    rows += measure_pages(args)
    if not args.skip_import:
        rows += measure_import(args)
    print()
    print_table(rows)


if __name__ == "__main__":
    main()
