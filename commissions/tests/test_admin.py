import pytest
from django.urls import reverse

from audit.models import AuditEntry
from commissions.models import CommissionMembership, Presidency

from .factories import make_commission, make_organisation, make_person

pytestmark = pytest.mark.django_db

STAFF_PERSONAS = [
    "administrator",
    "secretariat",
    "other_secretariat",
    "presidency",
    "city_officer",
    "outsider",
]


def assert_refused(response):
    """The back office turns away people without the role: to its login page, or 403."""
    if response.status_code == 302:
        assert response.url.startswith("/admin/login/")
    else:
        assert response.status_code == 403


@pytest.fixture
def commission():
    return make_commission(name_en="Strategic Urban Planning", mandate_en="Old mandate")


@pytest.fixture
def people(request):
    people = {name: request.getfixturevalue(name) for name in STAFF_PERSONAS}
    # The back office needs staff status; permissions decide what each one sees there.
    for persona in STAFF_PERSONAS:
        people[persona].is_staff = True
        people[persona].save()
    return people


def _change_data(commission, **overrides):
    data = {
        "name_en": commission.name_en,
        "name_fr": commission.name_fr or "",
        "name_es": commission.name_es or "",
        "kind": commission.kind,
        "mandate_en": commission.mandate_en or "",
        "mandate_fr": "",
        "mandate_es": "",
        "email": "",
        "is_active": "on",
        "presidencies-TOTAL_FORMS": "0",
        "presidencies-INITIAL_FORMS": "0",
        "secretariats-TOTAL_FORMS": "0",
        "secretariats-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", STAFF_PERSONAS)
def test_the_changelist_shows_only_the_commissions_one_may_edit(
    client, commission, people, persona
):
    client.force_login(people[persona])
    response = client.get(reverse("admin:commissions_commission_changelist"))
    if persona in {"administrator", "secretariat", "other_secretariat"}:
        assert response.status_code == 200
        listed = "Strategic Urban Planning" in response.content.decode()
        assert listed is (persona in {"administrator", "secretariat"})
    else:
        assert_refused(response)


@pytest.mark.parametrize("persona", STAFF_PERSONAS)
def test_only_admins_and_the_secretariat_change_a_commission_in_the_back_office(
    client, commission, people, persona
):
    client.force_login(people[persona])
    url = reverse("admin:commissions_commission_change", args=[commission.pk])
    response = client.post(url, _change_data(commission, mandate_en="New mandate"))
    commission.refresh_from_db()
    if persona in {"administrator", "secretariat"}:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert commission.mandate_en == "New mandate"
        entry = AuditEntry.objects.get(action="commissions.commission.updated")
        assert entry.actor == people[persona]
        assert entry.commission == commission
    else:
        assert response.status_code in (302, 403, 404)
        assert commission.mandate_en == "Old mandate"


def test_only_network_admins_add_commissions_in_the_back_office(client, people):
    client.force_login(people["secretariat"])
    assert_refused(client.get(reverse("admin:commissions_commission_add")))
    client.force_login(people["administrator"])
    assert client.get(reverse("admin:commissions_commission_add")).status_code == 200


def test_a_presidency_added_in_the_back_office_goes_through_the_rules(client, commission, people):
    client.force_login(people["secretariat"])
    durban = make_organisation(name_en="Durban")
    stranger = make_person()
    url = reverse("admin:commissions_commission_change", args=[commission.pk])
    presidency = {
        "presidencies-TOTAL_FORMS": "1",
        "presidencies-0-role": "president",
        "presidencies-0-organisation": str(durban.pk),
        "presidencies-0-person": str(stranger.pk),
        "presidencies-0-start_date": "2020-01-01",
        "presidencies-0-end_date": "2019-01-01",
    }
    response = client.post(url, _change_data(commission, **presidency))
    assert response.status_code == 200
    page = response.content.decode()
    assert "A term cannot end before it starts." in page
    assert not Presidency.objects.exists()

    mayor = make_person(organisation=durban)
    presidency.update(
        {"presidencies-0-person": str(mayor.pk), "presidencies-0-end_date": "2024-12-31"}
    )
    response = client.post(url, _change_data(commission, **presidency))
    assert response.status_code == 302
    saved = Presidency.objects.get()
    assert (saved.organisation, saved.person) == (durban, mayor)
    assert AuditEntry.objects.filter(
        action="commissions.presidency.created", commission=commission
    ).exists()


def test_secretariat_contacts_from_another_organisation_are_refused(client, commission, people):
    client.force_login(people["administrator"])
    bilbao = make_organisation(name_en="Bilbao")
    outsider = make_person()
    url = reverse("admin:commissions_commission_change", args=[commission.pk])
    data = _change_data(
        commission,
        **{
            "secretariats-TOTAL_FORMS": "1",
            "secretariats-0-organisation": str(bilbao.pk),
            "secretariats-0-contacts": str(outsider.pk),
        },
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "does not belong to Bilbao" in response.content.decode()
    assert not commission.secretariats.exists()


def test_a_secretariat_adds_a_member_only_to_its_own_commission_in_the_back_office(
    client, commission, people
):
    client.force_login(people["secretariat"])
    rabat = make_organisation()
    other = make_commission()
    url = reverse("admin:commissions_commissionmembership_add")
    response = client.post(url, {"commission": other.pk, "organisation": rabat.pk})
    assert response.status_code == 200  # the other commission is not a valid choice
    assert not CommissionMembership.objects.filter(organisation=rabat).exists()
    response = client.post(url, {"commission": commission.pk, "organisation": rabat.pk})
    assert response.status_code == 302
    assert CommissionMembership.objects.filter(commission=commission, organisation=rabat).exists()
    assert AuditEntry.objects.filter(action="commissions.membership.added").exists()


def test_secretariat_contacts_are_edited_in_the_back_office(client, commission, people):
    client.force_login(people["administrator"])
    bilbao = make_organisation(name_en="Bilbao")
    first, second = make_person(organisation=bilbao), make_person(organisation=bilbao)
    url = reverse("admin:commissions_commission_change", args=[commission.pk])
    entries_before = list(AuditEntry.objects.values_list("pk", flat=True))
    inline = {"secretariats-TOTAL_FORMS": "1", "secretariats-0-organisation": str(bilbao.pk)}
    response = client.post(
        url, _change_data(commission, **inline, **{"secretariats-0-contacts": str(first.pk)})
    )
    assert response.status_code == 302
    secretariat = commission.secretariats.get()
    assert list(secretariat.contacts.all()) == [first]
    inline.update(
        {
            "secretariats-INITIAL_FORMS": "1",
            "secretariats-0-id": str(secretariat.pk),
            "secretariats-0-commission": str(commission.pk),
            "secretariats-0-contacts": str(second.pk),
        }
    )
    response = client.post(url, _change_data(commission, **inline))
    assert response.status_code == 302
    assert list(secretariat.contacts.all()) == [second]
    assert set(
        AuditEntry.objects.filter(commission=commission)
        .exclude(pk__in=entries_before)
        .values_list("action", flat=True)
    ) == {
        "commissions.secretariat.created",
        "commissions.secretariat.contact_added",
        "commissions.secretariat.contact_removed",
    }
