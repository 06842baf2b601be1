"""The world map's data: the parties' cities and their links, the density, the GeoJSON.

The map reads only the parties' cities, in a few grouped queries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F
from django.db.models.functions import Floor
from django.utils.translation import get_language

from entrevilles.languages import CODES
from learning.models import GroupMembership, PartnershipParty, PartnershipStatus, PartyRole
from network.models import Organisation

# The map draws at most this many partnerships (the newest first); filters narrow it down.
MAP_LINK_LIMIT = 500

# Rows of the map's text alternative; the filtered list of partnerships has them all.
MAP_TABLE_LIMIT = 100

# Size of a density cell of the network's organisations, in degrees.
DENSITY_CELL = 5

# Where the organisations are changes slowly, and counting 250,000 of them takes a second.
DENSITY_CACHE_SECONDS = 6 * 3600
WIDTH, HEIGHT = 1000, 500

# Antarctica is left out: nothing of the network is there, and it takes a fifth of the map.
VIEW_HEIGHT = 430


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """Equirectangular projection onto the map's WIDTH × HEIGHT frame."""
    return (
        round((longitude + 180) / 360 * WIDTH, 1),
        round((90 - latitude) / 180 * HEIGHT, 1),
    )


def _name_order() -> list[int]:
    """Positions of settings.LANGUAGES to read a translated name in: the active language
    first, then EN → FR → ES (read once per page, not once per row)."""
    codes = [code for code, _name in settings.LANGUAGES]
    active = (get_language() or codes[0])[:2]
    first = [codes.index(active)] if active in codes else []
    return first + [index for index in range(len(codes)) if index not in first]


def _localised(names: tuple[str, ...] | list[str], order: list[int]) -> str:
    for index in order:
        if names[index]:
            return names[index]
    return ""


@dataclass
class City:
    pk: int
    name: str
    latitude: float
    longitude: float
    partnerships: int = 0
    groups: int = 0

    @property
    def xy(self) -> tuple[float, float]:
        return project(self.longitude, self.latitude)


@dataclass
class Link:
    partnership_id: int
    title: str
    status: str
    status_label: str
    source: City
    target: City


@dataclass
class MapData:
    cities: list[City]
    links: list[Link]
    partnership_count: int
    shown_partnerships: int
    density: list[tuple[float, float, int]] = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        return self.shown_partnerships < self.partnership_count


def map_data(partnerships, groups, *, limit: int = MAP_LINK_LIMIT) -> MapData:
    """The cities of the partnerships and groups given, and one link per pair of parties:
    the (first) mentor to each other party, or the first party to the others."""
    partnership_count = partnerships.order_by().count()
    newest = partnerships.order_by("-created_at", "-id")[:limit]
    chosen = list(newest.values_list("pk", "status", *(f"title_{code}" for code in CODES)))
    order = _name_order()
    info = {row[0]: (row[1], _localised(row[2:], order)) for row in chosen}
    # The parties with their cities in one joined query (no list of ids sent back).
    city_fields = (
        "organisation_id",
        "organisation__latitude",
        "organisation__longitude",
        *(f"organisation__name_{code}" for code in CODES),
    )
    cities: dict[int, City] = {}

    def city(row) -> int | None:
        pk, lat, lon, *names = row
        if lat is None or lon is None:
            return None
        if pk not in cities:
            cities[pk] = City(pk, _localised(names, order), lat, lon)
        return pk

    # The parties carry copies of their organisation's coordinates and names: one indexed
    # read of the parties, no lookup among the directory's organisations.
    parties: dict[int, list[tuple[str, int]]] = {}
    for partnership_id, role, *row in (
        PartnershipParty.objects.filter(partnership_id__in=newest.values("pk"))
        .order_by("partnership_id", "id")
        .values_list(
            "partnership_id",
            "role",
            "organisation_id",
            "latitude",
            "longitude",
            *(f"organisation_name_{code}" for code in CODES),
        )
    ):
        parties.setdefault(partnership_id, []).append((role, city(row)))
    members = [
        city(row)
        for row in GroupMembership.objects.filter(
            group__in=groups, left_on__isnull=True
        ).values_list(*city_fields)
    ]
    for organisation_id in members:
        if organisation_id is not None:
            cities[organisation_id].groups += 1
    labels = {value: str(label) for value, label in PartnershipStatus.choices}
    links = []
    for partnership_id, rows in parties.items():
        status, title = info[partnership_id]
        for _role, organisation_id in rows:
            if organisation_id is not None:
                cities[organisation_id].partnerships += 1
        hub = next((org for role, org in rows if role == PartyRole.MENTOR), rows[0][1])
        if hub is None:
            continue
        for _role, organisation_id in rows:
            if organisation_id is not None and organisation_id != hub:
                links.append(
                    Link(
                        partnership_id,
                        title,
                        status,
                        labels.get(status, status),
                        cities[hub],
                        cities[organisation_id],
                    )
                )
    return MapData(
        cities=sorted(cities.values(), key=lambda city: city.name),
        links=links,
        partnership_count=partnership_count,
        shown_partnerships=len(chosen),
    )


def density() -> list[tuple[float, float, int]]:
    """Organisations with coordinates per DENSITY_CELL° cell: (x, y, count), cached."""
    cached = cache.get("learning:map-density")
    if cached is not None:
        return cached
    rows = (
        Organisation.objects.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .annotate(
            lat_cell=Floor(F("latitude") / DENSITY_CELL),
            lon_cell=Floor(F("longitude") / DENSITY_CELL),
        )
        .values_list("lat_cell", "lon_cell")
        .annotate(n=Count("id"))
    )
    cells = []
    for lat_cell, lon_cell, n in rows:
        x, y = project(lon_cell * DENSITY_CELL, (lat_cell + 1) * DENSITY_CELL)
        cells.append((x, y, n))
    cache.set("learning:map-density", cells, DENSITY_CACHE_SECONDS)
    return cells


# Decimals of the coordinates sent: 0.001° is about 100 m, finer than any world map.
GEOJSON_DECIMALS = 3


def geojson(data: MapData) -> str:
    """The map's cities (points) and links (lines) as a GeoJSON FeatureCollection, as JSON
    text: only what is drawn, coordinates rounded (a link's ends are its cities; draw it as
    a great circle). Written row by row as text: no dictionary per feature to build and
    encode, thousands of objects fewer per request."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    where = {
        city.pk: f"[{round(city.longitude, GEOJSON_DECIMALS)},"
        f"{round(city.latitude, GEOJSON_DECIMALS)}]"
        for city in data.cities
    }
    features = [
        f'{{"type":"Feature","geometry":{{"type":"Point","coordinates":{where[city.pk]}}},'
        f'"properties":{{"kind":"city","id":{city.pk},"name":{dumps(city.name)},'
        f'"partnerships":{city.partnerships},"groups":{city.groups}}}}}'
        for city in data.cities
    ]
    titles: dict[int, str] = {}
    for link in data.links:
        title = titles.get(link.partnership_id)
        if title is None:
            title = titles[link.partnership_id] = dumps(link.title)
        features.append(
            f'{{"type":"Feature","geometry":{{"type":"LineString","coordinates":'
            f"[{where[link.source.pk]},{where[link.target.pk]}]}},"
            f'"properties":{{"kind":"partnership","partnership":{link.partnership_id},'
            f'"title":{title},"status":{dumps(link.status)},'
            f'"from":{link.source.pk},"to":{link.target.pk}}}}}'
        )
    return (
        '{"type":"FeatureCollection","features":['
        + ",".join(features)
        + f'],"partnership_count":{data.partnership_count},'
        f'"shown_partnerships":{data.shown_partnerships}}}'
    )
