"""Roles kept between requests: granted or withdrawn, they count at the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.models import Role, RoleAssignment

from .factories import make_user

pytestmark = pytest.mark.django_db


def test_a_role_granted_then_withdrawn_counts_at_the_next_request(client):
    lea = make_user(email="lea@example.org")
    client.force_login(lea)
    assert client.get(reverse("ops:mailbox")).status_code == 403
    assignment = services.grant_role(lea, Role.NETWORK_ADMIN, actor=None)
    assert client.get(reverse("ops:mailbox")).status_code == 200
    assert "Back office" in client.get(reverse("home")).content.decode()
    services.withdraw_role(assignment, actor=None)
    assert client.get(reverse("ops:mailbox")).status_code == 403
    assert "Back office" not in client.get(reverse("home")).content.decode()


def test_a_role_moved_to_another_person_leaves_the_first(client):
    nadia = make_user(Role.NETWORK_ADMIN, email="nadia@example.org")
    lea = make_user(email="lea@example.org")
    client.force_login(nadia)
    assert client.get(reverse("ops:mailbox")).status_code == 200
    assignment = RoleAssignment.objects.get(user=nadia)
    assignment.user = lea
    assignment.save()
    assert client.get(reverse("ops:mailbox")).status_code == 403
    client.force_login(lea)
    assert client.get(reverse("ops:mailbox")).status_code == 200


def test_each_person_has_their_own_roles(client):
    nadia = make_user(Role.NETWORK_ADMIN, email="nadia@example.org")
    lea = make_user(email="lea@example.org")
    client.force_login(nadia)
    assert client.get(reverse("ops:mailbox")).status_code == 200
    client.force_login(lea)
    assert client.get(reverse("ops:mailbox")).status_code == 403


def test_a_repeated_page_reads_no_role(client):
    nadia = make_user(Role.NETWORK_ADMIN, email="nadia@example.org")
    client.force_login(nadia)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as queries:
        assert "Back office" in client.get(reverse("home")).content.decode()
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "accounts_roleassignment" not in read
