"""Benchmark of the learning dashboards and the world map at the scale of DESIGN.md.

Run it on a database of its own, never on real data:

    DATABASE_URL=sqlite:///var/bench-learning.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:///var/bench-learning.sqlite3 \\
        .venv/bin/python manage.py benchmark_learning_dashboard

It tops the directory up to --organisations with the synthetic network (GeoNames cities),
adds only what is missing (partnerships of two or three parties with their plan of
activities and their monitoring reports, self-assessment scores and indicator values;
learning groups with members and conclusions; marked "bench:"), so a second run reuses the
data set as it is. Then it prints, for each page, elapsed and CPU time p50/p95 (CPU time is
what counts on a shared machine: SQLite runs in the process), SQL queries and size (and
what is sent to a browser accepting gzip). It prints figures; it asserts nothing.
"""

import datetime
import random
import statistics
import time
from decimal import Decimal

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, RoleAssignment, User
from benchmarks.signing_in import sign_in_client
from commissions.models import Commission
from demo.learning.partnerships import _criteria
from demo.synthetic.network import generate_organisations
from entrevilles.planner import refresh_planner_statistics
from learning.dashboards.worldmap import density
from learning.models import (
    Activity,
    ActivityKind,
    AssessmentScore,
    GroupConclusion,
    GroupMembership,
    IndicatorValue,
    LearningGroup,
    MonitoringReport,
    Partnership,
    PartnershipParty,
    PartnershipStatus,
    PartyResponse,
    PartyRole,
)
from library.models import Theme
from network.models import Organisation


class Command(BaseCommand):
    help = "Builds the learning benchmark data set if needed and times the dashboards and map."

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=250_000)
        parser.add_argument("--partnerships", type=int, default=10_000)
        parser.add_argument("--groups", type=int, default=30)
        parser.add_argument("--repeat", type=int, default=20)

    def handle(self, *args, organisations, partnerships, groups, repeat, **options):
        random.seed(42)
        started = time.perf_counter()
        generate_organisations(organisations, stdout=self.stdout)
        self._build(partnerships, groups)
        refresh_planner_statistics()
        self.stdout.write(f"data set ready in {time.perf_counter() - started:.1f} s")
        self._measure(repeat)

    # --- data -----------------------------------------------------------------------

    @transaction.atomic
    def _build(self, n_partnerships, n_groups):
        commissions = list(Commission.objects.order_by("pk")[:30])
        if not commissions:
            commissions = [
                Commission.objects.create(slug=f"bench-{n}", name=f"Bench commission {n}")
                for n in range(5)
            ]
        self.commission = commissions[0]
        themes = list(Theme.objects.all())
        user, _ = User.objects.get_or_create(email="bench-learning@example.org")
        RoleAssignment.objects.get_or_create(user=user, role=Role.NETWORK_ADMIN)
        self.user = user
        existing = Partnership.objects.filter(title_en__startswith="bench:").count()
        missing = n_partnerships - existing
        groups_missing = LearningGroup.objects.filter(slug__startswith="bench-").count() < n_groups
        cities = []
        if missing > 0 or groups_missing:
            cities = list(
                Organisation.objects.filter(latitude__isnull=False)
                .order_by("?")
                .values_list("pk", flat=True)[: max(2000, n_partnerships)]
            )
        if missing > 0:
            self.stdout.write(f"partnerships: adding {missing:,}")
            statuses = PartnershipStatus.values
            new = [
                Partnership(
                    title=f"bench: partnership {existing + n}",
                    title_en=f"bench: partnership {existing + n}",
                    status=random.choice(statuses),
                    facilitating_commission=random.choice(commissions),
                )
                for n in range(missing)
            ]
            Partnership.objects.bulk_create(new, batch_size=2000)
            created = list(
                Partnership.objects.filter(title_en__startswith="bench:")
                .order_by("-pk")
                .values_list("pk", flat=True)[:missing]
            )
            parties, links = [], []
            for pk in created:
                chosen = random.sample(cities, random.choice((2, 2, 3)))
                for index, org in enumerate(chosen):
                    parties.append(
                        PartnershipParty(
                            partnership_id=pk,
                            organisation_id=org,
                            role=PartyRole.MENTOR if index == 0 else PartyRole.LEARNER,
                            response=PartyResponse.ACCEPTED,
                        )
                    )
                for theme in random.sample(themes, min(len(themes), random.randint(0, 2))):
                    links.append(Partnership.themes.through(partnership_id=pk, theme_id=theme.pk))
            PartnershipParty.objects.bulk_create(parties, batch_size=5000)
            Partnership.themes.through.objects.bulk_create(links, batch_size=5000)
        self._plans_and_reports()
        for n in range(LearningGroup.objects.filter(slug__startswith="bench-").count(), n_groups):
            group = LearningGroup.objects.create(
                slug=f"bench-{n}",
                name=f"Bench group {n}",
                name_en=f"Bench group {n}",
                facilitating_commission=random.choice(commissions),
            )
            GroupMembership.objects.bulk_create(
                [
                    GroupMembership(group=group, organisation_id=org)
                    for org in random.sample(cities, 12)
                ]
            )
            GroupConclusion.objects.bulk_create(
                [
                    GroupConclusion(
                        group=group,
                        number=number,
                        concluded_on="2014-01-01",
                        text=f"Conclusion {number}",
                        text_en=f"Conclusion {number}",
                    )
                    for number in range(1, 6)
                ]
            )
        self.stdout.write(
            f"{Organisation.objects.count():,} organisations, "
            f"{Partnership.objects.count():,} partnerships, "
            f"{PartnershipParty.objects.count():,} parties, "
            f"{Activity.objects.count():,} activities, "
            f"{MonitoringReport.objects.count():,} reports, "
            f"{LearningGroup.objects.count():,} learning groups"
        )

    def _plans_and_reports(self):
        """Dates, activities and monitoring reports of the bench partnerships lacking them."""
        bench = Partnership.objects.filter(title_en__startswith="bench:")
        bare = list(
            bench.exclude(status=PartnershipStatus.PROPOSED)
            .filter(starts_on__isnull=True)
            .values_list("pk", "status")
        )
        if not bare:
            return
        self.stdout.write(f"plans and reports: adding to {len(bare):,} partnerships")
        criteria, indicators = _criteria()
        parties = {}
        for partnership_id, organisation_id in PartnershipParty.objects.filter(
            partnership_id__in=[pk for pk, _status in bare]
        ).values_list("partnership_id", "organisation_id"):
            parties.setdefault(partnership_id, []).append(organisation_id)
        today = datetime.date.today()
        kinds = ActivityKind.values
        activities, reports, dates = [], [], {}
        for pk, status in bare:
            starts = today - datetime.timedelta(days=random.randint(30, 1400))
            ends = starts + datetime.timedelta(days=random.choice((365, 540, 730)))
            quarters = 0
            if status in (PartnershipStatus.ACTIVE, PartnershipStatus.COMPLETED):
                elapsed = (min(today, ends) - starts).days // 91
                quarters = (
                    elapsed
                    if status == PartnershipStatus.COMPLETED
                    else random.randint(max(0, elapsed - 2), elapsed)
                )
            due = None
            if status == PartnershipStatus.ACTIVE:
                due = starts + datetime.timedelta(days=91 * (quarters + 1) - 1)
            dates[pk] = (starts, ends, due)
            for n in range(random.randint(2, 5)):
                day = starts + datetime.timedelta(days=random.randint(0, (ends - starts).days))
                activities.append(
                    Activity(
                        partnership_id=pk,
                        kind=random.choice(kinds),
                        title=f"bench: activity {n}",
                        title_en=f"bench: activity {n}",
                        starts_on=day,
                        ends_on=day + datetime.timedelta(days=random.randint(0, 3)),
                        place="",
                        outcome="",
                    )
                )
            for quarter in range(quarters):
                period_start = starts + datetime.timedelta(days=91 * quarter)
                reports.append(
                    MonitoringReport(
                        partnership_id=pk,
                        organisation_id=random.choice(parties[pk]),
                        period_start=period_start,
                        period_end=period_start + datetime.timedelta(days=90),
                        progress="bench: progress",
                    )
                )
        for partnership in (partnerships := list(bench.filter(pk__in=dates))):
            partnership.starts_on, partnership.ends_on, partnership.next_report_due_on = dates[
                partnership.pk
            ]
        Partnership.objects.bulk_update(
            partnerships, ["starts_on", "ends_on", "next_report_due_on"], batch_size=2000
        )
        Activity.objects.bulk_create(activities, batch_size=5000)
        MonitoringReport.objects.bulk_create(reports, batch_size=5000)
        report_ids = list(
            MonitoringReport.objects.filter(
                partnership_id__in=list(dates), progress="bench: progress"
            ).values_list("pk", flat=True)
        )
        scores, values = [], []
        for report_id in report_ids:
            scores += [
                AssessmentScore(report_id=report_id, criterion=c, score=random.randint(1, 5))
                for c in criteria
            ]
            values += [
                IndicatorValue(
                    report_id=report_id, indicator=i, value=Decimal(random.randint(0, 40))
                )
                for i in indicators
            ]
        AssessmentScore.objects.bulk_create(scores, batch_size=5000)
        IndicatorValue.objects.bulk_create(values, batch_size=5000)

    # --- measures -------------------------------------------------------------------

    def _time(self, client, url, repeat):
        client.get(url)  # warm: templates compiled, caches filled
        plain_size = len(client.get(url).content)
        timings, cpu = [], []
        for _ in range(repeat):
            begin, begin_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
            timings.append((time.perf_counter() - begin) * 1000)
            cpu.append((time.process_time() - begin_cpu) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")

        def p95(values):
            values = sorted(values)
            return values[max(0, int(len(values) * 0.95) - 1)]

        self.stdout.write(
            f"{url:<48} {response.status_code}"
            f"  p50 {statistics.median(timings):6.1f} p95 {p95(timings):6.1f} ms"
            f"  cpu p50 {statistics.median(cpu):6.1f} p95 {p95(cpu):6.1f} ms"
            f"  {len(queries):3d} queries  {plain_size / 1024:6.1f} KB"
            f" ({len(response.content) / 1024:.1f} KB gz)"
        )

    @override_settings(ALLOWED_HOSTS=["*"], DEBUG=False)
    def _measure(self, repeat):
        cache.delete("learning:map-density")
        begin = time.perf_counter()
        cells = density()
        self.stdout.write(
            f"density layer of the map (cached 6 h): {len(cells):,} cells in "
            f"{(time.perf_counter() - begin) * 1000:.0f} ms"
        )
        anonymous = Client()
        admin = Client()
        sign_in_client(admin, self.user)
        slug = self.commission.slug
        self._time(admin, "/learning/dashboard/", repeat)
        self._time(admin, f"/learning/dashboard/{slug}/", repeat)
        self._time(anonymous, "/learning/dashboard/partnerships/?status=active", repeat)
        self._time(anonymous, "/learning/map/", repeat)
        self._time(anonymous, "/learning/map/?status=active", repeat)
        self._time(anonymous, f"/learning/map/?commission={slug}", repeat)
        self._time(anonymous, "/learning/map/data.geojson", repeat)
        self._time(anonymous, "/learning/map/world.svg", repeat)
        self._time(admin, "/api/learning-dashboard/", repeat)
        self._time(anonymous, "/api/learning-map/?status=completed", repeat)
        self._time(anonymous, "/learning/groups/", repeat)
        self._time(anonymous, "/learning/groups/bench-0/", repeat)
