"""The world map: the cities and links it draws, its GeoJSON, its filters and its cost."""

import json

import pytest
from django.urls import reverse

from learning.dashboards.mapsvg import world_outline_path
from learning.dashboards.worldmap import project
from learning.groups import services
from learning.groups.tests.factories import (
    make_group,
    make_organisation,
    make_partnership,
)
from learning.models import GroupVisibility
from library.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_city(member_city):
    member_city.latitude, member_city.longitude = 34.02, -6.84
    member_city.save()
    return member_city


@pytest.fixture
def durban(durban):
    durban.latitude, durban.longitude = -29.86, 31.03
    durban.save()
    return durban


@pytest.fixture
def bilbao(db):
    return make_organisation(name="Bilbao", latitude=43.26, longitude=-2.93)


@pytest.fixture
def nowhere(db):
    return make_organisation(name="Placeless")  # no coordinates


def _features(client, **params):
    response = client.get(reverse("learning:map_geojson"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def test_the_geojson_has_the_parties_cities_and_one_line_per_mentor_learner_pair(
    client, member_city, durban, bilbao, nowhere
):
    partnership = make_partnership(parties=[durban, member_city, bilbao, nowhere], status="active")
    data = _features(client)
    points = {
        f["properties"]["name"]: f for f in data["features"] if f["geometry"]["type"] == "Point"
    }
    lines = [f for f in data["features"] if f["geometry"]["type"] == "LineString"]
    assert set(points) == {"Durban", "Rabat", "Bilbao"}
    assert points["Durban"]["geometry"]["coordinates"] == [31.03, -29.86]
    assert points["Rabat"]["properties"]["partnerships"] == 1
    assert len(lines) == 2  # Durban (mentor) to Rabat and to Bilbao; Placeless has no place
    assert {tuple(line["geometry"]["coordinates"][1]) for line in lines} == {
        (-6.84, 34.02),
        (-2.93, 43.26),
    }
    assert all(line["properties"]["partnership"] == partnership.pk for line in lines)
    assert all(line["properties"]["status"] == "active" for line in lines)


def test_proposals_are_on_the_map_only_for_those_who_may_read_them(
    client, commission, member_city, durban, secretariat
):
    make_partnership(parties=[durban, member_city], status="proposed", commission=commission)
    assert not [
        f for f in _features(client)["features"] if f["properties"]["kind"] == "partnership"
    ]
    client.force_login(secretariat)
    assert len(_features(client)["features"]) == 3


def test_the_map_filters_by_status_theme_region_and_commission(
    client, member_city, durban, digital, bilbao
):
    housing = Theme.objects.get_or_create(key="housing", defaults={"label": "Housing"})[0]
    make_partnership(parties=[durban, member_city], status="active", themes=[housing])
    make_partnership(parties=[bilbao, member_city], status="completed", commission=digital)

    def pairs(**params):
        return sorted(
            f["properties"]["status"]
            for f in _features(client, **params)["features"]
            if f["properties"]["kind"] == "partnership"
        )

    assert pairs() == ["active", "completed"]
    assert pairs(status="completed") == ["completed"]
    assert pairs(theme="housing") == ["active"]
    assert pairs(commission=digital.slug) == ["completed"]
    assert pairs(region=member_city.region.code) == ["active", "completed"]
    assert pairs(region=durban.region.code) == ["active"]
    assert pairs(region="no-such-region") == []
    assert pairs(status="<script>") == ["active", "completed"]


def test_public_groups_members_are_drawn_and_members_only_groups_are_not(
    client, commission, durban, bilbao
):
    group = make_group(commission=commission)
    services.add_member(group, bilbao, actor=None)
    hidden = make_group(commission=commission, visibility=GroupVisibility.MEMBERS)
    services.add_member(hidden, durban, actor=None)
    cities = {
        f["properties"]["name"]: f["properties"]["groups"] for f in _features(client)["features"]
    }
    assert cities == {"Bilbao": 1}


def test_the_map_page_draws_an_svg_line_per_link_and_a_table_of_them(
    client, durban, django_assert_max_num_queries
):
    for n in range(30):
        city = make_organisation(latitude=-10 + n, longitude=20 + n)
        make_partnership(parties=[durban, city], status=["active", "completed"][n % 2])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("learning:map"))
    page = response.content.decode()
    assert page.count('<path class="link status-') == 30
    assert page.count('<circle class="city') == 31
    assert page.count("<tr><td><a href=") == 30
    x, y = project(31.03, -29.86)
    assert f'cx="{x:g}" cy="{y:g}"' in page
    assert "https://" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_the_world_outline_is_drawn_from_the_local_natural_earth_data(client):
    assert world_outline_path().startswith("M")
    response = client.get(reverse("learning:map_outline"))
    assert response["Content-Type"] == "image/svg+xml"
    assert "max-age=86400" in response["Cache-Control"]
    assert response.content.count(b"M") > 100


def test_the_projection_puts_the_corners_of_the_world_at_the_corners_of_the_map():
    assert project(-180, 90) == (0, 0)
    assert project(180, -90) == (1000, 500)
    assert project(0, 0) == (500, 250)


def test_shapes_crossing_the_antimeridian_are_cut_at_the_edges_of_the_map():
    from learning.dashboards.mapsvg import _pieces

    # A square over the 180th meridian: two pieces, each starting and ending on one edge.
    ring = [(170, 60), (-170, 60), (-170, 50), (170, 50), (170, 60)]
    pieces = _pieces(ring)
    assert len(pieces) == 2
    assert {(piece[0][0], piece[-1][0]) for piece in pieces} == {(-180, -180), (180, 180)}
    # A ring around the South Pole is closed along the bottom edge.
    ring = [(-180 + 60 * n, -70) for n in range(7)][:-1] + [(179, -70), (-180, -70)]
    (piece,) = _pieces([(lon if lon < 180 else 179.9, lat) for lon, lat in ring])
    assert piece[-1][1] == -90 and piece[-2][1] == -90


def test_names_and_titles_are_escaped_in_the_svg(client, member_city, durban):
    member_city.name = "<b>Rabat</b>"
    member_city.save()
    make_partnership(parties=[durban, member_city], title='<script>alert("x")</script>')
    page = client.get(reverse("learning:map")).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<title>&lt;b&gt;Rabat&lt;/b&gt;</title>" in page
