"""Personal API tokens: made and revoked on the profile page, shown once, kept hashed."""

import re

import pytest
from rest_framework.test import APIClient

from accounts.models import PersonalToken
from audit.models import AuditEntry

from .factories import make_user

pytestmark = pytest.mark.django_db


def _create(client, name="report script"):
    response = client.post("/accounts/tokens/", {"name": name})
    assert response.status_code == 200
    return re.search(r'id="new-token">([^<]+)<', response.text).group(1), response


def test_a_person_creates_a_token_and_the_api_knows_them_by_it(client):
    user = make_user()
    client.force_login(user)
    key, page = _create(client)
    assert "shown only this once" in page.text
    assert f"Authorization: Token {key}" in page.text
    token = PersonalToken.objects.get(user=user)
    assert key not in (token.digest, token.prefix) and token.last_used_at is None

    api = APIClient()
    assert api.get("/api/circulars/").status_code in (401, 403)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/circulars/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    profile = client.get("/accounts/profile/").text
    assert "report script" in profile and key[:8] in profile
    assert key not in profile
    assert AuditEntry.objects.filter(action="accounts.token.created").exists()


def test_a_revoked_token_stops_working_at_once(client):
    user = make_user()
    client.force_login(user)
    key, _page = _create(client)
    token = PersonalToken.objects.get()
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get("/api/circulars/")
    assert response.status_code == 401
    assert "unknown or was revoked" in response.json()["detail"]
    assert "<td>report script</td>" not in client.get("/accounts/profile/").text


def test_nobody_revokes_another_persons_token(client):
    owner, other = make_user(), make_user()
    client.force_login(owner)
    _create(client)
    token = PersonalToken.objects.get()
    client.force_login(other)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_without_a_name_is_refused(client):
    client.force_login(make_user())
    response = client.post("/accounts/tokens/", {"name": "  "}, follow=True)
    assert "Give the token a name" in response.text
    assert not PersonalToken.objects.exists()
