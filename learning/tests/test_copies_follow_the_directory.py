"""However the directory changes an organisation (its page's service, a CSV import, a
country given to another region), the needs' filters and the partnership lists show it
where it now is: the copies on needs and parties follow, in bulk."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.models import PartnershipParty
from learning.needs.tests.factories import make_city, make_need
from learning.partnerships.tests.factories import World
from network import reference
from network import services as network_services
from network.csv_format import export_lines
from network.models import Organisation
from network.tests.factories import make_country, make_region

pytestmark = pytest.mark.django_db


def needs_listed(client, **filters) -> str:
    return client.get("/learning/needs/", filters).content.decode()


def partnerships_listed(client, region: str) -> str:
    return client.get("/learning/dashboard/partnerships/", {"region": region}).content.decode()


def test_a_city_given_another_country_through_the_directory_is_listed_under_its_new_region(
    client,
):
    world = World()
    world.active(title="Waste collection by cooperatives")
    make_need(world.learner, title="Sorting at the source")
    old_region = world.learner.region.code
    peru = make_country(code="PE", region=make_region(code="latin-america"))

    network_services.update_organisation(
        world.learner,
        country=peru,
        name="Otjiwarongo Town",
        latitude=-12.05,
        longitude=-77.04,
        actor=world.nadia,
    )

    assert "Sorting at the source" in needs_listed(client, region="latin-america")
    assert "Sorting at the source" not in needs_listed(client, region=old_region)
    client.force_login(world.nadia)
    assert "Waste collection by cooperatives" in partnerships_listed(client, "latin-america")
    data = client.get("/learning/map/data.geojson").json()
    cities = {
        f["properties"]["name"]: f for f in data["features"] if f["properties"]["kind"] == "city"
    }
    assert cities["Otjiwarongo Town"]["geometry"]["coordinates"] == [-77.04, -12.05]


def test_a_city_that_grows_through_the_directory_is_found_by_its_new_size(client):
    city = make_city(population=40_000)
    make_need(city, title="Bus lanes on the ring road")

    network_services.update_organisation(city, population=1_500_000, actor=None)

    assert "Bus lanes on the ring road" in needs_listed(client, size_class="metropolis")
    assert "Bus lanes on the ring road" not in needs_listed(client, size_class="small_town")


def _moved_by_import(cities: list[Organisation], country_code: str) -> str:
    """The CSV file of these cities, exported, with each moved to another country."""
    lines = "".join(export_lines(Organisation.objects.filter(pk__in=[c.pk for c in cities])))
    rows = list(csv.DictReader(io.StringIO(lines.lstrip("\ufeff"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "country": country_code})
    return out.getvalue()


def _import(text: str) -> int:
    """Import a CSV file; return the number of SQL queries it took."""
    with CaptureQueriesContext(connection) as queries:
        result = network_services.import_organisations_csv(io.BytesIO(text.encode()), actor=None)
    assert result.ok, [str(error) for error in result.errors]
    return len(queries)


def test_cities_moved_by_a_csv_import_are_listed_under_their_new_region_in_as_many_queries_for_twelve_as_for_two(  # noqa: E501
    client,
):
    world = World()
    africa = make_country(code="NA")
    few = [make_city(name=f"Town {n}", country=africa) for n in range(2)]
    many = [make_city(name=f"City {n}", country=africa) for n in range(12)]
    for city in few + many:
        make_need(city, title=f"Plan of {city.name}")
    world.active(title="Twelve towns learn from Durban", learners=many)
    make_country(code="PE", region=make_region(code="latin-america"))
    make_country(code="ES", region=make_region(code="europe"))

    queries_for_few = _import(_moved_by_import(few, "ES"))
    queries_for_many = _import(_moved_by_import(many, "PE"))

    # One UPDATE of the needs and one of the parties, however many rows the file has.
    assert queries_for_many == queries_for_few
    listed = needs_listed(client, region="latin-america")
    assert all(f"Plan of {city.name}" in listed for city in many)
    assert "Plan of Town 0" in needs_listed(client, region="europe")
    assert "Plan of City 0" not in needs_listed(client, region="africa")
    client.force_login(world.nadia)
    assert "Twelve towns learn from Durban" in partnerships_listed(client, "latin-america")
    assert "Twelve towns learn from Durban" not in partnerships_listed(client, "europe")


def test_cities_of_a_country_given_to_another_region_follow_it_needs_and_partnerships_too(
    client,
):
    world = World()
    world.active(title="Drainage of informal settlements")
    make_need(world.learner, title="Flood maps")
    country = world.learner.country
    eurasia = make_region(code="eurasia")

    country.region = eurasia
    network_services.save_country(country, actor=world.nadia)

    assert "Flood maps" in needs_listed(client, region="eurasia")
    client.force_login(world.nadia)
    assert "Drainage of informal settlements" in partnerships_listed(client, "eurasia")
    party = PartnershipParty.objects.get(organisation=world.learner)
    assert party.region_id == eurasia.pk


def test_cities_of_a_country_the_reference_data_gives_to_another_region_follow_it(
    client, monkeypatch
):
    namibia = make_country(code="NA")
    windhoek = make_city(name="Windhoek", country=namibia)
    make_need(windhoek, title="Water reuse")
    monkeypatch.setitem(reference.COUNTRY_REGIONS, "NA", "europe")

    reference.load_reference_data()

    windhoek.refresh_from_db()
    assert windhoek.region.code == "europe"
    assert "Water reuse" in needs_listed(client, region="europe")
    assert "Water reuse" not in needs_listed(client, region="africa")
