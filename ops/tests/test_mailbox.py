import socket

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives

from accounts.models import Role
from accounts.tests.factories import grant, make_network_admin, make_user
from commissions.tests.factories import make_commission
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
        grant(user, role, commission=make_commission())
    client.force_login(user)
    assert client.get("/mailbox/").status_code == 403


def test_visitors_get_403(client):
    assert client.get("/mailbox/").status_code == 403


@pytest.mark.parametrize("name", ["missing.eml", "..%2Fsecret.eml", "notes.txt"])
def test_a_message_outside_the_mailbox_is_not_found(client, name):
    client.force_login(make_network_admin())
    assert client.get(f"/mailbox/{name}").status_code == 404


def test_the_mailbox_dates_read_in_the_readers_language(client, sink):
    EmailMessage("Réunion", "Bonjour", "a@example.org", ["b@example.org"]).send()
    admin = make_network_admin()
    admin.preferred_language = "fr"
    admin.save()
    client.force_login(admin)
    listing = client.get("/mailbox/").text
    month = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet",
        "août", "septembre", "octobre", "novembre", "décembre",
    ]  # fmt: skip
    assert any(name in listing for name in month)
    assert "+0000" not in listing and "GMT" not in listing


def test_an_html_message_is_shown_as_its_recipient_sees_it_in_a_sandbox(client, sink):
    mail = EmailMultiAlternatives("Circular", "The plain text.", "a@example.org", ["r@example.org"])
    mail.attach_alternative(
        "<h2>Outcome</h2><p>The <strong>joint</strong> meeting.</p><script>alert(1)</script>",
        "text/html",
    )
    mail.send()
    client.force_login(make_network_admin())
    name = client.get("/mailbox/").context["mail_messages"][0]["name"]
    page = client.get(f"/mailbox/{name}").text
    assert '<iframe class="mail-preview" sandbox=""' in page
    html = client.get(f"/mailbox/{name}/html")
    assert html.status_code == 200
    assert "<strong>joint</strong>" in html.text
    assert html["Content-Security-Policy"].startswith("sandbox;")
    assert "script-src" not in html["Content-Security-Policy"]
    assert html["X-Frame-Options"] == "SAMEORIGIN"


def test_only_network_administrators_open_a_messages_html(client, sink):
    EmailMessage("Circular", "Text", "a@example.org", ["r@example.org"]).send()
    admin = make_network_admin()
    client.force_login(admin)
    name = client.get("/mailbox/").context["mail_messages"][0]["name"]
    client.force_login(make_user())
    assert client.get(f"/mailbox/{name}/html").status_code == 403
