"""Measures notifications at scale: fan-out, the daily digests against bare smtplib, the
header's count.

Builds N people (default 60,000) each following ~10 things (3,000 of them a benchmark
commission), then prints: the fan-out time of an event on that commission (public, and
members-only), the fan-out of one event per theme reaching everyone, the daily digests
for everyone handed to a local SMTP sink (a child process) against bare smtplib sending
pre-built messages over the same number of connections (one thread each) to the same sink
in the same run, and the header count's query.
Writes its own people ("bench-notifications-…" addresses) and events in the configured
database: run it on a benchmark database, not on production.
"""

import random
import smtplib
import socket
import threading
import time
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.signing_in import sign_in_client
from benchmarks.smtp_sink import SinkProcess
from entrevilles.planner import refresh_planner_statistics
from network.models import Person
from notifications import digests, fanout, writing
from notifications.models import (
    Event,
    EventKind,
    EventVisibility,
    Follow,
    Notification,
    NotificationMail,
    TargetType,
)

PREFIX = "bench-notifications-"
THEMES = 20
# Target ids far above any real row: follows need no real object to be fanned out.
BASE_ID = 9_000_000
CHUNK = 5_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _bare_smtplib(port: int, built: list[tuple[str, bytes]], connections: int) -> float:
    """Seconds to send `built` over `connections` smtplib connections, one thread each."""

    def send(share: list[tuple[str, bytes]]) -> None:
        smtp = smtplib.SMTP("127.0.0.1", port)
        for address, message in share:
            smtp.sendmail(settings.DEFAULT_FROM_EMAIL, [address], message)
        smtp.quit()

    threads = [
        threading.Thread(target=send, args=(built[n::connections],)) for n in range(connections)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=60_000)
        parser.add_argument("--commission-followers", type=int, default=3_000)
        parser.add_argument("--ceiling-sample", type=int, default=5_000)
        parser.add_argument(
            "--connections",
            type=int,
            default=4,
            help="SMTP connections of the digests' run and of the bare smtplib ceiling alike",
        )

    def handle(self, *args, people, commission_followers, ceiling_sample, connections, **options):
        settings.DEBUG = False
        users = self._people(people)
        commission_id = BASE_ID
        self._follows(users, commission_id, commission_followers)
        self._fan_out_commission(commission_id, commission_followers)
        self._fan_out_everyone(len(users))
        port = _free_port()
        sink = SinkProcess(port)
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 30},
            }
        }
        try:
            self._digests(sink, port, ceiling_sample, connections)
        finally:
            sink.stop()
        self._header_count(users[0])

    # --- data -------------------------------------------------------------------------------

    def _people(self, count: int) -> list[int]:
        User = get_user_model()  # noqa: N806 - a model class
        existing = User.objects.filter(email__startswith=PREFIX).count()
        languages = ["en", "fr", "es"]
        started = time.perf_counter()
        for start in range(existing, count, CHUNK):
            User.objects.bulk_create(
                User(
                    email=f"{PREFIX}{n}@example.org",
                    password="!",  # noqa: S106 - unusable: nobody logs in as these
                    first_name="Bench",
                    last_name=str(n),
                    preferred_language=languages[n % 3],
                )
                for n in range(start, min(count, start + CHUNK))
            )
        ids = list(
            User.objects.filter(email__startswith=PREFIX)
            .order_by("pk")
            .values_list("pk", flat=True)
        )[:count]
        # Half of them in the directory (members of the network), for members-only events.
        if not Person.objects.filter(user_id__in=ids[:1]).exists():
            for start in range(0, len(ids), 2 * CHUNK):
                Person.objects.bulk_create(
                    Person(first_name="Bench", last_name=str(uid), user_id=uid)
                    for uid in ids[start : start + 2 * CHUNK : 2]
                )
        refresh_planner_statistics()
        self.stdout.write(f"{len(ids):,} people ready in {time.perf_counter() - started:.1f} s")
        return ids

    def _follows(self, users: list[int], commission_id: int, commission_followers: int) -> None:
        if Follow.objects.filter(target_id__gte=BASE_ID).exists():
            return
        started = time.perf_counter()
        rng = random.Random(18)
        rows = []
        for index, user_id in enumerate(users):
            targets = {(TargetType.THEME, BASE_ID + 1 + index % THEMES)}
            if index < commission_followers:
                targets.add((TargetType.COMMISSION, commission_id))
            while len(targets) < 10:
                targets.add(
                    (
                        rng.choice([TargetType.ORGANISATION, TargetType.MEETING, TargetType.NEED]),
                        BASE_ID + 100 + rng.randrange(50_000),
                    )
                )
            rows += [Follow(user_id=user_id, target_type=t, target_id=i) for t, i in targets]
            if len(rows) >= CHUNK * 4:
                Follow.objects.bulk_create(rows, ignore_conflicts=True)
                rows = []
        Follow.objects.bulk_create(rows, ignore_conflicts=True)
        total = Follow.objects.count()
        self.stdout.write(f"{total:,} follows written in {time.perf_counter() - started:.1f} s")

    def _event(self, kind, targets, visibility=EventVisibility.PUBLIC, subject_id=1) -> Event:
        return Event.objects.create(
            kind=kind,
            targets=[[str(t), i] for t, i in targets],
            subject_type="meeting",
            subject_id=subject_id,
            titles={"en": "Benchmark meeting", "fr": "Réunion de test", "es": "Reunión de prueba"},
            url="/meetings/1/",
            visibility=visibility,
        )

    # --- fan-out ----------------------------------------------------------------------------

    def _fan_out_commission(self, commission_id: int, followers: int) -> None:
        for visibility in (EventVisibility.PUBLIC, EventVisibility.MEMBERS):
            event = self._event(
                EventKind.DECISION_RECORDED,
                [(TargetType.COMMISSION, commission_id)],
                visibility,
            )
            started = time.perf_counter()
            fanout.fan_out(event.pk)
            elapsed = time.perf_counter() - started
            made = Notification.objects.filter(event=event).count()
            self.stdout.write(
                f"fan-out of a {visibility} event on a commission with {followers:,} followers: "
                f"{made:,} notifications in {elapsed:.2f} s"
            )

    def _fan_out_everyone(self, people: int) -> None:
        started = time.perf_counter()
        made = 0
        for theme in range(THEMES):
            event = self._event(
                EventKind.EXPERIENCE_PUBLISHED,
                [(TargetType.THEME, BASE_ID + 1 + theme)],
                subject_id=theme + 2,
            )
            fanout.fan_out(event.pk)
            made += Notification.objects.filter(event=event).count()
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"fan-out of {THEMES} events reaching all {people:,} people: {made:,} notifications "
            f"in {elapsed:.1f} s ({made / elapsed:,.0f} a second)"
        )

    # --- digests ----------------------------------------------------------------------------

    def _digests(self, sink, port: int, sample: int, connections: int) -> None:
        day = date(2099, 1, 1 + NotificationMail.objects.values("key").distinct().count() % 28)
        # The ceiling: pre-built digests over bare smtplib connections, as many as the run's.
        users = list(
            get_user_model()
            .objects.filter(email__startswith=PREFIX, notifications__mail_key="")
            .distinct()
            .order_by("pk")[:sample]
        )
        built = []
        for user in users:
            notifications = list(
                Notification.objects.filter(user=user, mail_key="").select_related("event")
            )
            message = writing.Writer(user.preferred_language).message(
                user.pk, user.get_full_name(), user.email, notifications
            )
            built.append((user.email, message.message().as_bytes()))
        sink.clear()
        cpu = time.process_time()
        ceiling = len(built) / _bare_smtplib(port, built, connections)
        ceiling_cpu = (time.process_time() - cpu) / len(built)
        sink.clear()

        started, cpu = time.perf_counter(), time.process_time()
        sent = digests.send_digests(day, connections=connections)
        elapsed = time.perf_counter() - started
        digests_cpu = (time.process_time() - cpu) / max(sent, 1)
        rate = sent / elapsed if elapsed else 0
        ids = sink.ids
        self.stdout.write(
            f"bare smtplib ceiling over {connections} connection(s): {ceiling:,.0f} messages/s "
            f"({len(built):,} pre-built digests); daily digests over {connections} "
            f"connection(s): {sent:,} built and sent in {elapsed:.1f} s = {rate:,.0f} "
            f"messages/s ({rate / ceiling:.1%} of the ceiling); the sink received {len(ids):,}, "
            f"{len(ids) - len(set(ids))} twice; the sender's CPU a message: "
            f"{ceiling_cpu * 1000:.2f} ms bare, {digests_cpu * 1000:.2f} ms digests"
        )
        again = digests.send_digests(day, connections=connections)
        self.stdout.write(f"the same day's run again sent {again} (nothing twice)")

    # --- the header ---------------------------------------------------------------------------

    def _header_count(self, user_id: int) -> None:
        from django.test import Client

        client = Client()
        sign_in_client(client, get_user_model().objects.get(pk=user_id))
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        counting = [q for q in queries.captured_queries if "notifications_notification" in q["sql"]]
        self.stdout.write(
            f"home page for a person with notifications: {len(queries.captured_queries)} queries, "
            f"{len(counting)} for the header's unread count ({counting[0]['time'] if counting else '-'} s)"
        )
