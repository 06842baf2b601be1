"""The world map drawn in SVG: the land's outline, the links as great circles, the cities
and the density."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from html import escape as html_escape

from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils.safestring import mark_safe

from .worldmap import HEIGHT, WIDTH, City, Link, project


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
