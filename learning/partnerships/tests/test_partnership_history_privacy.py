"""A partnership's history names who changed its status without showing their login
address: a person's address follows their own visibility choice, never a history line."""

import pytest
from django.urls import reverse

from accounts.models import User
from learning.groups.tests.factories import make_organisation, make_partnership
from learning.partnerships import services

pytestmark = pytest.mark.django_db


def test_the_history_of_a_partnership_never_shows_a_login_address(client):
    partnership = make_partnership(
        parties=[make_organisation(name="Durban"), make_organisation(name="Mzuzu")]
    )
    nameless = User.objects.create_user(email="quiet.officer@example.org", password=None)
    services.change_partnership_status(partnership, "completed", actor=nameless)
    page = client.get(reverse("learning:partnership", args=[partnership.pk])).content.decode()
    assert "quiet.officer@example.org" not in page
    assert "a member of the network" in page
