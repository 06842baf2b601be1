import pytest

from commissions.tests.factories import make_commission
from network.models import MembershipStatus
from network.tests.factories import make_city, make_country, make_region

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_the_network_in_figures_regions_and_commissions(
    client, django_assert_max_num_queries
):
    africa = make_region(code="africa", name="Africa")
    europe = make_region(code="europe", name="Europe")
    make_city(country=make_country(region=africa), population=3_000_000)
    make_city(country=make_country(region=africa), population=500_000)
    make_city(country=make_country(region=europe), membership_status=MembershipStatus.FORMER)
    make_commission(slug="strategic-urban-planning", name="Strategic Urban Planning")
    make_commission(slug="dormant", name="Dormant group", is_active=False)

    with django_assert_max_num_queries(6):
        page = client.get("/")
    assert page.status_code == 200
    text = page.text
    assert "3,500,000" in text  # inhabitants of member organisations only
    assert '<a href="/directory/?region=africa">Africa</a> <small>(2 members)</small>' in text
    assert '<a href="/directory/?region=europe">Europe</a> <small>(0 members)</small>' in text
    assert 'href="/commissions/strategic-urban-planning/"' in text
    assert "Dormant group" not in text


def test_the_home_page_speaks_spanish_to_a_spanish_visitor(client):
    make_region(code="africa", name_en="Africa", name_es="África")
    client.cookies["entrevilles_language"] = "es"
    page = client.get("/")
    assert "La red en cifras" in page.text
    assert ">África</a>" in page.text


def test_an_unknown_page_gets_a_translated_404(client):
    client.cookies["entrevilles_language"] = "fr"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page introuvable" in response.text
