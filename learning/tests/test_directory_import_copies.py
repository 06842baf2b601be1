"""A CSV import of the directory rewrites organisations in bulk: the copies on needs and
partnership parties follow it all the same."""

import io

import pytest

from learning.models import LearningNeed, PartnershipParty
from network import services as network_services
from network.csv_format import export_lines
from network.models import Organisation, SizeClass
from network.tests.factories import make_country, make_region

from .factories_needs import make_need
from .factories_partnerships import World

pytestmark = pytest.mark.django_db


def reimport(organisation: Organisation, **changes) -> None:
    lines = list(export_lines(Organisation.objects.filter(pk=organisation.pk)))
    header = lines[0].strip().split(",")
    row = dict(zip(header, lines[1].strip().split(","), strict=True))
    row.update(changes)
    text = lines[0] + ",".join(row[column] for column in header) + "\n"
    result = network_services.import_organisations_csv(io.BytesIO(text.encode()), actor=None)
    assert result.ok, [str(error) for error in result.errors]
    assert result.updated == 1


def test_a_city_moved_renamed_and_grown_by_an_import_is_shown_where_and_as_it_now_is(client):
    world = World()
    partnership = world.active()
    need = make_need(world.learner)
    elsewhere = make_country(code="PE", region=make_region(code="latin-america"))

    reimport(
        world.learner,
        name="Otjiwarongo Town",
        country="PE",
        population="2500000",
        latitude="-12.05",
        longitude="-77.04",
    )

    party = PartnershipParty.objects.get(partnership=partnership, organisation=world.learner)
    assert (party.country_id, party.region_id) == (elsewhere.pk, elsewhere.region_id)
    assert party.organisation_name_en == "Otjiwarongo Town"
    need = LearningNeed.objects.get(pk=need.pk)
    assert need.region_id == elsewhere.region_id
    assert need.size_class == SizeClass.METROPOLIS

    data = client.get("/learning/map/data.geojson").json()
    names = {f["properties"]["name"] for f in data["features"] if f["properties"]["kind"] == "city"}
    assert "Otjiwarongo Town" in names
    listed = client.get("/learning/needs/", {"region": "latin-america"})
    assert need.title in listed.content.decode()
