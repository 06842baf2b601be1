import socket

import pytest
from django.core.mail import EmailMessage

from accounts.models import Role
from accounts.tests.factories import give_role, make_commission, make_network_admin, make_user
from ops.mailsink import start_sink

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def sink(settings):
    """The platform's own mail sink on a free port, writing into the test's mailbox folder."""
    port = _free_port()
    controller = start_sink(settings.MAILBOX_DIR, port=port)
    try:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
            }
        }
        yield
    finally:
        controller.stop()


def test_a_network_administrator_reads_the_messages_the_sink_caught(client, sink):
    EmailMessage(
        "Circular: Durban meeting outcomes",
        "The commission met in Durban.",
        "secretariat@example.org",
        ["rabat@example.org"],
    ).send()
    client.force_login(make_network_admin())
    listing = client.get("/mailbox/")
    assert listing.status_code == 200
    assert "Circular: Durban meeting outcomes" in listing.text
    assert "rabat@example.org" in listing.text
    name = listing.context["mail_messages"][0]["name"]
    message = client.get(f"/mailbox/{name}")
    assert message.status_code == 200
    assert "The commission met in Durban." in message.text


def test_an_empty_mailbox_says_so(client):
    client.force_login(make_network_admin())
    assert "No message yet." in client.get("/mailbox/").text


@pytest.mark.parametrize("role", [None, Role.SECRETARIAT])
def test_everyone_but_network_administrators_gets_403(client, role):
    user = make_user()
    if role:
        give_role(user, role, commission=make_commission())
    client.force_login(user)
    assert client.get("/mailbox/").status_code == 403


def test_visitors_get_403(client):
    assert client.get("/mailbox/").status_code == 403


@pytest.mark.parametrize("name", ["missing.eml", "..%2Fsecret.eml", "notes.txt"])
def test_a_message_outside_the_mailbox_is_not_found(client, name):
    client.force_login(make_network_admin())
    assert client.get(f"/mailbox/{name}").status_code == 404
