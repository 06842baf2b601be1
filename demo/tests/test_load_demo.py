from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from accounts.models import Role, RoleAssignment, User
from audit.models import AuditEntry
from commissions.models import Commission, CommissionMembership, Presidency, Secretariat
from demo.world import DEMO_LOGINS, DEMO_PASSWORD
from network.models import Organisation, Person

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Organisation,
            Person,
            Commission,
            CommissionMembership,
            Presidency,
            Secretariat,
            User,
            RoleAssignment,
        )
    }


@pytest.fixture
def demo(settings):
    # The demo hashes six passwords; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", stdout=StringIO())


def test_loading_the_demo_twice_gives_the_same_data(demo):
    first = _counts()
    call_command("load_demo", stdout=StringIO())
    assert _counts() == first
    assert first["Organisation"] >= 40
    assert 60 <= first["Person"] <= 80


def test_the_seed_world_is_there(demo):
    secretariat = Organisation.objects.get(external_ref="demo:world-secretariat")
    assert secretariat.kind == "secretariat"
    assert secretariat.country.code == "ES"
    durban = Organisation.objects.get(external_ref="demo:durban")
    assert (durban.country.code, durban.size_class, durban.region.code) == (
        "ZA",
        "metropolis",
        "africa",
    )
    assert Organisation.objects.get(external_ref="demo:rabat").size_class == "intermediary"
    regions = set(Organisation.objects.values_list("region__code", flat=True))
    assert len(regions) == 7


def test_names_differ_in_french_where_they_should(demo):
    secretariat = Organisation.objects.get(external_ref="demo:world-secretariat")
    planning = Commission.objects.get(slug="strategic-urban-planning")
    with translation.override("fr"):
        assert secretariat.name == "Secrétariat mondial"
        assert planning.name == "Commission Planification stratégique urbaine"
        # Same name in every language: French falls back to English.
        assert Organisation.objects.get(external_ref="demo:rabat").name == "Rabat"
    with translation.override("es"):
        assert Commission.objects.get(slug="digital-knowledge-cities").name == (
            "Comisión de Ciudades Digitales y del Conocimiento"
        )


def test_the_commissions_have_their_presidencies_and_secretariats(demo):
    planning = Commission.objects.get(slug="strategic-urban-planning")
    presiding = {(p.organisation.external_ref, p.role) for p in planning.presidencies.current()}
    assert ("demo:durban", "president") in presiding
    assert ("demo:porto-alegre", "co_president") in presiding
    assert set(planning.secretariats.values_list("organisation__external_ref", flat=True)) == {
        "demo:durban",
        "demo:porto-alegre",
    }
    digital = Commission.objects.get(slug="digital-knowledge-cities")
    assert digital.presidencies.current().get(role="president").organisation.name == "Bilbao"
    assert 20 <= planning.members.count() <= 30
    assert 20 <= digital.members.count() <= 30


def test_every_demo_login_has_its_role_and_person(demo, client):
    roles = {
        (a.user.email, a.role, getattr(a.commission, "slug", None), str(a.organisation or ""))
        for a in RoleAssignment.objects.select_related("user", "commission", "organisation")
    }
    assert roles == {
        ("admin@example.org", Role.NETWORK_ADMIN, None, ""),
        ("secretariat.planning@example.org", Role.SECRETARIAT, "strategic-urban-planning", ""),
        ("secretariat.digital@example.org", Role.SECRETARIAT, "digital-knowledge-cities", ""),
        ("presidency.durban@example.org", Role.PRESIDENCY, "strategic-urban-planning", ""),
        ("officer.rabat@example.org", Role.REPRESENTATIVE, None, "Rabat"),
        ("partner@example.org", Role.REPRESENTATIVE, None, "UN-Habitat"),
    }
    for email, _description in DEMO_LOGINS:
        assert User.objects.get(email=email).person.email == email
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)


def test_demo_people_are_fictional_and_nobody_is_named_as_author_in_the_audit_log(demo):
    assert not Person.objects.exclude(email__endswith="@example.org").exists()
    # Demo records written through services are the system's, never a person's.
    assert not AuditEntry.objects.exclude(actor=None).exists()
