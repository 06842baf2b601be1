import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from audit.models import AuditEntry
from network import services
from network.models import Organisation, OrganisationKind, SizeClass, Visibility

from .factories import make_country, make_network_admin, make_organisation, make_person, make_region

pytestmark = pytest.mark.django_db


def test_creating_an_organisation_derives_region_size_class_and_search_name():
    region = make_region(code="africa")
    country = make_country(code="MA", region=region)
    admin = make_network_admin()
    organisation = services.create_organisation(
        name="Rabat",
        name_fr="Rabat",
        name_es="Rabat",
        kind=OrganisationKind.LOCAL_GOVERNMENT,
        country=country,
        population=577_827,
        working_languages=["fr", "en"],
        actor=admin,
    )
    organisation.refresh_from_db()
    assert organisation.region == region
    assert organisation.size_class == SizeClass.INTERMEDIARY
    assert organisation.search_name == "rabat"
    entry = AuditEntry.objects.get(action="network.organisation.created")
    assert entry.actor == admin
    assert entry.object_id == str(organisation.pk)


def test_the_search_name_holds_every_language_without_accents():
    organisation = services.create_organisation(
        name="Bogota",
        name_es="Bogotá D.C.",
        kind=OrganisationKind.LOCAL_GOVERNMENT,
        country=make_country(),
        actor=None,
    )
    assert organisation.search_name == "bogota bogota d.c."


def test_a_name_only_in_french_is_shown_in_every_language():
    organisation = services.create_organisation(
        name="",
        name_fr="Ville de Québec",
        kind="local_government",
        country=make_country(),
        actor=None,
    )
    for language in ("en", "fr", "es"):
        with translation.override(language):
            assert Organisation.objects.get(pk=organisation.pk).name == "Ville de Québec"


def test_a_duplicate_organisation_is_refused_with_a_clear_message():
    country = make_country(name_en="Morocco")
    services.create_organisation(name="Rabat", kind="local_government", country=country, actor=None)
    with pytest.raises(ValidationError) as caught:
        services.create_organisation(
            name="RABAT", kind="local_government", country=country, actor=None
        )
    assert "Rabat (Local government, Morocco) is already in the directory." in caught.value.messages
    assert Organisation.objects.count() == 1


def test_the_same_name_in_another_country_is_not_a_duplicate():
    services.create_organisation(
        name="Córdoba", kind="local_government", country=make_country(), actor=None
    )
    services.create_organisation(
        name="Córdoba", kind="local_government", country=make_country(), actor=None
    )
    assert Organisation.objects.count() == 2


def test_a_negative_population_is_refused_and_nothing_is_saved():
    country = make_country()
    entries_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.create_organisation(
            name="Nowhere",
            kind="local_government",
            country=country,
            population=-5,
            actor=None,
        )
    assert caught.value.message_dict["population"] == ["The population cannot be negative."]
    assert not Organisation.objects.exists()
    assert AuditEntry.objects.count() == entries_before


def test_an_unknown_kind_and_bad_languages_are_refused():
    with pytest.raises(ValidationError) as caught:
        services.create_organisation(
            name="X", kind="castle", country=make_country(), working_languages=["de"], actor=None
        )
    assert "working_languages" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.create_organisation(name="X", kind="castle", country=make_country(), actor=None)
    assert "kind" in caught.value.message_dict


def test_an_over_long_name_is_refused():
    with pytest.raises(ValidationError) as caught:
        services.create_organisation(
            name="x" * 201, kind="local_government", country=make_country(), actor=None
        )
    assert "name_en" in caught.value.message_dict


def test_an_external_reference_used_twice_is_refused():
    make_organisation(external_ref="crm:1")
    with pytest.raises(ValidationError) as caught:
        services.create_organisation(
            name="Other",
            kind="local_government",
            country=make_country(),
            external_ref="crm:1",
            actor=None,
        )
    assert caught.value.message_dict["external_ref"] == [
        "Another organisation already has this external reference."
    ]


def test_updating_recomputes_derived_fields_and_audits_only_the_changes():
    admin = make_network_admin()
    organisation = make_organisation(population=10_000)
    new_country = make_country()
    services.update_organisation(
        organisation, population=2_000_000, country=new_country, actor=admin
    )
    organisation.refresh_from_db()
    assert organisation.size_class == SizeClass.METROPOLIS
    assert organisation.region_id == new_country.region_id
    entry = AuditEntry.objects.get(action="network.organisation.updated")
    assert entry.before["population"] == 10_000
    assert entry.after["population"] == 2_000_000
    assert "name_en" not in entry.after


def test_updating_to_a_duplicate_is_refused_and_leaves_the_row_unchanged():
    country = make_country()
    make_organisation(name="Durban", country=country)
    other = make_organisation(name="eThekwini", country=country)
    with pytest.raises(ValidationError):
        services.update_organisation(other, name="Durban", actor=None)
    other.refresh_from_db()
    assert other.name_en == "eThekwini"


def test_creating_and_updating_a_person_is_audited():
    admin = make_network_admin()
    organisation = make_organisation()
    person = services.create_person(
        first_name=" Amina ",
        last_name="Alaoui",
        organisation=organisation,
        email="a@example.org",
        actor=admin,
    )
    assert person.first_name == "Amina"
    services.update_person(person, position="Head of planning", actor=admin)
    person.refresh_from_db()
    assert person.position == "Head of planning"
    assert list(
        AuditEntry.objects.filter(object_type="network.person", object_id=str(person.pk))
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["network.person.created", "network.person.updated"]


def test_a_person_with_a_bad_email_is_refused():
    with pytest.raises(ValidationError) as caught:
        services.create_person(first_name="A", last_name="B", email="not-an-address", actor=None)
    assert "email" in caught.value.message_dict


def test_contact_visibility_changes_are_audited_and_unknown_values_refused():
    person = make_person(contact_visibility=Visibility.MEMBERS)
    services.set_contact_visibility(person, Visibility.PRIVATE, actor=None)
    person.refresh_from_db()
    assert person.contact_visibility == Visibility.PRIVATE
    assert AuditEntry.objects.filter(action="network.person.visibility_changed").count() == 1
    with pytest.raises(ValidationError):
        services.set_contact_visibility(person, "everyone", actor=None)
