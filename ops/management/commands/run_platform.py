import io
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ops.mailsink import start_sink

# How often the platform is asked whether it answers, while it starts.
HEALTH_POLL_SECONDS = 0.5
# After this long without an answer, the console says what it is waiting for.
WAITING_NOTICE_SECONDS = 60


def platform_answers(port: int) -> bool:
    """True when /healthz answers 200 on this instance's port."""
    try:
        with urllib.request.urlopen(  # noqa: S310 - our own loopback address
            f"http://127.0.0.1:{port}/healthz", timeout=5
        ) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def demo_logins() -> list[str]:
    """The demo's logins, as its own command prints them: ops does not import the demo app,
    which an installation may leave out (then there are none to show)."""
    out = io.StringIO()
    try:
        call_command("demo_logins", stdout=out)
    except CommandError:
        return []
    return out.getvalue().splitlines()


class Command(BaseCommand):
    help = (
        "Runs the embedded platform in the foreground: the web server, the background "
        "worker and the local mail sink, until interrupted. The address is printed once "
        "the platform answers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--web-workers", type=int, default=2)

    def handle(self, *args, port, web_workers, **options):
        # The sink runs in this process, on a port bound once (a free one when the usual
        # one is taken), so that two instances started together never share it. Its
        # greeting carries a token of this instance, which /healthz looks for.
        ident = f"Entrevilles mail sink {secrets.token_hex(6)}"
        preferred = settings.MAILERS["default"]["OPTIONS"]["port"]
        sink = start_sink(settings.MAILBOX_DIR, port=preferred, ident=ident)
        env = dict(
            os.environ,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(sink.port),
            MAIL_SINK_IDENT=ident,
            # The configured public address when there is one; this instance's otherwise.
            SITE_URL=os.environ.get("SITE_URL") or f"http://127.0.0.1:{port}",
        )
        python = sys.executable
        manage = [python, str(settings.BASE_DIR / "manage.py")]
        commands = {
            "worker": [*manage, "run_worker"],
            "web": [
                python,
                "-m",
                "gunicorn",
                "entrevilles.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(web_workers),
                "--access-logfile",
                "-",
                "--chdir",
                str(settings.BASE_DIR),
                # Its control socket lives in the home folder by default: one per machine,
                # which a second instance would take over.
                "--no-control-socket",
            ],
        }
        children = {
            name: subprocess.Popen(command, env=env)  # noqa: S603 - our own commands
            for name, command in commands.items()
        }

        def stop(*_):
            for child in children.values():
                if child.poll() is None:
                    child.terminate()
            deadline = time.monotonic() + 10
            for child in children.values():
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
            sink.stop()
            sys.exit(0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

        def watch():
            nonlocal sink
            for name, child in children.items():
                if child.poll() is not None:
                    self.stderr.write(
                        f"The {name} stopped (exit {child.returncode}); restarting it."
                    )
                    children[name] = subprocess.Popen(commands[name], env=env)  # noqa: S603
            if not sink.is_alive():
                self.stderr.write(
                    f"The mail sink on port {sink.port} stopped; /healthz reports it. "
                    "Starting it again on the same port."
                )
                try:
                    sink = start_sink(settings.MAILBOX_DIR, port=sink.port, ident=ident)
                except (OSError, RuntimeError) as error:
                    self.stderr.write(f"The mail sink cannot start again: {error}")

        self.stdout.write(f"Starting Entrevilles on port {port}, mail sink on port {sink.port}…")
        self.stdout.flush()
        waiting_since = time.monotonic()
        while not platform_answers(port):
            watch()
            if time.monotonic() - waiting_since > WAITING_NOTICE_SECONDS:
                self.stdout.write(
                    f"Still waiting for http://127.0.0.1:{port}/healthz to answer 200 "
                    "(the database, the worker and the mail sink must be up)…"
                )
                self.stdout.flush()
                waiting_since = time.monotonic()
            time.sleep(HEALTH_POLL_SECONDS)

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Entrevilles is running at http://127.0.0.1:{port}/"))
        self.stdout.write(
            f"  Mail sink: 127.0.0.1:{sink.port}; messages at http://127.0.0.1:{port}/mailbox/ "
            f"(files in {settings.MAILBOX_DIR})"
        )
        self.stdout.write(f"  API schema: http://127.0.0.1:{port}/api/schema/")
        for line in demo_logins():
            self.stdout.write(f"  {line}")
        self.stdout.write("  Press Ctrl+C to stop.")
        self.stdout.flush()

        while True:
            watch()
            time.sleep(1)
