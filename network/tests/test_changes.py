"""The registry through which the directory tells the apps that copy organisations' fields."""

import pytest
from django.db.models.signals import post_save, pre_save

from network import changes, services
from network.models import Organisation, OrganisationKind
from network.tests.factories import make_country, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(monkeypatch):
    """What a subscriber hears, in a registry of its own."""
    monkeypatch.setattr(changes, "_handlers", [])
    calls = []

    def handler(ids, fields):
        calls.append((ids, fields))

    changes.subscribe(handler)
    changes.subscribe(handler)  # a second subscription is ignored
    return calls


def test_a_subscriber_hears_a_change_once_with_the_ids_sorted_and_the_fields_by_name(heard):
    changes.organisations_changed([7, 3, 7], fields=["country_id", "name_fr"])
    changes.organisations_changed([])
    assert heard == [([3, 7], frozenset({"country", "name_fr"}))]


def test_a_change_that_names_no_fields_may_have_changed_any(heard):
    changes.organisations_changed([1])
    assert {"region", "size_class", "latitude", "name_en"} <= heard[0][1]


def test_an_edit_through_the_service_announces_only_what_changed_and_a_creation_nothing(heard):
    city = services.create_organisation(
        name="Kisumu", kind=OrganisationKind.LOCAL_GOVERNMENT, country=make_country(), actor=None
    )
    assert heard == []
    services.update_organisation(city, website="https://kisumu.example.org", actor=None)
    services.update_organisation(city, website="https://kisumu.example.org", actor=None)
    assert heard == [([city.pk], frozenset({"website"}))]


def test_a_country_moved_to_another_region_announces_its_organisations(heard):
    country = make_country()
    cities = [make_organisation(country=country) for _ in range(3)]
    make_organisation()  # elsewhere
    country.region = make_country().region
    services.save_country(country, actor=None)
    assert heard == [(sorted(city.pk for city in cities), frozenset({"region", "updated_at"}))]


def test_no_app_keeps_copies_of_organisations_through_receivers_of_their_saves():
    """Copies follow `network.changes`; a receiver would miss every write made in bulk."""
    for signal in (pre_save, post_save):
        for receiver in signal._live_receivers(Organisation)[0]:
            assert receiver.__module__.split(".")[0] in ("entrevilles", "network", "search")
