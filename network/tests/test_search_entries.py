"""Organisations in the search: indexed as they are written, imported or deleted."""

import io

import pytest

from learning.needs.services import create_need
from library.tests.factories import make_city
from network import services as network_services
from network.models import Country
from search import services as search_services
from search.searching import run_search

from .factories import make_network_admin

pytestmark = pytest.mark.django_db


def test_renaming_an_organisation_reindexes_it_after_commit(on_commit):
    city = make_city("Ciudad Vieja")
    search_services.index_object("organisation", city.pk)
    on_commit(network_services.update_organisation, city, actor=None, name_en="Nueva Esperanza")
    assert run_search(None, "esperanza").total == 1
    assert run_search(None, "vieja").total == 0


def test_organisations_imported_from_a_csv_file_are_found_after_commit(on_commit):
    make_city("Ciudad Vieja")  # brings its country; the import adds a neighbour
    country = Country.objects.exclude(organisations=None).first()
    header = (
        "ref,name,name_fr,name_es,kind,country,population,latitude,longitude,"
        "working_languages,membership_status,website,email\n"
    )
    row = f"imp:1,Puerto Esperanza,,,local_government,{country.code},80000,,,es,member,,\n"
    result = on_commit(
        network_services.import_organisations_csv,
        io.BytesIO((header + row).encode()),
        actor=None,
    )
    assert result.ok
    assert run_search(None, "esperanza").total == 1


def test_an_organisation_deleted_in_the_back_office_leaves_the_search_with_its_needs(
    client, on_commit
):
    city = on_commit(make_city, "Puerto Viejo")
    on_commit(search_services.index_object, "organisation", city.pk)
    on_commit(
        create_need,
        city=city,
        original_language="en",
        texts={"title": "Mangrove restoration", "problem": "The coast erodes."},
        actor=None,
    )
    assert run_search(None, "mangrove").total == 1
    assert run_search(None, "puerto viejo", filters={"type": "organisation"}).total == 1
    client.force_login(make_network_admin(is_staff=True))
    response = on_commit(
        client.post, f"/admin/network/organisation/{city.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert run_search(None, "mangrove").total == 0
    assert run_search(None, "puerto viejo").total == 0
