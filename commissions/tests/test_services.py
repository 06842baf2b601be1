import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import make_user
from audit.models import AuditEntry
from commissions import services
from commissions.models import CommissionMembership, Presidency, Secretariat

from .factories import (
    make_commission,
    make_organisation,
    make_person,
    make_presidency,
    make_secretariat,
)

pytestmark = pytest.mark.django_db


def test_creating_a_commission_records_it_in_its_own_history():
    admin = make_user()
    commission = services.create_commission(
        slug="urban-planning",
        name_en="Strategic Urban Planning",
        name_fr="Planification urbaine stratégique",
        kind="commission",
        actor=admin,
    )
    entry = AuditEntry.objects.get(action="commissions.commission.created")
    assert entry.commission == commission
    assert entry.actor == admin
    assert entry.after["name_fr"] == "Planification urbaine stratégique"


def test_a_commission_needs_a_name():
    with pytest.raises(ValidationError):
        services.create_commission(slug="nameless", actor=None)
    assert not AuditEntry.objects.exists()


def test_updating_the_mandate_records_before_and_after():
    commission = make_commission(mandate_en="Old mandate")
    services.update_commission(commission, mandate_en="New mandate", actor=None)
    commission.refresh_from_db()
    assert commission.mandate_en == "New mandate"
    entry = AuditEntry.objects.get(action="commissions.commission.updated")
    assert entry.before == {"mandate_en": "Old mandate"}
    assert entry.after == {"mandate_en": "New mandate"}
    assert entry.commission == commission


def test_an_update_that_changes_nothing_writes_no_entry():
    commission = make_commission(mandate_en="Same")
    entries_before = AuditEntry.objects.count()
    services.update_commission(commission, mandate_en="Same", actor=None)
    assert AuditEntry.objects.count() == entries_before


def test_adding_a_member_twice_keeps_one_membership_and_one_entry():
    commission = make_commission()
    city = make_organisation()
    first, created = services.add_member(commission, city, actor=None)
    again, created_again = services.add_member(commission, city, actor=None)
    assert created and not created_again
    assert first.pk == again.pk
    assert CommissionMembership.objects.filter(commission=commission).count() == 1
    assert AuditEntry.objects.filter(action="commissions.membership.added").count() == 1


def test_removing_a_member_is_recorded_and_idempotent():
    commission = make_commission()
    city = make_organisation()
    services.add_member(commission, city, actor=None)
    assert services.remove_member(commission, city, actor=None) is True
    assert services.remove_member(commission, city, actor=None) is False
    assert not CommissionMembership.objects.exists()
    entry = AuditEntry.objects.get(action="commissions.membership.removed")
    assert entry.commission == commission
    assert entry.before["organisation_id"] == city.pk


def test_a_presidency_is_represented_by_a_person_of_its_organisation():
    commission = make_commission()
    durban = make_organisation(name_en="Durban")
    mayor = make_person(organisation=durban)
    presidency = services.set_presidency(
        commission,
        role="co_president",
        organisation=durban,
        person=mayor,
        start_date=datetime.date(2013, 1, 1),
        end_date=datetime.date(2016, 12, 31),
        actor=None,
    )
    assert presidency.person == mayor
    entry = AuditEntry.objects.get(action="commissions.presidency.created")
    assert entry.commission == commission
    assert entry.after["role"] == "co_president"


def test_a_person_of_another_organisation_cannot_represent_the_presidency():
    commission = make_commission()
    durban = make_organisation()
    stranger = make_person(organisation=make_organisation())
    entries_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.set_presidency(
            commission, role="president", organisation=durban, person=stranger, actor=None
        )
    assert "person" in error.value.message_dict
    assert not Presidency.objects.exists()
    assert AuditEntry.objects.count() == entries_before


def test_a_term_cannot_end_before_it_starts():
    commission = make_commission()
    with pytest.raises(ValidationError) as error:
        services.set_presidency(
            commission,
            role="president",
            organisation=make_organisation(),
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2019, 1, 1),
            actor=None,
        )
    assert error.value.message_dict["end_date"] == ["A term cannot end before it starts."]
    assert not Presidency.objects.exists()


def test_changing_a_presidency_records_only_what_changed():
    commission = make_commission()
    presidency = make_presidency(commission, start_date=datetime.date(2020, 1, 1))
    services.set_presidency(
        commission,
        role="vice_president",
        organisation=presidency.organisation,
        start_date=datetime.date(2020, 1, 1),
        presidency=presidency,
        actor=None,
    )
    entry = AuditEntry.objects.get(action="commissions.presidency.updated")
    assert entry.before == {"role": "president"}
    assert entry.after == {"role": "vice_president"}


def test_ending_a_presidency_makes_it_past():
    commission = make_commission()
    presidency = make_presidency(commission, start_date=datetime.date(2020, 1, 1))
    services.end_presidency(presidency, on=datetime.date(2022, 6, 30), actor=None)
    assert not Presidency.objects.current().exists()
    assert AuditEntry.objects.get(action="commissions.presidency.ended").commission == commission


def test_a_presidency_cannot_end_before_its_term_starts():
    presidency = make_presidency(make_commission(), start_date=datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.end_presidency(presidency, on=datetime.date(2019, 1, 1), actor=None)
    presidency.refresh_from_db()
    assert presidency.end_date is None


def test_setting_a_secretariat_twice_keeps_one():
    commission = make_commission()
    porto_alegre = make_organisation()
    entries_before = list(AuditEntry.objects.values_list("pk", flat=True))
    services.set_secretariat(commission, porto_alegre, actor=None)
    services.set_secretariat(commission, porto_alegre, email="sec@example.org", actor=None)
    secretariat = Secretariat.objects.get()
    assert secretariat.email == "sec@example.org"
    assert [e.action for e in AuditEntry.objects.exclude(pk__in=entries_before).order_by("id")] == [
        "commissions.secretariat.created",
        "commissions.secretariat.updated",
    ]


def test_secretariat_contacts_are_people_of_its_organisation():
    secretariat = make_secretariat(make_commission())
    colleague = make_person(organisation=secretariat.organisation)
    outsider = make_person()
    entries_before = list(AuditEntry.objects.values_list("pk", flat=True))
    assert services.add_secretariat_contact(secretariat, colleague, actor=None) is True
    assert services.add_secretariat_contact(secretariat, colleague, actor=None) is False
    with pytest.raises(ValidationError):
        services.add_secretariat_contact(secretariat, outsider, actor=None)
    assert list(secretariat.contacts.all()) == [colleague]
    assert services.remove_secretariat_contact(secretariat, colleague, actor=None) is True
    assert services.remove_secretariat_contact(secretariat, colleague, actor=None) is False
    assert not secretariat.contacts.exists()
    actions = set(
        AuditEntry.objects.filter(commission=secretariat.commission)
        .exclude(pk__in=entries_before)
        .values_list("action", flat=True)
    )
    assert actions == {
        "commissions.secretariat.contact_added",
        "commissions.secretariat.contact_removed",
    }


def test_removing_a_secretariat_is_recorded():
    secretariat = make_secretariat(make_commission())
    commission = secretariat.commission
    services.remove_secretariat(secretariat, actor=None)
    assert not Secretariat.objects.exists()
    assert AuditEntry.objects.get(action="commissions.secretariat.removed").commission == commission
