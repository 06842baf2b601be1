import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from ops.demo import DEMO_LOGINS, DEMO_PASSWORD


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Command(BaseCommand):
    help = (
        "Runs the embedded platform in the foreground: the web server, the background "
        "worker and the local mail sink, until interrupted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--web-workers", type=int, default=2)

    def handle(self, *args, port, web_workers, **options):
        mail_port = settings.MAILERS["default"]["OPTIONS"]["port"]
        if not _port_is_free(mail_port):
            mail_port = _free_port()
        env = dict(os.environ, EMAIL_PORT=str(mail_port), SITE_URL=f"http://127.0.0.1:{port}")
        python = sys.executable
        manage = [python, str(settings.BASE_DIR / "manage.py")]
        commands = {
            "mail sink": [*manage, "run_mail_sink", "--port", str(mail_port)],
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
            sys.exit(0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Entrevilles is running at http://127.0.0.1:{port}/"))
        self.stdout.write(
            f"  Mail sink: messages at http://127.0.0.1:{port}/mailbox/ "
            f"(files in {settings.MAILBOX_DIR})"
        )
        self.stdout.write(f"  API schema: http://127.0.0.1:{port}/api/schema/")
        self.stdout.write(f"  Demo logins (password for all: {DEMO_PASSWORD}):")
        for email_address, role in DEMO_LOGINS:
            self.stdout.write(f"    {email_address:<42} {role}")
        self.stdout.write("  Press Ctrl+C to stop.")

        while True:
            for name, child in children.items():
                if child.poll() is not None:
                    self.stderr.write(
                        f"The {name} stopped (exit {child.returncode}); restarting it."
                    )
                    children[name] = subprocess.Popen(commands[name], env=env)  # noqa: S603
            time.sleep(1)
