import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from ops.mailsink import start_sink


class Command(BaseCommand):
    help = "Runs the local SMTP mail sink; messages are written to MAILBOX_DIR."

    def add_arguments(self, parser):
        parser.add_argument(
            "--port", type=int, default=settings.MAILERS["default"]["OPTIONS"]["port"]
        )

    def handle(self, *args, port, **options):
        controller = start_sink(settings.MAILBOX_DIR, port=port)
        port = controller.port
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        self.stdout.write(f"Mail sink on 127.0.0.1:{port}, writing to {settings.MAILBOX_DIR}")
        stop.wait()
        controller.stop()
