from io import StringIO

import pytest
from django.core.management import call_command

from audit.models import AuditEntry
from commissions.models import Commission, CommissionMembership, Presidency, Secretariat
from demo.commissions import COMMISSIONS
from network.models import Organisation, Person, SizeClass

pytestmark = pytest.mark.django_db

SMALL = ["--organisations", "2000", "--people", "300", "--commissions", "8"]


@pytest.fixture
def generated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = StringIO()
    call_command("load_demo", *SMALL, stdout=out)
    return out.getvalue()


def test_the_generator_tops_the_demo_up_to_the_requested_sizes(generated):
    assert Organisation.objects.count() == 2000
    assert Person.objects.count() == 300
    assert Commission.objects.count() == 8
    # The demo world is still there, underneath.
    assert Organisation.objects.filter(external_ref="demo:durban").exists()
    assert "organisations: 2,000 / 2,000" in generated


def _every_kind_of_organisation_is_generated_from_real_places():
    kinds = set(Organisation.objects.values_list("kind", flat=True).distinct())
    assert kinds == {
        "local_government",
        "regional_government",
        "association",
        "partner",
        "secretariat",
    }
    tokyo = Organisation.objects.get(name_en="Tokyo", kind="local_government")
    assert tokyo.country.code == "JP"
    assert tokyo.region.code == "asia-pacific"
    assert tokyo.size_class == SizeClass.METROPOLIS
    assert tokyo.search_name == "tokyo"
    # The demo's Durban is the GeoNames Durban: it is not added a second time.
    assert Organisation.objects.filter(name_en="Durban").count() == 1
    assert Organisation.objects.filter(
        kind="regional_government", name_fr__startswith="Région"
    ).exists()


def _generated_commissions_have_members_presidents_and_secretariats():
    demo_slugs = list(COMMISSIONS)
    generated_commissions = Commission.objects.exclude(slug__in=demo_slugs)
    assert generated_commissions.count() == 3
    for commission in generated_commissions:
        assert CommissionMembership.objects.filter(commission=commission).count() >= 300
        assert Presidency.objects.current().filter(commission=commission, role="president").exists()
        assert Secretariat.objects.filter(commission=commission).exists()


def test_running_the_generator_again_creates_nothing(generated):
    counts = (Organisation.objects.count(), Person.objects.count(), Commission.objects.count())
    memberships = CommissionMembership.objects.count()
    call_command("load_demo", *SMALL, stdout=StringIO())
    assert (
        Organisation.objects.count(),
        Person.objects.count(),
        Commission.objects.count(),
    ) == counts
    assert CommissionMembership.objects.count() == memberships


def _generated_people_are_fictional_and_nothing_is_audited():
    assert not Person.objects.exclude(email__endswith="example.org").exists()
    assert not AuditEntry.objects.exclude(actor=None).exists()


def test_the_generated_network_is_plausible_and_fictional(generated):
    # One generation, several checks: generating is the slow part of these tests.
    _every_kind_of_organisation_is_generated_from_real_places()
    _generated_commissions_have_members_presidents_and_secretariats()
    _generated_people_are_fictional_and_nothing_is_audited()
