import asyncio
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from accounts.models import Role
from accounts.tests.factories import grant, make_user
from entrevilles.tests.around_the_cast import (  # noqa: F401 - fixtures of the circulars tests
    colleague,
    digital,
    durban,
    durban_person,
    member_city,
    officer_person,
    other_commission,
    other_secretariat,
)


@pytest.fixture
def both(commission, digital):  # noqa: F811 - the imported fixture, requested
    """The secretariat of `commission` and of the digital commission."""
    return grant(
        make_user(Role.SECRETARIAT, commission=commission), Role.SECRETARIAT, commission=digital
    )


class ScriptedHandler:
    """A real SMTP server that can refuse recipients, temporarily or for good.

    `refuse[address] = ("451 4.7.1 Try again later", times)` answers RCPT that way the
    first `times` times (None: always). Every accepted message is kept, parsed.
    """

    def __init__(self):
        self.messages: list = []
        self.refuse: dict[str, tuple[str, int | None]] = {}
        # Addresses at whose RCPT, or after whose accepted content, the server hangs up
        # without a reply (once each).
        self.hang_up_at_rcpt: set[str] = set()
        self.hang_up_after_data: set[str] = set()
        self.delay = 0.0  # seconds before each reply to DATA

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
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

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
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
        return [rcpt.lower() for m in self.messages for rcpt in m.envelope_recipients]


@pytest.fixture
def mail_server(settings):
    """The scripted SMTP server on a loopback port, configured as the platform's relay."""
    handler = ScriptedHandler()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    try:
        yield handler
    finally:
        controller.stop()
