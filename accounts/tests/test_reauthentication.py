"""Sensitive actions (approving and sending circulars, changing roles, inviting) ask for
the password again, and the code when enrolled, once the last check is a few minutes old."""

import time

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts import services
from accounts.authentication import CHECKED_AT
from circulars.models import CircularStatus, SegmentKind
from circulars.tests.factories import make_circular
from commissions.tests.factories import make_membership
from conftest import current_code, enrol_second_factor

from .factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def circular(commission, member_city):
    make_membership(commission, member_city)
    return make_circular(
        commissions=[commission],
        audience=[{"kind": SegmentKind.COMMISSION_MEMBERS, "commission": commission}],
    )


def _age_the_check(client, minutes=60):
    session = client.session
    session[CHECKED_AT] = time.time() - minutes * 60
    session.save()


def test_a_secretariat_confirms_the_password_before_approving_a_circular(
    client, secretariat, circular
):
    detail = f"/circulars/{circular.pk}/"
    client.force_login(secretariat)
    _age_the_check(client)
    response = client.post(f"/circulars/{circular.pk}/approve/", HTTP_REFERER=detail)
    assert response["Location"] == f"/accounts/confirm/?next=%2Fcirculars%2F{circular.pk}%2F"
    circular.refresh_from_db()
    assert circular.status == CircularStatus.DRAFT

    page = client.get(response["Location"])
    assert "This action needs a recent confirmation of your password" in page.text
    wrong = client.post(response["Location"], {"password": "not-it"})
    assert wrong.status_code == 400
    assert "This is not your password" in wrong.text
    right = client.post(response["Location"], {"password": PASSWORD})
    assert right["Location"] == detail

    client.post(f"/circulars/{circular.pk}/approve/", HTTP_REFERER=detail)
    circular.refresh_from_db()
    assert circular.status == CircularStatus.APPROVED


def test_a_recent_login_needs_no_second_confirmation(client, secretariat, circular):
    client.force_login(secretariat)
    client.post(f"/circulars/{circular.pk}/approve/")
    circular.refresh_from_db()
    assert circular.status == CircularStatus.APPROVED


def test_an_enrolled_person_confirms_with_password_and_code(client, secretariat):
    enrol_second_factor(secretariat)
    client.force_login(secretariat)
    _age_the_check(client)
    url = "/accounts/confirm/?next=/circulars/"
    alone = client.post(url, {"password": PASSWORD})
    assert alone.status_code == 400
    device = TOTPDevice.objects.get(user=secretariat)
    both = client.post(url, {"password": PASSWORD, "code": current_code(device)})
    assert both["Location"] == "/circulars/"


def test_sending_from_the_api_needs_a_recent_check_in_a_browser_session_but_not_with_a_token(
    secretariat, circular
):
    browser = APIClient()
    browser.force_login(secretariat)
    _age_the_check(browser)
    refused = browser.post(f"/api/circulars/{circular.pk}/approve/")
    assert refused.status_code == 403
    assert "/accounts/confirm/" in refused.json()["detail"]

    _token, key = services.create_personal_token(
        secretariat, name="mailing script", actor=secretariat
    )
    script = APIClient()
    script.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert script.post(f"/api/circulars/{circular.pk}/approve/").status_code == 200
    circular.refresh_from_db()
    assert circular.status == CircularStatus.APPROVED


def test_roles_in_the_back_office_and_the_invitation_page_ask_for_a_recent_check(
    client, administrator
):
    client.force_login(administrator)
    _age_the_check(client)
    for page in ("/admin/accounts/roleassignment/add/", f"/admin/accounts/user/{administrator.pk}/change/", "/accounts/invite/"):  # fmt: skip
        assert client.get(page)["Location"].startswith("/accounts/confirm/?next="), page
    client.post("/accounts/confirm/", {"password": PASSWORD})
    assert client.get("/admin/accounts/roleassignment/add/").status_code == 200
    assert client.get("/accounts/invite/").status_code == 200
