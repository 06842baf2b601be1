"""Figures of the learning programme for the dashboards, the world map and the API.

Everything here is read in a few grouped queries whatever the number of partnerships:
counts are aggregated by the database, and the map reads only the parties' cities.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape as html_escape

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db.models import Count, F, Q
from django.db.models.functions import Floor
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from actions.models import OPEN_STATUSES
from commissions.models import Commission
from entrevilles.languages import CODES
from learning.models import (
    GroupConclusion,
    GroupMembership,
    LearningGroup,
    Partnership,
    PartnershipParty,
    PartnershipStatus,
    PartyRole,
)
from library.models import Theme
from network.models import Organisation, Region

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

OPEN_CONCLUSION = Q(action__isnull=True) | Q(action__status__in=OPEN_STATUSES)


# --- filters ----------------------------------------------------------------------------


@dataclass
class Filters:
    """The filters shared by the dashboards' lists and the map (query parameters)."""

    status: str = ""
    theme: str = ""
    region: str = ""
    commission: str = ""

    @classmethod
    def from_query(cls, params, *, commission: Commission | None = None) -> Filters:
        status = params.get("status", "")
        return cls(
            status=status if status in PartnershipStatus.values else "",
            theme=params.get("theme", "")[:60],
            region=params.get("region", "")[:30],
            commission=commission.slug if commission else params.get("commission", "")[:80],
        )

    def apply(self, partnerships):
        if self.status:
            partnerships = partnerships.filter(status=self.status)
        if self.theme:
            partnerships = partnerships.filter(
                pk__in=Partnership.themes.through.objects.filter(theme__key=self.theme).values(
                    "partnership_id"
                )
            )
        if self.region:
            partnerships = partnerships.filter(
                pk__in=PartnershipParty.objects.filter(region__code=self.region).values(
                    "partnership_id"
                )
            )
        if self.commission:
            partnerships = partnerships.filter(facilitating_commission__slug=self.commission)
        return partnerships

    def apply_to_groups(self, groups):
        if self.theme:
            groups = groups.filter(
                pk__in=LearningGroup.themes.through.objects.filter(theme__key=self.theme).values(
                    "learninggroup_id"
                )
            )
        if self.commission:
            groups = groups.filter(facilitating_commission__slug=self.commission)
        return groups

    def as_dict(self) -> dict[str, str]:
        return {key: value for key, value in vars(self).items() if value}


# --- dashboard figures ------------------------------------------------------------------


@dataclass
class Bar:
    key: str
    label: str
    count: int
    percent: float = 0.0


@dataclass
class Figures:
    total: int
    by_status: list[Bar]
    by_theme: list[Bar]
    by_region: list[Bar]
    groups: list = field(default_factory=list)
    open_conclusions: list = field(default_factory=list)
    open_conclusion_count: int = 0


def _scale(bars: list[Bar]) -> list[Bar]:
    top = max((bar.count for bar in bars), default=0)
    for bar in bars:
        bar.percent = round(100 * bar.count / top, 1) if top else 0
    return bars


def partnership_figures(partnerships) -> tuple[int, list[Bar], list[Bar], list[Bar]]:
    """Counts by status, theme and region of the partnerships of a queryset (5 queries)."""
    counts = dict(
        partnerships.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    by_status = [
        Bar(value, label, counts.get(value, 0)) for value, label in PartnershipStatus.choices
    ]
    # Every partnership (the programme's dashboard): no list of ids to compare with.
    everything = not partnerships.query.where
    ids = partnerships.order_by().values("pk")
    theme_links = Partnership.themes.through.objects.all()
    parties = PartnershipParty.objects.all()
    if not everything:
        theme_links = theme_links.filter(partnership_id__in=ids)
        parties = parties.filter(partnership_id__in=ids)
    theme_counts = dict(
        theme_links.order_by()
        .values_list("theme_id")
        .annotate(n=Count("partnership_id", distinct=True))
        .values_list("theme_id", "n")
    )
    by_theme = [
        Bar(theme.key, theme.label, theme_counts[theme.pk])
        for theme in Theme.objects.filter(pk__in=theme_counts)
    ]
    by_theme.sort(key=lambda bar: -bar.count)
    region_counts = dict(
        parties.filter(region_id__isnull=False)
        .order_by()
        .values_list("region_id")
        .annotate(n=Count("partnership_id", distinct=True))
        .values_list("region_id", "n")
    )
    by_region = [
        Bar(region.code, region.name, region_counts[region.pk])
        for region in Region.objects.filter(pk__in=region_counts)
    ]
    return sum(counts.values()), _scale(by_status), _scale(by_theme), _scale(by_region)


def group_figures(groups, *, conclusion_limit: int = 10):
    """The groups with their current members and open conclusions, and the oldest open
    conclusions (3 queries)."""
    groups = list(
        groups.select_related("facilitating_commission")
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__left_on__isnull=True), distinct=True
            ),
            open_conclusion_count=Count(
                "conclusions",
                filter=Q(conclusions__action__isnull=True)
                | Q(conclusions__action__status__in=OPEN_STATUSES),
                distinct=True,
            ),
        )
        .order_by("name", "id")
    )
    open_conclusions = list(
        GroupConclusion.objects.filter(OPEN_CONCLUSION, group__in=[g.pk for g in groups])
        .select_related("group", "action")
        .order_by("concluded_on", "id")[:conclusion_limit]
    )
    return groups, open_conclusions


def dashboard_figures(partnerships, groups) -> Figures:
    total, by_status, by_theme, by_region = partnership_figures(partnerships)
    groups, open_conclusions = group_figures(groups)
    return Figures(
        total=total,
        by_status=by_status,
        by_theme=by_theme,
        by_region=by_region,
        groups=groups,
        open_conclusions=open_conclusions,
        open_conclusion_count=sum(g.open_conclusion_count for g in groups),
    )


# --- the world map ----------------------------------------------------------------------


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


# --- the world outline ------------------------------------------------------------------


def _decode_arcs(topology) -> list[list[tuple[float, float]]]:
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def _ring(arcs, indexes) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _pieces(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring cut where it crosses the antimeridian, each piece ending on the map's edge.

    The world-atlas shapes are spherical: Russia and Fiji cross the 180th meridian and
    Antarctica circles the pole. Drawn flat, each crossing is a jump across the whole map;
    cut there, every piece starts and ends on the same edge (so its closing line runs along
    that edge), and a ring around a pole is closed along the pole's edge."""
    crossings = []
    for index in range(1, len(ring)):
        (lon_a, lat_a), (lon_b, lat_b) = ring[index - 1], ring[index]
        if abs(lon_b - lon_a) > 180:
            edge = 180 if lon_a > 0 else -180
            # Latitude where the segment meets the antimeridian, going the short way round.
            span = (180 - abs(lon_a)) + (180 - abs(lon_b))
            share = (180 - abs(lon_a)) / span if span else 0.5
            crossings.append((index, edge, lat_a + (lat_b - lat_a) * share))
    if not crossings:
        return [ring]
    pieces = []
    count = len(crossings)
    body = ring[:-1] if ring[0] == ring[-1] else ring
    for n, (index, edge, lat) in enumerate(crossings):
        next_index, next_edge, next_lat = crossings[(n + 1) % count]
        wraps = next_index <= index
        points = body[index:] + body[:next_index] if wraps else body[index:next_index]
        pieces.append([(-edge, lat), *points, (next_edge, next_lat)])
    if count % 2:
        # Around a pole (Antarctica): one piece from edge to edge, closed along the pole.
        piece = pieces[0]
        pole = -90 if sum(lat for _lon, lat in piece) < 0 else 90
        piece += [(piece[-1][0], pole), (piece[0][0], pole)]
    return pieces


@lru_cache(maxsize=1)
def world_outline_path() -> str:
    """The land of Natural Earth (1:110m, from the world-atlas package) as one SVG path."""
    path = finders.find("vendor/world-atlas/land-110m.json")
    if path is None:
        return ""
    with open(path, encoding="utf-8") as handle:
        topology = json.load(handle)
    arcs = _decode_arcs(topology)
    parts = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                for piece in _pieces(_ring(arcs, ring)):
                    points = [project(lon, lat) for lon, lat in piece]
                    if len(points) < 3:
                        continue
                    head, *rest = points
                    parts.append(
                        f"M{head[0]:g} {head[1]:g}"
                        + "".join(f"L{x:g} {y:g}" for x, y in rest)
                        + "Z"
                    )
    return "".join(parts)


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


# --- the map's SVG layers -----------------------------------------------------------------
# Written here rather than in template loops: a thousand links through the template engine
# cost more than a second; joined strings cost a few milliseconds.


def _url_maker(name: str):
    """A fast `reverse(name, args=[pk])`: the URL is reversed once, the pk put in its place."""
    head, tail = reverse(name, args=[987654321]).split("987654321")
    return lambda pk: f"{head}{pk}{tail}"


# A great circle is drawn as quadratic curves through points computed on it: one curve
# for an arc shorter than this many degrees, two beyond.
ARC_SHORT_DEGREES = 60
ARC_SHORT_COSINE = math.cos(math.radians(ARC_SHORT_DEGREES))


def _vector(longitude: float, latitude: float) -> tuple[float, float, float]:
    lon, lat = math.radians(longitude), math.radians(latitude)
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


def _between(a, b) -> tuple[float, float, float] | None:
    """The point of the great circle halfway between two unit vectors (None if opposite)."""
    x, y, z = a[0] + b[0], a[1] + b[1], a[2] + b[2]
    norm = math.sqrt(x * x + y * y + z * z)
    return None if norm < 1e-9 else (x / norm, y / norm, z / norm)


def great_circle(
    source: tuple[float, float], target: tuple[float, float]
) -> list[tuple[float, float]]:
    """Points (longitude, latitude) along the shorter great circle from source to target.

    Longitudes are unwrapped (they may leave -180..180) so that a route across the
    antimeridian stays continuous; the caller draws the part beyond the edge again on the
    other side. Few points: the ends, and 1 (short arcs) or 3 (long ones) evenly between,
    found by halving the arc (sums of unit vectors, no trigonometry per point)."""
    a, b = _vector(*source), _vector(*target)
    middle = _between(a, b)
    if middle is None:  # the two ends are antipodes: any great circle; go straight
        return [source, ((source[0] + target[0]) / 2, (source[1] + target[1]) / 2), target]
    vectors = [a, middle, b]
    # cos(ARC_SHORT_DEGREES) compared with the dot product of the ends.
    if a[0] * b[0] + a[1] * b[1] + a[2] * b[2] < ARC_SHORT_COSINE:
        vectors = [a, _between(a, middle), middle, _between(middle, b), b]
    points = [source]
    previous = source[0]
    for x, y, z in vectors[1:-1]:
        lon = math.degrees(math.atan2(y, x))
        lon += 360 * round((previous - lon) / 360)  # within 180° of the previous point
        previous = lon
        points.append((lon, math.degrees(math.atan2(z, math.hypot(x, y)))))
    lon = target[0] + 360 * round((previous - target[0]) / 360)
    points.append((lon, target[1]))
    return points


X_SCALE, Y_SCALE = WIDTH / 360, HEIGHT / 180


def _short(value: float) -> str:
    """A coordinate of the SVG with one decimal at most (no trailing ".0")."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def arc_path(source: City, target: City) -> str:
    """SVG path data of the great-circle arc between two cities: quadratic curves passing
    through the points of great_circle() (a second copy shifted by the map's width when the
    arc crosses the antimeridian)."""
    points = great_circle((source.longitude, source.latitude), (target.longitude, target.latitude))
    # The equirectangular projection of project(), unrounded.
    xy = [((lon + 180) * X_SCALE, (90 - lat) * Y_SCALE) for lon, lat in points]

    def data(shift: float) -> str:
        (x0, y0), *rest = xy
        parts = [f"M{_short(x0 + shift)} {_short(y0)}"]
        for index in range(0, len(rest), 2):
            (xm, ym), (x2, y2) = rest[index], rest[index + 1]
            # The control point that makes the curve pass through the middle point.
            cx, cy = 2 * xm - (x0 + x2) / 2, 2 * ym - (y0 + y2) / 2
            parts.append(f"Q{_short(cx + shift)} {_short(cy)} {_short(x2 + shift)} {_short(y2)}")
            x0, y0 = x2, y2
        return "".join(parts)

    longitudes = [lon for lon, _lat in points]
    shift = WIDTH if min(longitudes) < -180 else -WIDTH if max(longitudes) > 180 else 0
    return data(0) + (data(shift) if shift else "")


def svg_links(links: list[Link]) -> str:
    """One great-circle arc per link, linking to its partnership."""
    url = _url_maker("learning:partnership")
    parts = []
    for link in links:
        title = html_escape(
            f"{link.title} ({link.status_label}): {link.source.name} – {link.target.name}"
        )
        parts.append(
            f'<a href="{url(link.partnership_id)}"><path class="link status-'
            f'{html_escape(link.status)}" d="{arc_path(link.source, link.target)}">'
            f"<title>{title}</title></path></a>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or a number


def svg_cities(cities: list[City]) -> str:
    url = _url_maker("network:organisation")
    parts = []
    for city in cities:
        x, y = city.xy
        css = "city group-city" if city.groups else "city"
        parts.append(
            f'<a href="{url(city.pk)}"><circle class="{css}" cx="{x:g}" cy="{y:g}" r="3">'
            f"<title>{html_escape(city.name)}</title></circle></a>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or a number


def svg_density(cells: list[tuple[float, float, int]]) -> str:
    parts = []
    for x, y, count in cells:
        radius = 7 if count > 5000 else 5 if count > 500 else 3.5 if count > 50 else 2
        parts.append(f'<circle cx="{x:g}" cy="{y:g}" r="{radius:g}"></circle>')
    return mark_safe("".join(parts))  # noqa: S308 - numbers only
