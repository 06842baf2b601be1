import re

import pytest
from django.urls import reverse

from commissions.tests.factories import make_commission, make_membership
from entrevilles.planner import refresh_planner_statistics
from network.models import OrganisationKind

from .factories import (
    make_country,
    make_network_admin,
    make_organisation,
    make_region,
    make_user,
)

pytestmark = pytest.mark.django_db

URL = "/directory/"


def names(response) -> list[str]:
    return [row.name for row in response.context["page"].organisations]


def test_the_directory_url_has_its_shared_name():
    assert reverse("network:directory") == URL


def test_the_filter_form_has_labelled_fields_and_a_filter_button(client):
    html = client.get(URL).content.decode()
    for name in ("q", "region", "country", "kind", "size_class", "commission", "per_page"):
        assert f'name="{name}"' in html
        assert f'for="id_{name}"' in html
    assert ">Filter</button>" in html


def test_search_ignores_accents_and_case_and_matches_any_language(client):
    country = make_country()
    make_organisation(name="Bogota", name_es="Bogotá", country=country)
    make_organisation(name="Mexico City", name_es="Ciudad de México", country=country)
    make_organisation(name="Quito", country=country)
    assert names(client.get(URL, {"q": "BOGOTÁ"})) == ["Bogota"]
    assert names(client.get(URL, {"q": "mexi"})) == ["Mexico City"]
    assert names(client.get(URL, {"q": "ciudad mex"})) == ["Mexico City"]
    assert names(client.get(URL, {"q": "q"})) == ["Quito"]
    assert names(client.get(URL, {"q": "lima"})) == []


def test_the_name_is_shown_in_the_readers_language(client):
    make_organisation(name="Mexico City", name_es="Ciudad de México")
    client.cookies["entrevilles_language"] = "es"
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="es")
    assert "Ciudad de México" in response.content.decode()


def test_filters_by_region_country_kind_size_and_commission(client):
    africa = make_region(code="africa")
    morocco = make_country(code="MA", region=africa)
    spain = make_country(code="ES")
    rabat = make_organisation(name="Rabat", country=morocco, population=600_000)
    make_organisation(name="Casablanca", country=morocco, population=3_000_000)
    make_organisation(name="Bilbao", country=spain, kind=OrganisationKind.ASSOCIATION)
    commission = make_commission(slug="strategic-urban-planning")
    make_membership(commission, rabat)
    assert names(client.get(URL, {"region": "africa"})) == ["Casablanca", "Rabat"]
    assert names(client.get(URL, {"country": "ES"})) == ["Bilbao"]
    assert names(client.get(URL, {"kind": "association"})) == ["Bilbao"]
    assert names(client.get(URL, {"size_class": "metropolis"})) == ["Casablanca"]
    assert names(client.get(URL, {"commission": "strategic-urban-planning"})) == ["Rabat"]
    assert names(client.get(URL, {"country": "MA", "size_class": "intermediary"})) == ["Rabat"]


def test_rows_show_kind_country_region_size_and_localised_population(client):
    country = make_country(name_en="Morocco", region=make_region(name_en="Africa"))
    make_organisation(name="Casablanca", country=country, population=3_215_935)
    html = client.get(URL).content.decode()
    for text in ("Casablanca", "Local government", "Morocco", "Africa", "Metropolis", "3,215,935"):
        assert text in html
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "3\u202f215\u202f935" in html or "3 215 935" in html or "3\xa0215\xa0935" in html


def test_results_are_paginated_and_sorted_by_name(client):
    country = make_country()
    for number in range(30):
        make_organisation(name=f"City {number:02d}", country=country)
    first = client.get(URL)
    assert names(first) == [f"City {n:02d}" for n in range(25)]
    assert "1–25 of 30 organisations" in first.content.decode()
    second = client.get(URL, {"page": 2})
    assert names(second) == [f"City {n:02d}" for n in range(25, 30)]
    assert len(names(client.get(URL, {"per_page": 50}))) == 30


def test_a_bad_page_number_shows_the_first_page(client):
    make_organisation(name="Rabat")
    assert names(client.get(URL, {"page": "abc"})) == ["Rabat"]


def test_invalid_filters_are_a_400_with_a_message(client):
    response = client.get(URL, {"country": "ZZ", "per_page": "7"})
    assert response.status_code == 400
    assert "Some filters are not valid" in response.content.decode()


def test_htmx_requests_get_the_results_alone(client):
    make_organisation(name="Rabat")
    response = client.get(URL, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Rabat" in html
    assert "<html" not in html


@pytest.mark.parametrize("per_page", [25, 100])
def test_the_directory_needs_few_queries_whatever_the_page_size(
    client, django_assert_max_num_queries, per_page
):
    country = make_country()
    commission = make_commission()
    for number in range(120):
        organisation = make_organisation(name=f"City {number:03d}", country=country)
        make_membership(commission, organisation)
    client.force_login(make_user())
    with django_assert_max_num_queries(15):
        response = client.get(
            URL, {"per_page": per_page, "page": 1, "q": "city", "commission": commission.slug}
        )
    assert len(names(response)) == per_page


def test_the_export_and_import_links_show_by_role(client):
    html = client.get(URL).content.decode()
    assert "export.csv" not in html
    client.force_login(make_network_admin())
    html = client.get(URL).content.decode()
    assert "export.csv" in html
    assert reverse("network:import") in html


def test_the_directory_is_alphabetical_in_the_readers_language_ignoring_accents_and_case(client):
    country = make_country()
    for name in ("Zaragoza", "Sfax", "Écija", "abidjan", "Saint-Louis", "Bogotá"):
        make_organisation(name=name, country=country)
    make_organisation(
        name="World Secretariat",
        name_fr="Secrétariat mondial",
        name_es="Secretariado Mundial",
        kind=OrganisationKind.SECRETARIAT,
        country=country,
    )

    assert names(client.get(URL)) == [
        "abidjan",
        "Bogotá",
        "Écija",
        "Saint-Louis",
        "Sfax",
        "World Secretariat",
        "Zaragoza",
    ]
    client.cookies["entrevilles_language"] = "fr"
    french = client.get(URL, {"country": country.code}, HTTP_ACCEPT_LANGUAGE="fr")
    assert names(french) == [
        "abidjan",
        "Bogotá",
        "Écija",
        "Saint-Louis",
        "Secrétariat mondial",
        "Sfax",
        "Zaragoza",
    ]
    # A single letter lists the names starting with it, as the reader sees them.
    assert names(client.get(URL, {"q": "s"}, HTTP_ACCEPT_LANGUAGE="fr")) == [
        "Saint-Louis",
        "Secrétariat mondial",
        "Sfax",
    ]


def test_a_renamed_region_shows_at_once_in_the_filter_and_the_rows(client):
    region = make_region(name_en="Sahel")
    make_organisation(name="Niamey", country=make_country(region=region))
    html = client.get(URL).content.decode()
    assert ">Sahel</option>" in html
    region.name_en = "Sahel and Sahara"
    region.save()
    html = client.get(URL).content.decode()
    assert ">Sahel and Sahara</option>" in html
    assert "<td>Sahel and Sahara</td>" in html
    assert ">Sahel</option>" not in html


def test_the_filter_choices_are_in_the_readers_language_and_follow_changes(client):
    commission = make_commission(name_en="Water", name_fr="Eau", name_es="Agua")
    assert ">Water</option>" in client.get(URL).content.decode()
    assert ">Eau</option>" in client.get(URL, headers={"accept-language": "fr"}).content.decode()
    commission.name_fr = "Eau et assainissement"
    commission.save()
    html = client.get(URL, headers={"accept-language": "fr"}).content.decode()
    assert ">Eau et assainissement</option>" in html
    assert ">Water</option>" in client.get(URL).content.decode()
    commission.delete()
    assert ">Water</option>" not in client.get(URL).content.decode()


def test_a_chosen_filter_stays_selected(client):
    region = make_region(name_en="Sahel")
    html = client.get(URL, {"region": region.code}).content.decode()
    assert f'<option value="{region.code}" selected>Sahel</option>' in html


def test_a_long_list_shows_its_total_as_an_estimate_in_the_readers_language(client, settings):
    settings.EXACT_COUNT_LIMIT = 20
    country = make_country()
    for number in range(31):
        make_organisation(name=f"City {number:03d}", country=country)
    # On PostgreSQL the estimate is the planner's, from the table statistics that
    # autovacuum (or the refresh after a bulk load) keeps.
    refresh_planner_statistics()
    html = client.get(URL).content.decode()
    about = re.search(r"1–25 of about (\d+) organisations", html)
    assert about and 26 <= int(about.group(1)) <= 40
    assert re.search(r"Page 1 of about \d", html)
    html = client.get(URL, headers={"accept-language": "fr"}).content.decode()
    assert re.search(r"1–25 sur environ \d+ organisations", html)
    html = client.get(URL, {"page": 2}).content.decode()
    assert "26–31 of 31 organisations" in html  # the last page knows the exact total


def test_a_list_below_the_limit_shows_its_exact_total(client, settings):
    settings.EXACT_COUNT_LIMIT = 40
    country = make_country()
    for number in range(31):
        make_organisation(name=f"City {number:03d}", country=country)
    html = client.get(URL).content.decode()
    assert "1–25 of 31 organisations" in html
    assert "Page 1 of 2" in html
    make_organisation(name="City 999", country=country)
    assert "1–25 of 32 organisations" in client.get(URL).content.decode()


def test_a_change_to_an_organisation_or_a_membership_shows_at_once_in_the_results(client):
    country = make_country()
    commission = make_commission()
    rabat = make_organisation(name="Rabat", country=country)
    assert "Rabat" in client.get(URL).content.decode()
    rabat.name = "Rabat-Salé"
    rabat.name_en = "Rabat-Salé"
    rabat.save()
    html = client.get(URL).content.decode()
    assert "Rabat-Salé" in html
    filtered = {"commission": commission.slug}
    assert "Rabat" not in client.get(URL, filtered).content.decode()
    make_membership(commission, rabat)
    assert "Rabat-Salé" in client.get(URL, filtered).content.decode()
    assert "Rabat-Salé" in client.get(URL, filtered, HTTP_HX_REQUEST="true").content.decode()
