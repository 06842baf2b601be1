import pytest
from django.core import mail

from conftest import message_text


@pytest.mark.django_db
def test_platform_mail_goes_through_a_real_smtp_server(smtp_server):
    mail.send_mail("Réunion conjointe", "Rabat, 1er octobre", None, ["ana@example.org"])
    assert len(smtp_server) == 1
    received = smtp_server[0]
    assert received["subject"] == "Réunion conjointe"
    assert received.envelope_recipients == ["ana@example.org"]
    assert "Rabat, 1er octobre" in message_text(received)
