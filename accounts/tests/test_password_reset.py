import re

import pytest
from django.core.management import call_command

from conftest import message_text

from .factories import make_user

# The real worker runs in these tests: it opens and closes connections as in production,
# which a test inside one transaction would not survive on PostgreSQL.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def request_reset(client, django_capture_on_commit_callbacks):
    """Ask for a reset on the page; the background worker then sends what was queued."""

    def ask(email: str, *, run_worker: bool = True):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/password-reset/", {"email": email})
        if run_worker:
            call_command("db_worker", batch=True, queue_name="*", interval=0.1, reload=False)
        return response

    return ask


NEW_PASSWORD = "Quartier-Lumière-2026"  # noqa: S105 - test only


def _link(message) -> str:
    match = re.search(r"http://testserver(/accounts/reset/\S+/)", message_text(message))
    assert match, message_text(message)
    return match.group(1)


def test_a_password_reset_goes_from_request_to_login_with_the_new_password(
    client, smtp_server, request_reset
):
    make_user(email="ines@example.org", first_name="Inès", preferred_language="fr")
    response = request_reset("INES@example.org")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200

    assert len(smtp_server) == 1
    message = smtp_server[0]
    assert message.envelope_recipients == ["ines@example.org"]
    # Written in her language, not the language of the page that asked.
    assert message["subject"] == "Réinitialiser votre mot de passe sur Entrevilles"
    assert "Choisissez un nouveau mot de passe" in message_text(message)

    form_page = client.get(_link(message), follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert client.get(done["Location"]).status_code == 200

    client.logout()
    login = client.post(
        "/accounts/login/", {"username": "ines@example.org", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_new_password_form_shows_why_a_password_is_refused(client, smtp_server, request_reset):
    make_user(email="ines@example.org")
    request_reset("ines@example.org")
    form_page = client.get(_link(smtp_server[0]), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"}
    )
    assert response.status_code == 200
    assert "This password is too short" in response.text
    assert 'aria-invalid="true"' in response.text


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, smtp_server, request_reset):
    response = request_reset("nobody@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert smtp_server == []


def test_a_used_or_forged_reset_link_says_it_no_longer_works(client):
    response = client.get("/accounts/reset/MQ/forged-token/")
    assert response.status_code == 200
    assert "This link no longer works" in response.text


def test_the_reset_mail_leaves_from_the_worker_not_from_the_request(smtp_server, request_reset):
    make_user(email="ines@example.org")
    known = request_reset("ines@example.org", run_worker=False)
    unknown = request_reset("nobody@example.org", run_worker=False)
    # The page answers the same for both addresses, before any mail is sent.
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert smtp_server == []
    call_command("db_worker", batch=True, queue_name="*", interval=0.1, reload=False)
    assert [m.envelope_recipients for m in smtp_server] == [["ines@example.org"]]
