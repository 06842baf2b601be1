import io

import pytest

from audit.models import AuditEntry
from commissions import demo
from commissions.models import Commission, CommissionMembership, Presidency, Secretariat
from network.models import OrganisationKind

from .factories import make_organisation, make_person

pytestmark = pytest.mark.django_db


def _seed_world():
    refs = ["durban", "porto-alegre", "bilbao", "rabat", "lyon", "quito"]
    cities = {ref: make_organisation(external_ref=f"demo:{ref}") for ref in refs}
    secretariat = make_organisation(
        external_ref="demo:world-secretariat", kind=OrganisationKind.SECRETARIAT
    )
    for organisation in [*cities.values(), secretariat]:
        make_person(organisation=organisation)
    return cities


def test_the_demo_builds_the_circulars_commissions_and_runs_twice_unchanged():
    cities = _seed_world()
    out = io.StringIO()
    demo.load_demo(stdout=out)
    planning = Commission.objects.get(slug="strategic-urban-planning")
    assert planning.name_fr == "Commission Planification urbaine stratégique"
    presiding = set(
        Presidency.objects.filter(commission=planning).values_list("organisation", flat=True)
    )
    assert presiding == {cities["durban"].pk, cities["porto-alegre"].pk}
    digital = Commission.objects.get(slug="digital-knowledge-cities")
    assert Presidency.objects.get(commission=digital).organisation == cities["bilbao"]
    assert Secretariat.objects.get(commission=digital).contacts.count() == 1
    assert CommissionMembership.objects.filter(commission=planning).count() == 6
    assert "strategic-urban-planning: 6 members" in out.getvalue()

    counts = (
        Commission.objects.count(),
        CommissionMembership.objects.count(),
        Presidency.objects.count(),
        AuditEntry.objects.count(),
    )
    demo.load_demo()
    assert counts == (
        Commission.objects.count(),
        CommissionMembership.objects.count(),
        Presidency.objects.count(),
        AuditEntry.objects.count(),
    )


def test_the_demo_runs_without_the_network_demo():
    demo.load_demo()
    assert Commission.objects.filter(slug="strategic-urban-planning").exists()
    assert not Presidency.objects.exists()
