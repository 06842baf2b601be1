"""Measures a circular to N recipients through a local SMTP sink, and a crash test.

Prints: the audience preview time, the time to fix the recipients, the sink's ceiling
(bare smtplib sending the same pre-built messages over the same number of connections, one
thread each, in the same run, in turn with the circular over --rounds rounds), the
circular's rate through the real delivery code and the
ratio of the two, and, with --crashes, a worker process killed at random points then
resumed: duplicates and losses, counted by Message-ID at the sink. The sink (aiosmtpd)
runs in a child process, like a real relay, for both rates. Writes its own people,
commission and circulars (external_ref "bench:circulars") in the configured database: run
it on a benchmark database, not on production.
"""

import os
import random
import signal
import smtplib
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from benchmarks.smtp_sink import SinkProcess
from circulars import audiences, delivery, services
from circulars.models import Circular, CircularKind, Delivery, DeliveryStatus, SegmentKind
from commissions.models import Commission, CommissionMembership
from network.models import Country, Organisation, OrganisationKind, Person

REF = "bench:circulars"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--recipients", type=int, default=60_000)
        parser.add_argument("--crashes", type=int, default=5)
        parser.add_argument("--crash-recipients", type=int, default=10_000)
        parser.add_argument(
            "--rounds",
            type=int,
            default=3,
            help="the recipients split into this many rounds, bare smtplib and the "
            "circular in turn",
        )
        parser.add_argument(
            "--connections",
            type=int,
            default=None,
            help="SMTP connections, for both rates (default: CIRCULARS_SMTP_CONNECTIONS)",
        )

    def handle(self, *args, recipients, crashes, crash_recipients, connections, rounds, **options):
        # As in production: no debug cursor recording every query of the run.
        settings.DEBUG = False
        if connections:
            settings.CIRCULARS_SMTP_CONNECTIONS = connections
        self.connections = settings.CIRCULARS_SMTP_CONNECTIONS
        port = _free_port()
        sink = SinkProcess(port)
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 30},
            }
        }
        try:
            if recipients:
                share = -(-recipients // rounds)
                self._throughput(self._audience(share), share, sink, rounds)
            if crashes:
                commission = self._audience(crash_recipients)
                self._crash_test(commission, crash_recipients, crashes, sink, port)
        finally:
            sink.stop()

    # --- data -------------------------------------------------------------------------------

    def _audience(self, count: int) -> Commission:
        """A commission whose one member organisation has exactly `count` people."""
        ref = f"{REF}:{count}"
        commission, _created = Commission.objects.get_or_create(
            slug=f"bench-circulars-{count}", defaults={"name": f"Benchmark circulars {count}"}
        )
        organisation = Organisation.objects.filter(external_ref=ref).first()
        if organisation is None:
            country = Country.objects.order_by("pk").first()
            organisation = Organisation(
                name=f"Benchmark city {count}",
                kind=OrganisationKind.LOCAL_GOVERNMENT,
                country=country,
                external_ref=ref,
            )
            organisation.refresh_derived_fields()
            organisation.save()
        CommissionMembership.objects.get_or_create(commission=commission, organisation=organisation)
        have = Person.objects.filter(organisation=organisation).count()
        languages = ["en", "fr", "es"]
        batch = [
            Person(
                first_name="Bench",
                last_name=f"Person {n}",
                organisation=organisation,
                email=f"bench{n}.{count}@bench.example.org",
                preferred_language=languages[n % 3],
            )
            for n in range(have, count)
        ]
        Person.objects.bulk_create(batch, batch_size=5000)
        return commission

    def _circular(self, commission: Commission, count: int) -> Circular:
        circular = services.create_circular(
            kind=CircularKind.ANNOUNCEMENT,
            commissions=[commission],
            original_language="en",
            subjects={"en": "Benchmark circular", "fr": "Circulaire de mesure"},
            bodies={
                "en": "Dear {{name}},\n\nThe **joint meeting** decided four workstreams.\n\n"
                + "- an action\n" * 10,
                "fr": "Cher·e {{name}},\n\nLa **réunion conjointe** a décidé quatre axes.\n\n"
                + "- une action\n" * 10,
            },
            actor=None,
        )
        services.set_audience(
            circular,
            [{"kind": SegmentKind.COMMISSION_MEMBERS, "commission": commission}],
            actor=None,
        )
        return services.approve_circular(circular, actor=None)

    def _build(self, recipients: int) -> None:
        """For load.py: a circular sent to the directory's local governments (their
        people, at most `recipients` of them), through the real steps (drafted, its
        audience set, approved, its recipients fixed), the run itself recorded as every
        message accepted by the relay, so that its archive page has a sent circular."""
        from circulars.delivery import finish_if_done
        from circulars.models import CircularStatus

        subject = "The network's learning programme for the year"
        if Circular.objects.filter(status=CircularStatus.SENT, subject=subject).exists():
            return
        circular = services.create_circular(
            kind=CircularKind.ANNOUNCEMENT,
            commissions=[],
            original_language="en",
            subjects={
                "en": subject,
                "fr": "Le programme d'apprentissage du réseau pour l'année",
                "es": "El programa de aprendizaje de la red para el año",
            },
            bodies={
                "en": "Dear {{name}},\n\nThe **joint meeting** decided four workstreams.\n\n"
                + "- an action of the plan\n" * 10,
                "fr": "Cher·e {{name}},\n\nLa **réunion conjointe** a décidé quatre axes.\n\n"
                + "- une action du plan\n" * 10,
                "es": "Estimado/a {{name}},\n\nLa **reunión conjunta** decidió cuatro ejes.\n\n"
                + "- una acción del plan\n" * 10,
            },
            actor=None,
        )
        services.set_audience(
            circular,
            [{"kind": SegmentKind.ORGANISATION_KIND, "organisation_kind": "local_government"}],
            actor=None,
        )
        services.approve_circular(circular, actor=None)
        count = services.start_sending(circular, actor=None)
        extra = Delivery.objects.filter(circular=circular).order_by("pk")[recipients:]
        Delivery.objects.filter(pk__in=list(extra.values_list("pk", flat=True))).delete()
        now = timezone.now()
        Delivery.objects.filter(circular=circular).update(
            status=DeliveryStatus.SENT, sent_at=now, smtp_reply="250 OK", attempts=1
        )
        finish_if_done(circular.pk, now)
        self.stdout.write(f"a circular sent to {min(count, recipients):,} recipients")

    def _start(self, circular: Circular, count: int) -> int:
        return services.start_sending(circular, actor=None)

    # --- throughput -----------------------------------------------------------------------

    def _throughput(self, commission, count, sink, rounds):
        """Bare smtplib and the platform in turn, `rounds` times on a circular of its own
        each: on a shared machine the load drifts, and alternating exposes both to it."""
        n = self.connections
        port = settings.MAILERS["default"]["OPTIONS"]["port"]
        totals = {"bare": [0, 0.0, 0.0], "circular": [0, 0.0, 0.0]}
        received = duplicates = 0
        size = 0
        for round_ in range(1, rounds + 1):
            circular = self._circular(commission, count)
            started = time.perf_counter()
            preview = audiences.preview(circular)
            preview_s = time.perf_counter() - started
            started = time.perf_counter()
            fixed = self._start(circular, count)
            fix_s = time.perf_counter() - started
            if round_ == 1:
                self.stdout.write(
                    f"audience preview of {preview.total:,} people: {preview_s:.2f} s; "
                    f"recipients fixed ({fixed:,} deliveries): {fix_s:.2f} s"
                )

            # The same pre-built messages over the same number of bare smtplib
            # connections, one thread each, as the pool.
            renderer = delivery.Renderer(circular)
            built = [(d.email, renderer.message(d)) for d in circular.deliveries.all()]
            size = len(built[0][1]) if built else 0

            def bare(messages, envelope_from=renderer.envelope_from):
                connection = smtplib.SMTP("127.0.0.1", port)
                for address, message in messages:
                    connection.sendmail(envelope_from, [address], message)
                connection.quit()

            threads = [threading.Thread(target=bare, args=(built[i::n],)) for i in range(n)]
            sink.clear()
            started, cpu = time.perf_counter(), time.process_time()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            bare_s, bare_cpu = time.perf_counter() - started, time.process_time() - cpu
            bare_received = len(sink.ids)
            sink.clear()

            # The sink runs in a process of its own: both CPU times are the sender's alone.
            started, cpu = time.perf_counter(), time.process_time()
            delivery.run(circular.pk)
            run_s, run_cpu = time.perf_counter() - started, time.process_time() - cpu
            counts = Counter(sink.ids)
            received += len(counts)
            duplicates += sum(k - 1 for k in counts.values())
            for name, seconds, cpu_s, sent in (
                ("bare", bare_s, bare_cpu, bare_received),
                ("circular", run_s, run_cpu, fixed),
            ):
                totals[name][0] += sent
                totals[name][1] += seconds
                totals[name][2] += cpu_s
            self.stdout.write(
                f"  round {round_}: bare smtplib {bare_received / bare_s:,.0f}/s, "
                f"circular {fixed / run_s:,.0f}/s ({bare_s / run_s:.0%}); "
                f"load {os.getloadavg()[0]:.1f}"
            )

        lines = [f"{n} SMTP connections, messages of {size:,} bytes, {rounds} rounds"]
        for name, label in (("bare", "bare smtplib"), ("circular", "circular    ")):
            sent, seconds, cpu_s = totals[name]
            lines.append(
                f"{label}: {sent / seconds:,.0f} messages/s ({sent:,} in {seconds:.1f} s, "
                f"CPU {cpu_s / max(sent, 1) * 1000:.2f} ms a message)"
            )
        ratio = (totals["circular"][0] / totals["circular"][1]) / (
            totals["bare"][0] / totals["bare"][1]
        )
        lines.append(f"circular received {received:,} distinct, duplicates {duplicates}")
        lines.append(f"ratio: {ratio:.0%} of bare smtplib (target 80%)")
        self.stdout.write("\n".join(lines))

    # --- crash test -------------------------------------------------------------------------

    def _crash_test(self, commission, count, crashes, sink, port):
        circular = self._circular(commission, count)
        fixed = self._start(circular, count)
        sink.clear()
        env = dict(os.environ, EMAIL_PORT=str(port))
        manage = [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "send_circular",
            str(circular.pk),
        ]
        done_statuses = [DeliveryStatus.SENT, DeliveryStatus.UNCONFIRMED]
        for crash in range(1, crashes + 1):
            before = Delivery.objects.filter(circular=circular, status__in=done_statuses).count()
            # Killed at a random point of its run: after a random number of messages.
            target = min(fixed - 1, before + random.randint(20, max(21, fixed // (crashes + 1))))
            worker = subprocess.Popen(manage, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
            while worker.poll() is None:
                done = Delivery.objects.filter(circular=circular, status__in=done_statuses).count()
                if done >= target:
                    break
                time.sleep(0.05)
            if worker.poll() is None:
                worker.send_signal(signal.SIGKILL)
            worker.wait()
            done = Delivery.objects.filter(circular=circular, status__in=done_statuses).count()
            in_flight = Delivery.objects.filter(
                circular=circular, status__in=[DeliveryStatus.SENDING, DeliveryStatus.HANDED]
            ).count()
            self.stdout.write(
                f"  crash {crash}: worker killed with {done:,}/{fixed:,} done, "
                f"{in_flight} rows claimed in flight"
            )
            # Waiting out the lease is what a real restart does; here we jump past it.
            delivery.recover_stale(
                circular.pk, now=timezone.now() + delivery.LEASE + timedelta(seconds=1)
            )
        subprocess.run(manage, env=env, stdout=subprocess.DEVNULL, check=True)  # noqa: S603
        rows = dict(Delivery.objects.filter(circular=circular).values_list("pk", "status"))
        counts = Counter(sink.ids)
        domain = delivery.Renderer(circular).domain
        expected = {f"<circular-{circular.pk}.delivery-{pk}@{domain}>": pk for pk in rows}
        duplicates = sum(n - 1 for n in counts.values())
        pending = [pk for pk, status in rows.items() if status == DeliveryStatus.QUEUED]
        lost = [
            mid
            for mid, pk in expected.items()
            if mid not in counts and rows[pk] != DeliveryStatus.FAILED
        ]
        unconfirmed = [pk for pk, status in rows.items() if status == DeliveryStatus.UNCONFIRMED]
        unconfirmed_lost = [
            mid for mid, pk in expected.items() if pk in unconfirmed and mid not in counts
        ]
        self.stdout.write(
            f"crash test: {crashes} kills, {fixed:,} recipients, {len(counts):,} received; "
            f"duplicates {duplicates}, lost {len(lost)} (still queued {len(pending)}) "
            f"(unconfirmed rows {len(unconfirmed)}, of which not received {len(unconfirmed_lost)})"
        )
        if not unconfirmed:
            return
        # What the secretariat does with unconfirmed rows (the resend page): look their
        # Message-IDs up in the relay's log (here the sink's), mark those found as sent,
        # send the others again.
        found = [mid for mid, pk in expected.items() if pk in unconfirmed and mid in counts]
        if found:
            services.confirm_delivered(circular, " ".join(found), actor=None)
        resent = 0
        if len(found) < len(unconfirmed):
            resent = services.resend_unconfirmed(circular, actor=None, confirmed=True)
            subprocess.run(manage, env=env, stdout=subprocess.DEVNULL, check=True)  # noqa: S603
        rows = dict(Delivery.objects.filter(circular=circular).values_list("pk", "status"))
        counts = Counter(sink.ids)
        lost = [
            mid
            for mid, pk in expected.items()
            if mid not in counts and rows[pk] != DeliveryStatus.FAILED
        ]
        left = sum(1 for status in rows.values() if status == DeliveryStatus.UNCONFIRMED)
        self.stdout.write(
            f"after checking the unconfirmed rows against the sink's log ({len(found)} found "
            f"and marked sent, {resent} sent again): {len(counts):,} received; duplicates "
            f"{sum(n - 1 for n in counts.values())}, lost {len(lost)}, unconfirmed {left}"
        )
