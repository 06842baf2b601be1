"""A CSV import of the directory rewrites organisations in bulk: the copies on needs and
partnership parties follow it all the same."""

import io

import pytest

from learning.models import LearningNeed, PartnershipParty
from learning.needs.tests.factories import make_need
from learning.partnerships.tests.factories import World
from network import services as network_services
from network.csv_format import export_lines
from network.models import Organisation, SizeClass
from network.tests.factories import make_country, make_region

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


def test_a_population_learnt_from_the_experience_import_reaches_the_needs_size_filter(
    client, tmp_path
):
    import json

    from django.core.management import call_command

    from audit.models import AuditEntry
    from network.tests.factories import make_organisation

    colombia = make_country(code="CO", region=make_region(code="latin-america"))
    medellin = make_organisation(name="Medellín", country=colombia, population=None)
    need = make_need(medellin, title="Cable cars for hillside districts")
    line = {
        "ref": "x:1",
        "language": "es",
        "city": "Medellín",
        "country": "CO",
        "population": 2_500_000,
        "title": "Metrocable para los barrios de ladera",
        "summary": "Transporte público por cable hacia los asentamientos informales.",
        "sdgs": [11],
        "themes": [],
    }
    path = tmp_path / "experiences.jsonl"
    path.write_text(json.dumps(line) + "\n")

    call_command("import_experiences", str(path))

    listed = client.get("/learning/needs/", {"size_class": SizeClass.METROPOLIS})
    assert "Cable cars for hillside districts" in listed.content.decode()
    assert LearningNeed.objects.get(pk=need.pk).size_class == SizeClass.METROPOLIS
    assert AuditEntry.objects.filter(action="network.organisation.populations_set").exists()


def test_a_country_moved_to_another_region_in_the_back_office_takes_its_cities_needs_and_parties(
    client,
):
    from audit.models import AuditEntry

    world = World()
    partnership = world.active()
    make_need(world.learner, title="Waste collection in informal areas")
    country = world.learner.country
    other_region = make_region(code="middle-east-west-asia")
    client.force_login(world.nadia)
    form = client.get(f"/admin/network/country/{country.pk}/change/").context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["region"] = other_region.pk

    response = client.post(f"/admin/network/country/{country.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    directory = client.get("/directory/", {"region": other_region.code}).content.decode()
    assert "Otjiwarongo" in directory
    listed = client.get("/learning/needs/", {"region": other_region.code}).content.decode()
    assert "Waste collection in informal areas" in listed
    party = PartnershipParty.objects.get(partnership=partnership, organisation=world.learner)
    assert party.region_id == other_region.pk
    entry = AuditEntry.objects.get(action="network.country.updated")
    assert entry.actor == world.nadia
    assert entry.after == {"region_id": other_region.pk}
