import io

import pytest

from accounts import demo
from accounts.models import Role, RoleAssignment, User
from audit.models import AuditEntry
from network.models import OrganisationKind
from ops.demo import DEMO_LOGINS, DEMO_PASSWORD

from .factories import make_city, make_commission, make_person

pytestmark = pytest.mark.django_db


def _demo_world():
    make_commission(slug="strategic-urban-planning")
    make_commission(slug="digital-knowledge-cities")
    make_city(name="Rabat", external_ref="demo:rabat")
    make_city(name="UN-Habitat", kind=OrganisationKind.PARTNER, external_ref="demo:un-habitat")
    make_person(email="officer.rabat@example.org")


def test_every_demo_login_exists_with_its_role_and_loading_twice_changes_nothing(client):
    _demo_world()
    demo.load_demo(stdout=io.StringIO())
    counts = (User.objects.count(), RoleAssignment.objects.count(), AuditEntry.objects.count())
    demo.load_demo(stdout=io.StringIO())
    assert counts == (
        User.objects.count(),
        RoleAssignment.objects.count(),
        AuditEntry.objects.count(),
    )
    for email, _label in DEMO_LOGINS:
        user = User.objects.get(email=email)
        assert user.role_assignments.exists(), email
    assert User.objects.get(email="admin@example.org").role_assignments.get().role == (
        Role.NETWORK_ADMIN
    )
    rabat_officer = User.objects.get(email="officer.rabat@example.org")
    assert rabat_officer.person.email == "officer.rabat@example.org"
    response = client.post(
        "/accounts/login/", {"username": "partner@example.org", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_a_missing_commission_is_reported_not_fatal():
    out = io.StringIO()
    demo.load_demo(stdout=out)
    assert "strategic-urban-planning missing" in out.getvalue()
    assert User.objects.get(email="admin@example.org").role_assignments.exists()
