"""Fixtures shared by every app's tests: a real SMTP server, and Debian's chromium."""

import email
import email.policy
import shutil
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.utils import translation


class _Collector:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message.envelope_recipients = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a loopback port; Django sends its mail there.

    Yields the list of messages received, as parsed e-mail messages.
    """
    collector = _Collector()
    port = _free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    try:
        yield collector.messages
    finally:
        controller.stop()


def message_text(message) -> str:
    """The plain-text body of a received message."""
    body = message.get_body(preferencelist=("plain", "html"))
    return body.get_content() if body else ""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, never a downloaded browser, with no background networking."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail(
            "Debian's chromium is required for browser tests (bin/bootstrap --dev installs it)"
        )
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path: Path):
    """Each test gets its own media and mailbox folders, and fast password hashing."""
    # The production hasher is slow on purpose (about half a second a password).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A page rendered in French must not leave French active for the next test.
    translation.activate(settings.LANGUAGE_CODE)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MAILBOX_DIR = tmp_path / "mail"


@pytest.fixture
def tasks_run_on_enqueue(settings):
    """Tasks run as soon as they are enqueued (on commit), standing in for the worker."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def run_background_worker() -> None:
    """Run the background worker until no task is left (tests with transaction=True)."""
    import signal

    from django.core.management import call_command

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command(
            "db_worker",
            batch=True,
            queue_name="*",
            interval=0,
            reload=False,
            startup_delay=False,
            verbosity=0,
        )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
