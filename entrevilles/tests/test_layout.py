"""The layout's parts rendered once per process (the navigation, the language menu, the
footer): each reader still gets them in their own language, and the links of their own
state (signed in or not, their roles)."""

import pytest

from accounts.models import Role
from accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_each_language_gets_its_own_navigation_one_after_the_other(client):
    for language, directory, privacy in (
        ("en", "Directory", "Privacy"),
        ("fr", "Annuaire", "Confidentialité"),
        ("es", "Directorio", "Privacidad"),
        ("en", "Directory", "Privacy"),
    ):
        page = client.get("/commissions/", HTTP_ACCEPT_LANGUAGE=language).text
        assert f'<html lang="{language}">' in page
        assert f">{directory}</a>" in page
        assert f">{privacy}</a>" in page
        assert f'value="{language}" lang="{language}" selected' in page


def test_the_header_links_follow_the_reader(client):
    visitor = client.get("/commissions/").text
    assert 'href="/accounts/login/?next=/commissions/"' in visitor
    assert 'href="/accounts/profile/"' not in visitor
    admin = make_user(Role.NETWORK_ADMIN, first_name="Nadia", last_name="Ouali")
    client.force_login(admin)
    signed_in = client.get("/commissions/").text
    assert 'href="/accounts/profile/" title="Your profile">Nadia Ouali</a>' in signed_in
    assert 'href="/admin/">Back office</a>' in signed_in
    assert 'href="/accounts/login/' not in signed_in
    client.force_login(make_user())
    assert 'href="/admin/"' not in client.get("/commissions/").text
