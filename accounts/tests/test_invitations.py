import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Role, RoleAssignment, User
from audit.models import AuditEntry
from commissions.tests.factories import make_commission, make_membership
from conftest import message_text
from network.tests.factories import make_city, make_person

from .factories import PASSWORD, grant, make_network_admin, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _worker_runs_tasks_at_once(settings):
    # Invitations are mailed by the background worker; here it runs each task as soon as
    # it is queued (test_invitation_mail_waits_for_the_worker runs a real worker).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


NEW_PASSWORD = "Ville-Apprenante-2026"  # noqa: S105 - test only


def _accept_path(message) -> str:
    match = re.search(r"http://[^/\s]+(/accounts/join/\S+/)", message_text(message))
    assert match, message_text(message)
    return match.group(1)


def _invite(actor, email="new@example.org", **overrides):
    fields = {"role": Role.REPRESENTATIVE, "language": "en", "actor": actor}
    if "organisation" not in overrides and "commission" not in overrides:
        overrides["organisation"] = make_city()
    fields.update(overrides)
    return services.invite(email, **fields)


# The service.


def test_an_invitation_is_mailed_after_commit_in_its_own_language(
    smtp_server, django_capture_on_commit_callbacks, tasks_run_on_enqueue
):
    admin = make_network_admin(preferred_language="en")
    rabat = make_city(name="Rabat")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(admin, "Fatima@Example.org", organisation=rabat, language="fr")
    assert invitation.email == "fatima@example.org"
    assert len(invitation.token) >= 40
    assert invitation.expires_at - timezone.now() > timedelta(days=13, hours=23)
    assert len(smtp_server) == 1
    message = smtp_server[0]
    assert message.envelope_recipients == ["fatima@example.org"]
    assert message["subject"] == "Vous êtes invité·e à rejoindre Entrevilles"
    text = message_text(message)
    assert "Représentant·e d’une organisation (Rabat)" in text
    assert f"/accounts/join/{invitation.token}/" in text
    entry = AuditEntry.objects.get(action="accounts.invitation.sent")
    assert entry.actor == admin
    assert entry.after["email"] == "fatima@example.org"


def test_no_mail_leaves_when_the_transaction_is_rolled_back(
    smtp_server, django_capture_on_commit_callbacks, tasks_run_on_enqueue
):
    admin = make_network_admin()
    city = make_city()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _invite(admin, organisation=city)
    assert len(callbacks) == 1
    assert smtp_server == []


def test_an_inconsistent_role_and_scope_is_refused_and_nothing_is_saved():
    admin = make_network_admin()
    with pytest.raises(ValidationError):
        services.invite("x@example.org", role=Role.SECRETARIAT, language="en", actor=admin)
    assert not Invitation.objects.exists()


def test_the_two_tokens_of_two_invitations_differ():
    admin = make_network_admin()
    assert _invite(admin).token != _invite(admin).token


# Accepting.


def test_a_new_person_accepts_sets_a_password_gets_the_role_and_is_logged_in(
    client, smtp_server, django_capture_on_commit_callbacks, tasks_run_on_enqueue
):
    admin = make_network_admin()
    rabat = make_city(name="Rabat")
    person = make_person(
        first_name="Fatima", last_name="Zahra", email="fatima@example.org", organisation=rabat
    )
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin, "fatima@example.org", organisation=rabat, person=person, language="fr")
    path = _accept_path(smtp_server[0])

    page = client.get(path)
    assert page.status_code == 200
    assert "Rejoindre Entrevilles" in page.text  # the invitation's language
    assert 'value="Fatima"' in page.text  # names come from the directory entry

    response = client.post(
        path,
        {
            "first_name": "Fatima",
            "last_name": "Zahra",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    user = User.objects.get(email="fatima@example.org")
    assert user.preferred_language == "fr"
    assert client.session["_auth_user_id"] == str(user.pk)
    person.refresh_from_db()
    assert person.user == user
    assert RoleAssignment.objects.filter(user=user, role=Role.REPRESENTATIVE, organisation=rabat)
    profile = client.get("/accounts/profile/")
    assert "Mes rôles" in profile.text and "Rabat" in profile.text

    # Later, the password works on the login page.
    client.logout()
    login = client.post(
        "/accounts/login/", {"username": "fatima@example.org", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302


def test_a_weak_or_mismatched_password_is_refused_with_reasons_and_nothing_is_created(client):
    invitation = _invite(make_network_admin())
    path = f"/accounts/join/{invitation.token}/"
    response = client.post(
        path,
        {"first_name": "A", "last_name": "B", "password1": "password", "password2": "password"},
    )
    assert response.status_code == 400
    assert "This password is too common" in response.text
    response = client.post(
        path,
        {
            "first_name": "A",
            "last_name": "B",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD + "x",
        },
    )
    assert response.status_code == 400
    assert "The two passwords differ" in response.text
    assert not User.objects.filter(email=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_unknown_token_gives_404(client):
    response = client.get("/accounts/join/not-a-token/")
    assert response.status_code == 404
    assert "Unknown invitation" in response.text


def test_an_expired_invitation_gives_410_with_the_reason(client):
    invitation = _invite(make_network_admin())
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(f"/accounts/join/{invitation.token}/")
    assert response.status_code == 410
    assert "It has expired" in response.text
    post = client.post(
        f"/accounts/join/{invitation.token}/",
        {"first_name": "A", "last_name": "B", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert post.status_code == 410
    assert not User.objects.filter(email=invitation.email).exists()


def test_a_revoked_invitation_gives_410(client):
    admin = make_network_admin()
    invitation = _invite(admin)
    services.revoke_invitation(invitation, actor=admin)
    response = client.get(f"/accounts/join/{invitation.token}/")
    assert response.status_code == 410
    assert "withdrawn" in response.text


def test_an_invitation_works_only_once(client):
    invitation = _invite(make_network_admin())
    data = {
        "first_name": "A",
        "last_name": "B",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    assert client.post(f"/accounts/join/{invitation.token}/", data).status_code == 302
    client.logout()
    response = client.get(f"/accounts/join/{invitation.token}/")
    assert response.status_code == 410
    assert "already accepted" in response.text


def test_an_existing_account_logs_in_first_then_gets_the_role(client, smtp_server):
    commission = make_commission(name="Digital cities")
    existing = make_user(email="known@example.org")
    invitation = services.invite(
        "known@example.org",
        role=Role.PRESIDENCY,
        commission=commission,
        language="en",
        actor=make_network_admin(),
    )
    path = f"/accounts/join/{invitation.token}/"
    page = client.get(path)
    assert page.status_code == 200
    assert "An account already uses this e-mail address" in page.text
    login = client.post(
        "/accounts/login/", {"username": "known@example.org", "password": PASSWORD, "next": path}
    )
    assert login["Location"] == path
    assert "Accept the role" in client.get(path).text
    response = client.post(path)
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(
        user=existing, role=Role.PRESIDENCY, commission=commission
    ).exists()


def test_someone_logged_in_with_another_account_cannot_take_the_invitation(client):
    invitation = _invite(make_network_admin(), "target@example.org")
    intruder = make_user(email="intruder@example.org")
    client.force_login(intruder)
    assert client.get(f"/accounts/join/{invitation.token}/").status_code == 403
    assert client.post(f"/accounts/join/{invitation.token}/").status_code == 403
    assert not RoleAssignment.objects.filter(user=intruder).exists()


# The invite page and the list.


def test_a_secretariat_invites_a_representative_of_a_member_city_from_the_page(
    client, smtp_server, django_capture_on_commit_callbacks, tasks_run_on_enqueue
):
    commission = make_commission()
    rabat = make_city(name="Rabat")
    make_membership(commission, rabat)
    secretariat = make_user()
    grant(secretariat, Role.SECRETARIAT, commission=commission)
    client.force_login(secretariat)
    page = client.get("/accounts/invite/")
    assert page.status_code == 200
    assert "Rabat" in page.text
    assert "Network administrator" not in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/invite/",
            {
                "email": "omar@example.org",
                "role": Role.REPRESENTATIVE,
                "organisation": rabat.pk,
                "language": "es",
            },
        )
    assert response.status_code == 302
    assert smtp_server[0]["subject"] == "Le invitamos a unirse a Entrevilles"
    listing = client.get("/accounts/invitations/")
    assert "omar@example.org" in listing.text


def test_a_forged_post_for_a_city_outside_the_secretariats_commission_is_refused(client):
    commission = make_commission()
    outsider = make_city(name="Lyon")
    secretariat = make_user()
    grant(secretariat, Role.SECRETARIAT, commission=commission)
    client.force_login(secretariat)
    response = client.post(
        "/accounts/invite/",
        {
            "email": "x@example.org",
            "role": Role.REPRESENTATIVE,
            "organisation": outsider.pk,
            "language": "en",
        },
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_a_representative_cannot_invite_a_network_administrator(client):
    rabat = make_city()
    representative = make_user()
    grant(representative, Role.REPRESENTATIVE, organisation=rabat)
    client.force_login(representative)
    response = client.post(
        "/accounts/invite/",
        {"email": "x@example.org", "role": Role.NETWORK_ADMIN, "language": "en"},
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_a_missing_scope_is_explained(client):
    client.force_login(make_network_admin())
    response = client.post(
        "/accounts/invite/",
        {"email": "x@example.org", "role": Role.SECRETARIAT, "language": "en"},
    )
    assert response.status_code == 400
    assert "Choose the commission for this role" in response.text


@pytest.mark.parametrize("role", [None, Role.PRESIDENCY])
def test_people_who_may_not_invite_get_403_on_the_invitation_pages(client, role):
    user = make_user()
    if role:
        grant(user, role, commission=make_commission())
    client.force_login(user)
    assert client.get("/accounts/invite/").status_code == 403
    assert client.get("/accounts/invitations/").status_code == 403


def test_visitors_are_sent_to_the_login_page(client):
    response = client.get("/accounts/invite/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_resend_renews_the_link_and_mails_it_again(
    client, smtp_server, django_capture_on_commit_callbacks, tasks_run_on_enqueue
):
    admin = make_network_admin()
    invitation = _invite(admin)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + timedelta(days=1)
    )
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/accounts/invitations/{invitation.pk}/resend/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.expires_at - timezone.now() > timedelta(days=13)
    assert len(smtp_server) == 1
    assert invitation.token in message_text(smtp_server[0])


def test_revoking_from_the_list_stops_the_link(client):
    admin = make_network_admin()
    invitation = _invite(admin)
    client.force_login(admin)
    assert client.get(f"/accounts/invitations/{invitation.pk}/revoke/").status_code == 405
    assert client.post(f"/accounts/invitations/{invitation.pk}/revoke/").status_code == 302
    client.logout()
    assert client.get(f"/accounts/join/{invitation.token}/").status_code == 410


def test_a_representative_cannot_revoke_another_organisations_invitation(client):
    admin = make_network_admin()
    invitation = _invite(admin, organisation=make_city())
    representative = make_user()
    grant(representative, Role.REPRESENTATIVE, organisation=make_city())
    client.force_login(representative)
    assert client.post(f"/accounts/invitations/{invitation.pk}/revoke/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert invitation.email not in client.get("/accounts/invitations/").text


def test_the_invitation_list_is_built_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    admin = make_network_admin()
    for n in range(15):
        _invite(admin, f"p{n}@example.org")
    client.force_login(admin)
    with django_assert_max_num_queries(10):
        response = client.get("/accounts/invitations/")
    assert response.text.count("/resend/") == 15


def test_a_representative_is_offered_only_the_representative_role_for_its_organisation(client):
    rabat = make_city(name="Rabat")
    make_city(name="Lyon")
    representative = make_user()
    grant(representative, Role.REPRESENTATIVE, organisation=rabat)
    client.force_login(representative)
    page = client.get("/accounts/invite/")
    assert page.status_code == 200
    assert 'value="representative"' in page.text
    assert 'value="secretariat"' not in page.text
    assert "Rabat" in page.text and "Lyon" not in page.text


def test_inviting_from_a_directory_entry_fills_in_its_address_and_language(client):
    rabat = make_city(name="Rabat")
    person = make_person(email="salma@example.org", organisation=rabat, preferred_language="fr")
    representative = make_user()
    grant(representative, Role.REPRESENTATIVE, organisation=rabat)
    client.force_login(representative)
    page = client.get(f"/accounts/invite/?person={person.pk}&role=representative")
    assert 'value="salma@example.org"' in page.text
    assert '<option value="fr" selected>' in page.text
    response = client.post(
        "/accounts/invite/",
        {
            "email": "salma@example.org",
            "role": Role.REPRESENTATIVE,
            "organisation": rabat.pk,
            "person": person.pk,
            "language": "fr",
        },
    )
    assert response.status_code == 302
    assert Invitation.objects.get().person == person


def test_a_representative_cannot_attach_their_own_address_to_someone_elses_entry(client):
    rabat = make_city(name="Rabat")
    stranger = make_person(email="mayor@example.org", organisation=make_city(name="Lyon"))
    representative = make_user()
    grant(representative, Role.REPRESENTATIVE, organisation=rabat)
    client.force_login(representative)
    response = client.post(
        "/accounts/invite/",
        {
            "email": "me-again@example.org",
            "role": Role.REPRESENTATIVE,
            "organisation": rabat.pk,
            "person": stranger.pk,
            "language": "en",
        },
    )
    assert response.status_code == 400
    assert "only invite the directory entry of this address" in response.text
    assert not Invitation.objects.exists()


def test_an_empty_post_on_the_invite_page_names_the_missing_fields(client):
    client.force_login(make_network_admin())
    response = client.post("/accounts/invite/", {})
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert not Invitation.objects.exists()


def test_with_many_organisations_the_form_asks_for_the_directory_number(client, monkeypatch):
    from accounts import forms

    monkeypatch.setattr(forms, "ORGANISATION_SELECT_LIMIT", 1)
    make_city(name="Lyon")
    bilbao = make_city(name="Bilbao")
    client.force_login(make_network_admin())
    page = client.get("/accounts/invite/")
    assert 'type="number" name="organisation"' in page.text
    assert "Lyon" not in page.text  # no drop-down of every organisation
    response = client.post(
        "/accounts/invite/",
        {
            "email": "x@example.org",
            "role": Role.REPRESENTATIVE,
            "organisation": bilbao.pk,
            "language": "es",
        },
    )
    assert response.status_code == 302
    assert Invitation.objects.get().organisation == bilbao
    missing = client.post(
        "/accounts/invite/",
        {
            "email": "y@example.org",
            "role": Role.REPRESENTATIVE,
            "organisation": 999999,
            "language": "es",
        },
    )
    assert missing.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_invitation_mail_waits_for_the_worker(
    settings, smtp_server, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    admin = make_network_admin()
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin, email="later@example.org")
    assert smtp_server == []
    call_command("db_worker", batch=True, queue_name="*", interval=0.1, reload=False)
    assert [m.envelope_recipients for m in smtp_server] == [["later@example.org"]]
