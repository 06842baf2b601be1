"""What parties and scores copy for the dashboards and the map, and how the copies follow."""

import datetime

import pytest
from django.utils import timezone

from learning.models import AssessmentScore, PartnershipParty
from learning.partnerships import services
from learning.partnerships.tests.factories import World, make_criterion, make_user
from learning.templatetags.partnership_monitoring import monitoring_data
from network import services as network_services
from network.models import Country
from network.tests.factories import make_country

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def test_a_party_carries_its_organisations_region_country_place_and_names(world):
    world.learner.latitude, world.learner.longitude = -20.46, 16.65
    world.learner.name_fr = "Otjiwarongo (fr)"
    world.learner.save()
    partnership = world.propose()
    party = partnership.parties.get(organisation=world.learner)
    assert (party.region_id, party.country_id) == (
        world.learner.region_id,
        world.learner.country_id,
    )
    assert (party.latitude, party.longitude) == (-20.46, 16.65)
    assert (party.organisation_name_en, party.organisation_name_fr) == (
        "Otjiwarongo",
        "Otjiwarongo (fr)",
    )


def test_a_city_moved_or_renamed_in_the_directory_is_counted_and_drawn_where_it_now_is(
    client, world
):
    partnership = world.active()
    elsewhere = make_country()
    network_services.update_organisation(
        world.learner,
        country=elsewhere,
        name="Otjiwarongo Municipality",
        latitude=-20.5,
        longitude=16.6,
        actor=world.nadia,
    )
    party = PartnershipParty.objects.get(partnership=partnership, organisation=world.learner)
    assert (party.country_id, party.region_id) == (elsewhere.pk, elsewhere.region_id)
    assert party.organisation_name_en == "Otjiwarongo Municipality"
    data = client.get("/learning/map/data.geojson").json()
    names = {f["properties"]["name"] for f in data["features"] if f["properties"]["kind"] == "city"}
    assert "Otjiwarongo Municipality" in names


def test_the_dashboard_counts_partnerships_by_the_parties_regions(client, world):
    world.active()
    client.force_login(world.nadia)
    page = client.get("/learning/dashboard/").content.decode()
    region = Country.objects.get(pk=world.learner.country_id).region
    assert str(region.name) in page


def test_scores_carry_their_partnership_and_the_quarter_of_their_period(world):
    criterion = make_criterion(name_en="Ownership")
    partnership = world.active(starts_on=timezone.localdate() - datetime.timedelta(days=200))
    report = services.file_report(
        partnership,
        organisation=world.learner,
        period_start=partnership.starts_on,
        progress="Agreed the vision.",
        scores={criterion.pk: 4},
        indicator_values={},
        actor=world.lucia,
    )
    score = AssessmentScore.objects.get(report=report)
    start = partnership.starts_on
    assert score.partnership_id == partnership.pk
    assert score.quarter == datetime.date(start.year, (start.month - 1) // 3 * 3 + 1, 1)
    trend = monitoring_data(world.nadia)["trend"]
    assert [row["values"] for row in trend] == [[4.0]]
    # A plain user reads no one's trend; the facilitating secretariat reads it.
    assert monitoring_data(make_user())["trend"] == []
    assert [row["values"] for row in monitoring_data(world.sofia)["trend"]] == [[4.0]]
