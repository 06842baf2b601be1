"""Fixtures shared by every app's tests: the cast of personas, a real SMTP server, and
Debian's chromium."""

import asyncio
import email
import email.policy
import shutil
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache, caches
from django.test.client import ClientMixin
from django.utils import translation


class SmtpRecorder:
    """The handler of the tests' SMTP server: keeps every message it accepts, and can be
    told to refuse recipients, hang up or answer slowly.

    Each message in `messages` is parsed, with its `envelope_recipients` and its `peer`,
    the client's address and port: the connection that carried it (a pool of connections
    shows as several peers). `refuse[address] = ("451 4.7.1 Try again later", times)`
    answers RCPT that way the first `times` times (None: always).
    """

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: dict[str, tuple[str, int | None]] = {}
        # Addresses at whose RCPT, or after whose accepted content, the server hangs up
        # without a reply (once each).
        self.hang_up_at_rcpt: set[str] = set()
        self.hang_up_after_data: set[str] = set()
        self.delay = 0.0  # seconds before each reply to DATA

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's name
        if address.lower() in self.hang_up_at_rcpt:
            self.hang_up_at_rcpt.discard(address.lower())
            server.transport.close()
            return "421 4.3.0 Closing"
        rule = self.refuse.get(address.lower())
        if rule is not None:
            reply, times = rule
            if times is None or times > 0:
                self.refuse[address.lower()] = (reply, None if times is None else times - 1)
                return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message.envelope_recipients = list(envelope.rcpt_tos)
        message.peer = session.peer
        self.messages.append(message)
        hang_up = {r.lower() for r in envelope.rcpt_tos} & self.hang_up_after_data
        if hang_up:
            self.hang_up_after_data -= hang_up
            server.transport.close()
        return "250 OK"

    def received_by(self) -> list[str]:
        """The envelope recipients of every message received, in order, lower-cased."""
        return [rcpt.lower() for m in self.messages for rcpt in m.envelope_recipients]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_relay(settings):
    """A real SMTP server on a loopback port, configured as the platform's relay: Django
    sends its mail there. Yields its `SmtpRecorder`."""
    recorder = SmtpRecorder()
    port = _free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    try:
        yield recorder
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(smtp_relay):
    """The list of messages the SMTP relay received, parsed (see `SmtpRecorder`)."""
    return smtp_relay.messages


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
    # API rate limits count in the cache: each test starts with none used.
    cache.clear()
    # The shared cache lives in var/ outside tests; each test process keeps its own, empty
    # at the start of each test (two test processes must not read each other's data).
    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"},
    }
    caches["shared"].clear()
    # One process, no concurrent writer: fragments are kept at once after a change, so
    # that the tests see them kept and dropped.
    settings.FRAGMENTS_QUIET_SECONDS = 0


@pytest.fixture(autouse=True)
def _force_login_completes_both_steps(request, monkeypatch):
    """`client.force_login(user)` stands for a finished login, second step included.

    force_login skips the login page (password and code) by design; the session it makes
    is marked the way the code step marks it, so that tests of other pages can sign in
    administrators and secretariats, who must use a second factor. Tests of the login
    itself go through the pages, or use the `bare_force_login` marker to get a session
    that passed the password only.
    """
    if request.node.get_closest_marker("bare_force_login"):
        return
    from accounts.authentication import mark_second_factor_passed

    original = ClientMixin._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        mark_second_factor_passed(session)
        session.save()

    monkeypatch.setattr(ClientMixin, "_login", _login)


def enrol_second_factor(user) -> list[str]:
    """Give `user` a confirmed authenticator app and recovery codes, as the enrolment
    page does; returns the recovery codes (each logs in once)."""
    from accounts import services

    device = services.start_totp_enrolment(user, actor=user)
    return services.confirm_totp_enrolment(device, current_code(device), actor=user)


def current_code(device) -> str:
    """The code an authenticator app holding this device's key shows now."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    # A code is good once: a second login within the same 30 s takes the next one (the
    # device accepts one step of clock drift).
    totp.drift += max(0, device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def second_step_code(email: str) -> str | None:
    """For a browser test about to log in as `email`: a single-use code for the second
    step, or None when that person has no second factor and needs none. Someone who must
    use one is enrolled first, as they would have been on their first login."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from accounts import authentication, permissions
    from accounts.models import User

    user = User.objects.get(email__iexact=email)
    if not authentication.has_second_factor(user):
        if not permissions.must_use_second_factor(user):
            return None
        enrol_second_factor(user)
    device = StaticDevice.objects.filter(user=user).first()
    token = StaticToken.random_token()
    device.token_set.create(token=token)
    return token


def pass_second_step(page, code: str | None) -> None:
    """Type the second-step code on the page that asks for it (if any is due)."""
    if code is not None:
        page.fill("#id_code", code)
        page.click("main button[type=submit]")


@pytest.fixture
def tasks_run_on_enqueue(settings):
    """Tasks run as soon as they are enqueued (on commit), standing in for the worker."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def on_commit(tasks_run_on_enqueue, django_capture_on_commit_callbacks):
    """Run a write and what it asked for on commit (re-indexing...) at once, in this
    process: `on_commit(write, *args, **kwargs)` returns what the write returns."""

    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


# The cast: one person per role, the same in every app's tests, made with
# accounts.tests.factories.make_user. Nadia administers the network; Sofia runs the
# secretariat of `commission` and Pablo sits on its presidency; Amina represents Rabat
# (`member_city`, a member of the network but of no commission); Peter represents a
# partner organisation; Lea is signed in with no role. A module that defines its own
# `commission` or `member_city` fixture gets the cast around those. The fixtures around
# the cast that several apps share (Rabat as a member of the commission, Amina in the
# directory, Durban in the digital commission, another commission's secretariat...) are
# in `entrevilles/tests/around_the_cast.py`: an app's conftest imports those it uses.


@pytest.fixture
def commission(db):
    from commissions.tests.factories import make_commission

    return make_commission(slug="planning", name_en="Planning")


@pytest.fixture
def member_city(db):
    from network.tests.factories import make_country, make_organisation

    return make_organisation(
        name="Rabat", country=make_country(code="MA"), population=600_000, working_languages=["en"]
    )


@pytest.fixture
def partner_organisation(db):
    from network.models import OrganisationKind
    from network.tests.factories import make_organisation

    return make_organisation(name="Urban Partners Foundation", kind=OrganisationKind.PARTNER)


@pytest.fixture
def administrator(db):
    from accounts.models import Role
    from accounts.tests.factories import make_user

    return make_user(Role.NETWORK_ADMIN, email="nadia@example.org", first_name="Nadia")


@pytest.fixture
def secretariat(commission):
    from accounts.models import Role
    from accounts.tests.factories import make_user

    return make_user(
        Role.SECRETARIAT, commission=commission, email="sofia@example.org", first_name="Sofia"
    )


@pytest.fixture
def presidency(commission):
    from accounts.models import Role
    from accounts.tests.factories import make_user

    return make_user(
        Role.PRESIDENCY, commission=commission, email="pablo@example.org", first_name="Pablo"
    )


@pytest.fixture
def city_officer(member_city):
    from accounts.models import Role
    from accounts.tests.factories import make_user

    return make_user(
        Role.REPRESENTATIVE, organisation=member_city, email="amina@example.org", first_name="Amina"
    )


@pytest.fixture
def partner(partner_organisation):
    from accounts.models import Role
    from accounts.tests.factories import make_user

    return make_user(
        Role.REPRESENTATIVE,
        organisation=partner_organisation,
        email="peter@example.org",
        first_name="Peter",
    )


@pytest.fixture
def outsider(db):
    from accounts.tests.factories import make_user

    return make_user(email="lea@example.org", first_name="Lea")


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
