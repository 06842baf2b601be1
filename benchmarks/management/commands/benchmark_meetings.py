"""Benchmark of the meetings and action plan pages at the scale of DESIGN.md.

Run it on a database of its own, never on real data:

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python manage.py benchmark_meetings

It adds what is missing (synthetic people, meetings, participations, actions; marked
"bench:"), then prints server time p50/p95 and SQL queries per page, and the time of
the day's recording of the actions falling due (their mailing is measured by
benchmark_notifications).
"""

import random
import statistics
import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from actions.models import Action, ActionStatus, Workstream
from actions.notifying import record_due_actions
from benchmarks.signing_in import sign_in_client
from commissions.models import Commission
from entrevilles.planner import refresh_planner_statistics
from meetings.models import Meeting, Participation, ParticipationStatus
from network.models import Country, Organisation, OrganisationKind, Person, Region


class Command(BaseCommand):
    help = "Builds the meetings/actions benchmark data set if needed and times the pages."

    def add_arguments(self, parser):
        parser.add_argument("--meetings", type=int, default=5000)
        parser.add_argument("--participations", type=int, default=150_000)
        parser.add_argument("--actions", type=int, default=40_000)
        parser.add_argument("--repeat", type=int, default=30)

    def handle(self, *args, meetings, participations, actions, repeat, **options):
        random.seed(42)
        started = time.perf_counter()
        self._build(meetings, participations, actions)
        refresh_planner_statistics()
        self.stdout.write(f"data set ready in {time.perf_counter() - started:.1f} s")
        self._measure(repeat)

    # --- data -----------------------------------------------------------------------

    def _progress(self, label, done, total):
        self.stdout.write(f"\r{label}: {done:,}/{total:,}", ending="")
        if done >= total:
            self.stdout.write("")

    @transaction.atomic
    def _build(self, n_meetings, n_participations, n_actions):
        region, _ = Region.objects.get_or_create(code="bench", defaults={"name": "Bench region"})
        country, _ = Country.objects.get_or_create(
            code="ZZ", defaults={"alpha3": "ZZZ", "name": "Benchland", "region": region}
        )
        orgs = list(Organisation.objects.filter(external_ref__startswith="bench:"))
        if len(orgs) < 5000:
            new = []
            for i in range(len(orgs), 5000):
                org = Organisation(
                    name=f"Bench city {i}",
                    kind=random.choice(OrganisationKind.values),
                    country=country,
                    population=random.randint(10_000, 5_000_000),
                    external_ref=f"bench:{i}",
                )
                org.refresh_derived_fields()
                new.append(org)
            Organisation.objects.bulk_create(new, batch_size=2000)
            orgs = list(Organisation.objects.filter(external_ref__startswith="bench:"))
        people = list(
            Person.objects.filter(email__endswith="@bench.example.org").only(
                "pk", "organisation_id"
            )
        )
        if len(people) < 60_000:
            Person.objects.bulk_create(
                [
                    Person(
                        first_name="Bench",
                        last_name=f"Person {i}",
                        organisation=orgs[i % len(orgs)],
                        email=f"p{i}@bench.example.org",
                        preferred_language=random.choice(["en", "fr", "es"]),
                        contact_visibility=random.choice(["public", "members", "private"]),
                    )
                    for i in range(len(people), 60_000)
                ],
                batch_size=2000,
            )
            people = list(
                Person.objects.filter(email__endswith="@bench.example.org").only(
                    "pk", "organisation_id"
                )
            )
            self._progress("people", len(people), 60_000)
        commissions = list(Commission.objects.filter(slug__startswith="bench-"))
        if len(commissions) < 30:
            Commission.objects.bulk_create(
                [
                    Commission(slug=f"bench-{i}", name=f"Bench commission {i}")
                    for i in range(len(commissions), 30)
                ]
            )
            commissions = list(Commission.objects.filter(slug__startswith="bench-"))
        existing = Meeting.objects.filter(venue="bench").count()
        if existing < n_meetings:
            now = timezone.now()
            new = []
            for i in range(existing, n_meetings):
                start = now + timedelta(
                    days=random.randint(-3650, 365), hours=random.randint(0, 23)
                )
                new.append(
                    Meeting(
                        title_en=f"Bench meeting {i}",
                        title=f"Bench meeting {i}",
                        venue="bench",
                        host=random.choice(orgs),
                        starts_at=start,
                        ends_at=start + timedelta(hours=8),
                        time_zone="Africa/Casablanca",
                        status="held" if start < now else "planned",
                    )
                )
            created = Meeting.objects.bulk_create(new, batch_size=2000)
            through = Meeting.commissions.through
            through.objects.bulk_create(
                [
                    through(meeting_id=m.pk, commission_id=c.pk)
                    for m in created
                    for c in random.sample(commissions, random.choice([1, 1, 2]))
                ],
                batch_size=5000,
            )
            self._progress("meetings", n_meetings, n_meetings)
        bench_meetings = list(Meeting.objects.filter(venue="bench").values_list("pk", flat=True))
        have = Participation.objects.filter(meeting__venue="bench").count()
        if have < n_participations:
            # The first meeting gets 200 participants: the page the issue measures.
            rows = []
            seen = set(
                Participation.objects.filter(meeting__venue="bench").values_list(
                    "meeting_id", "person_id"
                )
            )
            big = bench_meetings[0]
            candidates = iter(random.sample(people, 200))
            while len(seen) < n_participations:
                if len(seen) < 200 and big:
                    meeting_id, person = big, next(candidates)
                else:
                    meeting_id, person = random.choice(bench_meetings), random.choice(people)
                if (meeting_id, person.pk) in seen:
                    continue
                seen.add((meeting_id, person.pk))
                rows.append(
                    Participation(
                        meeting_id=meeting_id,
                        person_id=person.pk,
                        organisation_id=person.organisation_id,
                        status=random.choice(
                            [ParticipationStatus.ATTENDED, ParticipationStatus.REGISTERED]
                        ),
                    )
                )
                if len(rows) == 5000:
                    Participation.objects.bulk_create(rows)
                    rows = []
                    self._progress("participations", len(seen), n_participations)
            Participation.objects.bulk_create(rows)
            self._progress("participations", n_participations, n_participations)
        workstreams = list(Workstream.objects.filter(title_en__startswith="Bench"))
        if not workstreams:
            for i in range(60):
                ws = Workstream.objects.create(
                    title_en=f"Bench workstream {i}", title=f"Bench workstream {i}"
                )
                ws.commissions.set([commissions[i % 30]])
                workstreams.append(ws)
        have = Action.objects.filter(title_en__startswith="Bench").count()
        if have < n_actions:
            today = timezone.localdate()
            created = Action.objects.bulk_create(
                [
                    Action(
                        title_en=f"Bench action {i}",
                        title=f"Bench action {i}",
                        workstream=random.choice(workstreams),
                        due_date=today + timedelta(days=random.randint(-400, 400)),
                        status=random.choice(ActionStatus.values),
                        progress=random.randint(0, 100),
                    )
                    for i in range(have, n_actions)
                ],
                batch_size=2000,
            )
            orgs_through = Action.owner_organisations.through
            people_through = Action.owner_people.through
            orgs_through.objects.bulk_create(
                [
                    orgs_through(action_id=a.pk, organisation_id=random.choice(orgs).pk)
                    for a in created
                ],
                batch_size=5000,
            )
            people_through.objects.bulk_create(
                [
                    people_through(action_id=a.pk, person_id=random.choice(people).pk)
                    for a in created
                ],
                batch_size=5000,
            )
            self._progress("actions", n_actions, n_actions)
        user, _ = User.objects.get_or_create(email="bench-secretariat@example.org")
        RoleAssignment.objects.get_or_create(
            user=user, role=Role.SECRETARIAT, commission=commissions[0]
        )
        self.user = user
        self.big_meeting = bench_meetings[0]
        self.workstream = workstreams[0].pk
        self.owner = orgs[0].pk

    # --- measures -------------------------------------------------------------------

    def _time(self, client, url, repeat):
        # Wall-clock time, and the CPU time of this process (SQLite runs in it): on a
        # shared machine the CPU time compares runs better than the wall clock.
        timings, cpu, queries = [], [], 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                begin, begin_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                timings.append((time.perf_counter() - begin) * 1000)
                cpu.append((time.process_time() - begin_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(captured)

        def p95(values):
            return sorted(values)[max(0, int(len(values) * 0.95) - 1)]

        self.stdout.write(
            f"{url:<40} p50 {statistics.median(timings):6.1f} ms  p95 {p95(timings):6.1f} ms"
            f"  cpu p50 {statistics.median(cpu):6.1f} ms  p95 {p95(cpu):6.1f} ms"
            f"  {queries:3d} queries"
        )

    @override_settings(ALLOWED_HOSTS=["*"], DEBUG=False)
    def _measure(self, repeat):
        anonymous = Client()
        client = Client()
        sign_in_client(client, self.user)
        self._time(anonymous, "/meetings/", repeat)
        self._time(anonymous, "/meetings/?when=past", repeat)
        self._time(anonymous, f"/meetings/{self.big_meeting}/", repeat)
        self._time(client, f"/meetings/{self.big_meeting}/", repeat)
        self._time(anonymous, "/meetings/calendar.ics", repeat)
        self._time(anonymous, "/actions/", repeat)
        self._time(client, "/actions/", repeat)
        self._time(anonymous, f"/actions/?workstream={self.workstream}", repeat)
        self._time(anonymous, "/actions/?commission=bench-0", repeat)
        self._time(client, f"/actions/?owner={self.owner}", repeat)
        # Today's round for the action plan: actions falling due in a week or overdue since
        # yesterday become events of their owners (once: a second run the same day records
        # nothing). Their mailing is the notification digests', measured by
        # benchmark_notifications.
        day = timezone.localdate()
        begin, begin_cpu = time.perf_counter(), time.process_time()
        recorded = record_due_actions(day)
        self.stdout.write(
            f"actions falling due, {Action.objects.count():,} actions: {recorded:,} events "
            f"recorded in {time.perf_counter() - begin:.1f} s "
            f"(cpu {time.process_time() - begin_cpu:.1f} s)"
        )
