"""Two-step login: administrators and secretariats must set it up, anyone may; once set
up, the password alone no longer opens the account, the back office included."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from audit.models import AuditEntry
from commissions.tests.factories import make_commission
from conftest import current_code, enrol_second_factor

from .factories import PASSWORD, grant, make_network_admin, make_user

pytestmark = pytest.mark.django_db


def _password_step(client, user, next_url=""):
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


def test_an_enrolled_administrator_cannot_log_in_without_the_code(client):
    admin = make_network_admin()
    enrol_second_factor(admin)
    response = _password_step(client, admin)
    assert response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session
    # Skipping the code step leads nowhere.
    assert client.get("/admin/").status_code == 302
    assert "_auth_user_id" not in client.session
    wrong = client.post("/accounts/login/code/", {"code": "000000"})
    assert wrong.status_code == 400
    assert "This code is not valid" in wrong.text
    assert "_auth_user_id" not in client.session


def test_an_enrolled_administrator_logs_in_with_the_code_and_reaches_the_back_office(client):
    admin = make_network_admin()
    enrol_second_factor(admin)
    _password_step(client, admin, next_url="/admin/")
    device = TOTPDevice.objects.get(user=admin)
    response = client.post("/accounts/login/code/", {"code": current_code(device)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_works_once(client):
    user = make_user()
    codes = enrol_second_factor(user)
    _password_step(client, user)
    response = client.post("/accounts/login/code/", {"code": codes[0]}, follow=True)
    assert "You used a recovery code; 9 remain" in response.text
    client.post("/accounts/logout/")
    _password_step(client, user)
    assert client.post("/accounts/login/code/", {"code": codes[0]}).status_code == 400


def test_a_new_secretariat_is_sent_to_enrol_and_kept_there_until_done(client):
    secretariat = make_user()
    grant(secretariat, Role.SECRETARIAT, commission=make_commission())
    response = _password_step(client, secretariat, next_url="/accounts/profile/")
    assert response.status_code == 302
    held = client.get("/accounts/profile/")
    assert held["Location"].startswith("/accounts/two-factor/?next=")
    assert client.get("/directory/")["Location"].startswith("/accounts/two-factor/")
    api = client.get("/api/organisations/")
    assert api.status_code == 403
    page = client.get(held["Location"])
    assert "Your role gives you power" in page.text
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.text).group(1)
    assert "<svg" in page.text and secret
    device = TOTPDevice.objects.get(user=secretariat, confirmed=False)
    done = client.post(held["Location"], {"code": current_code(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", done.text)
    assert len(codes) == 10
    assert 'href="/accounts/profile/"' in done.text
    assert client.get("/accounts/profile/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.second_factor.enabled").exists()


def test_the_recovery_codes_are_shown_once_only(client):
    user = make_user()
    client.force_login(user)
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=user)
    done = client.post("/accounts/two-factor/", {"code": current_code(device)})
    code = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", done.text)[0]
    assert code not in client.get("/accounts/profile/").text


def test_a_wrong_code_does_not_confirm_the_enrolment(client):
    user = make_user()
    client.force_login(user)
    client.get("/accounts/two-factor/")
    response = client.post("/accounts/two-factor/", {"code": "123456"})
    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_a_member_without_a_role_may_log_in_without_a_second_factor(client):
    user = make_user()
    _password_step(client, user)
    assert client.get("/accounts/profile/").status_code == 200
    assert "Set up two-step login" in client.get("/accounts/profile/").text


@pytest.mark.bare_force_login
def test_a_session_that_skipped_the_code_step_is_asked_for_it(client):
    admin = make_network_admin()
    enrol_second_factor(admin)
    client.force_login(admin)
    response = client.get("/directory/")
    assert response["Location"].startswith("/accounts/two-factor/verify/")


def test_the_second_factor_page_is_in_french_for_a_french_reader(client):
    user = make_user(preferred_language="fr")
    enrol_second_factor(user)
    _password_step(client, user)
    client.cookies["entrevilles_language"] = "fr"
    assert "Deuxième étape de votre connexion" in client.get("/accounts/login/code/").text


def test_a_member_may_switch_the_second_factor_off_but_an_administrator_may_not(client):
    member = make_user()
    enrol_second_factor(member)
    client.force_login(member)
    client.post("/accounts/two-factor/remove/")
    assert not TOTPDevice.objects.filter(user=member).exists()
    admin = make_network_admin()
    enrol_second_factor(admin)
    client.force_login(admin)
    assert client.post("/accounts/two-factor/remove/").status_code == 403
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_wrong_codes_count_as_failed_logins(client):
    user = make_user()
    enrol_second_factor(user)
    _password_step(client, user)
    for _ in range(10):
        client.post("/accounts/login/code/", {"code": "000000"})
    device = TOTPDevice.objects.get(user=user)
    response = client.post("/accounts/login/code/", {"code": current_code(device)})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_password_alone_cannot_replace_or_remove_the_authenticator_app(client):
    admin = make_network_admin()
    enrol_second_factor(admin)
    original = TOTPDevice.objects.get(user=admin)
    # The back office's login page checks the password only.
    client.post("/admin/login/", {"username": admin.email, "password": PASSWORD})
    setup = client.get("/accounts/two-factor/")
    assert setup["Location"].startswith("/accounts/two-factor/verify/")
    assert client.post("/accounts/two-factor/recovery-codes/").status_code == 302
    assert client.post("/accounts/two-factor/remove/").status_code == 302
    assert list(TOTPDevice.objects.filter(user=admin)) == [original]


def test_a_recovery_code_may_be_typed_without_its_dash_and_in_capitals(client):
    user = make_user()
    codes = enrol_second_factor(user)
    _password_step(client, user)
    typed = codes[1].replace("-", " ").upper()
    assert client.post("/accounts/login/code/", {"code": typed}).status_code == 302
    assert "_auth_user_id" in client.session
