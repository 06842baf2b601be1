"""Benchmark of the learning needs and agenda pages at the scale of DESIGN.md.

Run it on a database of its own, never on real data:

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python manage.py benchmark_agenda

It tops the database up to the sizes asked for (organisations from GeoNames cities
through demo.synthetic.network; learning needs and experiences marked "bench:"), then prints
server time p50/p95 and SQL queries for the needs list, a need's page, the agenda page
and its CSV export, as an anonymous visitor, a city officer and a secretariat.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, models, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, RoleAssignment, User
from benchmarks.signing_in import sign_in_client
from commissions.models import Commission
from demo.synthetic.network import generate_organisations
from entrevilles.planner import refresh_planner_statistics
from learning.models import LearningNeed, NeedStatusChange
from learning.models.needs import copy_city_place
from library.models import Experience, Theme
from library.reference import load_reference_data
from network.models import Organisation

STATUSES = ["open"] * 55 + ["matched"] * 15 + ["in_partnership"] * 10 + ["met"] * 10
STATUSES += ["withdrawn"] * 10
WORDS = [
    "planning",
    "growth",
    "informal",
    "settlements",
    "water",
    "waste",
    "mobility",
    "data",
    "budget",
    "housing",
    "heritage",
    "climate",
    "flood",
    "coast",
    "land",
    "revenue",
    "participation",
    "youth",
    "markets",
    "transport",
]


def _insert(model: type[models.Model], rows: list[dict]) -> None:
    """Insert plain rows in one executemany (bulk_create prepares every translated field in
    Python, minutes at this scale); the database still checks every constraint."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    # Identifiers come from the model, quoted by the backend; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    values = []
    for row in rows:
        line = []
        for field in fields:
            value = row.get(field.attname, field.get_default())
            if isinstance(field, models.JSONField):
                value = field.get_db_prep_save(value, connection)
            elif isinstance(field, models.DateTimeField) and value is not None:
                value = connection.ops.adapt_datetimefield_value(value)
            line.append(value)
        values.append(tuple(line))
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _moment(rng: random.Random) -> datetime.datetime:
    start = datetime.datetime(2013, 1, 1, tzinfo=datetime.UTC)
    return start + datetime.timedelta(seconds=rng.randint(0, 13 * 365 * 86400))


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


class Command(BaseCommand):
    help = "Builds the learning needs/agenda data set if needed and times the pages."

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=250_000)
        parser.add_argument("--needs", type=int, default=50_000)
        parser.add_argument("--experiences", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=20)

    def handle(self, *args, organisations, needs, experiences, repeat, **options):
        started = time.perf_counter()
        load_reference_data()
        generate_organisations(organisations, stdout=self.stdout)
        self._build(needs, experiences)
        refresh_planner_statistics()
        self.stdout.write(f"data set ready in {time.perf_counter() - started:.1f} s")
        self.stdout.write(
            f"{Organisation.objects.count():,} organisations, "
            f"{LearningNeed.objects.count():,} needs, {Experience.objects.count():,} experiences"
        )
        self._measure(repeat)

    # --- data -----------------------------------------------------------------------

    def _build(self, n_needs: int, n_experiences: int) -> None:
        rng = random.Random(42)
        cities = list(
            Organisation.objects.governments().order_by("pk").values_list("pk", flat=True)
        )
        themes = list(Theme.objects.values_list("pk", flat=True))
        existing = LearningNeed.objects.filter(title_en__startswith="bench:").count()
        if existing < n_needs:
            self._add_needs(rng, cities, themes, existing, n_needs)
        existing = Experience.objects.filter(external_ref__startswith="bench:").count()
        if existing < n_experiences:
            self._add_experiences(rng, cities, themes, existing, n_experiences)
        commission, _ = Commission.objects.get_or_create(
            slug="bench-agenda", defaults={"name_en": "Bench agenda commission"}
        )
        self.secretariat, _ = User.objects.get_or_create(email="bench-agenda-sec@example.org")
        RoleAssignment.objects.get_or_create(
            user=self.secretariat, role=Role.SECRETARIAT, commission=commission
        )
        self.officer, _ = User.objects.get_or_create(email="bench-agenda-officer@example.org")
        busiest = (
            LearningNeed.objects.values("city_id")
            .annotate(n=models.Count("id"))
            .order_by("-n")
            .values_list("city_id", flat=True)[0]
        )
        RoleAssignment.objects.get_or_create(
            user=self.officer, role=Role.REPRESENTATIVE, organisation_id=busiest
        )
        self.need_ids = list(
            LearningNeed.objects.published()
            .order_by("?")
            .values_list("pk", flat=True)[: repeat_max()]
        )
        self.theme_key = Theme.objects.order_by("position").values_list("key", flat=True)[0]

    def _progress(self, label: str, done: int, total: int) -> None:
        self.stdout.write(f"\r{label}: {done:,}/{total:,}", ending="")
        if done >= total:
            self.stdout.write("")

    def _add_needs(self, rng, cities, themes, existing, total):
        through = LearningNeed.themes.through
        batch = 5000
        for start in range(existing, total, batch):
            end = min(total, start + batch)
            rows = []
            for i in range(start, end):
                language = rng.choice(["en", "fr", "es"])
                created = _moment(rng)
                rows.append(
                    {
                        "city_id": rng.choice(cities),
                        f"title_{language}": f"bench: {_text(rng, 6)} {i}",
                        "title_en": f"bench: {_text(rng, 6)} {i}",
                        f"problem_{language}": _text(rng, 60),
                        "original_language": language,
                        "learning_modes": rng.sample(["study_visit", "mentoring", "webinar"], 2),
                        "working_languages": [language],
                        "urgency": rng.choice(["low", "medium", "high"]),
                        "status": rng.choice(STATUSES),
                        "visibility": "private" if rng.random() < 0.15 else "published",
                        "created_at": created,
                        "updated_at": created,
                    }
                )
            with transaction.atomic():
                _insert(LearningNeed, rows)
                new = list(
                    LearningNeed.objects.filter(title_en__startswith="bench:")
                    .order_by("-pk")
                    .values_list("pk", "status", "created_at")[: end - start]
                )
                through.objects.bulk_create(
                    [
                        through(learningneed_id=pk, theme_id=theme)
                        for pk, _status, _created in new
                        for theme in rng.sample(themes, rng.choice([1, 2, 2, 3]))
                    ],
                    batch_size=5000,
                )
                _insert(
                    NeedStatusChange,
                    [
                        {
                            "need_id": pk,
                            "old_status": "",
                            "new_status": status,
                            "changed_at": created,
                        }
                        for pk, status, created in new
                    ],
                )
            self._progress("learning needs", end, total)
        copy_city_place()

    def _add_experiences(self, rng, cities, themes, existing, total):
        through = Experience.themes.through
        batch = 5000
        for start in range(existing, total, batch):
            end = min(total, start + batch)
            rows = []
            for i in range(start, end):
                language = rng.choice(["en", "fr", "es"])
                published = _moment(rng)
                rows.append(
                    {
                        "city_id": rng.choice(cities),
                        "title_en": f"bench experience {_text(rng, 5)}",
                        f"title_{language}": f"bench experience {_text(rng, 5)}",
                        f"summary_{language}": _text(rng, 40),
                        "original_language": language,
                        "offers_peer_learning": rng.random() < 0.4,
                        "status": "published",
                        "external_ref": f"bench:experience:{i}",
                        "published_at": published,
                        "created_at": published,
                        "updated_at": published,
                    }
                )
            with transaction.atomic():
                _insert(Experience, rows)
                new = Experience.objects.filter(
                    external_ref__in=[row["external_ref"] for row in rows]
                ).values_list("pk", flat=True)
                through.objects.bulk_create(
                    [
                        through(experience_id=pk, theme_id=theme)
                        for pk in new
                        for theme in rng.sample(themes, rng.choice([1, 2, 3]))
                    ],
                    batch_size=5000,
                )
            self._progress("experiences", end, total)

    # --- measures -------------------------------------------------------------------

    def _time(self, client, label, urls, repeat):
        timings, cpu_timings, queries = [], [], 0
        for n in range(repeat):
            url = urls[n % len(urls)]
            with CaptureQueriesContext(connection) as captured:
                begin, cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                timings.append((time.perf_counter() - begin) * 1000)
                cpu_timings.append((time.process_time() - cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries = max(queries, len(captured))
        timings.sort()
        cpu_timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        cpu_p95 = cpu_timings[max(0, int(len(cpu_timings) * 0.95) - 1)]
        self.stdout.write(
            f"{label:<40} p50 {statistics.median(timings):7.1f} ms  p95 {p95:7.1f} ms  "
            f"(CPU p50 {statistics.median(cpu_timings):6.1f}, p95 {cpu_p95:6.1f})  "
            f"{queries:3d} queries"
        )

    @override_settings(ALLOWED_HOSTS=["*"], DEBUG=False)
    def _measure(self, repeat):
        anonymous = Client()
        officer = Client()
        sign_in_client(officer, self.officer)
        secretariat = Client()
        sign_in_client(secretariat, self.secretariat)
        needs = [f"/learning/needs/{pk}/" for pk in self.need_ids]
        theme = self.theme_key
        rows = [
            (anonymous, "needs list (anonymous)", ["/learning/needs/"]),
            (anonymous, "needs list, page 200", ["/learning/needs/?page=200"]),
            (anonymous, "needs list by theme", [f"/learning/needs/?theme={theme}"]),
            (anonymous, "needs list by region and size", ["/learning/needs/?region=africa&size_class=intermediary"]),
            (anonymous, "needs list by status and language", ["/learning/needs/?status=matched&language=fr"]),
            (anonymous, "needs list, words", ["/learning/needs/?q=flood"]),
            (officer, "needs list (officer)", ["/learning/needs/"]),
            (officer, "my city's needs (officer)", ["/learning/needs/?mine=on"]),
            (secretariat, "needs list (secretariat)", ["/learning/needs/"]),
            (anonymous, "need page (anonymous)", needs),
            (secretariat, "need page (secretariat)", needs),
            (anonymous, "agenda (anonymous)", ["/learning/agenda/"]),
            (secretariat, "agenda (secretariat, private needs too)", ["/learning/agenda/"]),
            (anonymous, "agenda by quarter, one region", ["/learning/agenda/?period=quarter&region=africa"]),
            (anonymous, "agenda CSV, themes", ["/learning/agenda/export.csv?table=themes"]),
            (anonymous, "agenda CSV, gaps", ["/learning/agenda/export.csv?table=gaps"]),
            (anonymous, "API agenda figures", ["/api/learning-agenda/"]),
            (anonymous, "API needs list", ["/api/learning-needs/"]),
        ]  # fmt: skip
        for client, label, urls in rows:
            self._time(client, label, urls, repeat)


def repeat_max() -> int:
    return 50
