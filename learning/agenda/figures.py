"""The learning agenda's figures: demand (needs) and supply (experiences offered for peer
learning) by theme, region, size class and period, and the gaps between them.

Four grouped queries build a small "cube" (one row per theme, region, size class, year
and quarter, whatever the number of needs); every table, chart and CSV file of the agenda
is then cut from that cube in Python. Needs with several themes count once in each theme,
but once only in the totals by region, size class and period (hence the separate queries
without themes).
"""

from __future__ import annotations

import secrets
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import CharField, Count, ExpressionWrapper, IntegerField, Max, Value
from django.db.models.functions import Cast, Coalesce, Substr
from django.utils.translation import gettext as _

from entrevilles import fragments
from learning import pages
from learning.models import LearningNeed, NeedVisibility
from library.models import Experience, Theme
from network.models import Region, SizeClass

PERIODS = ("year", "quarter")
NO_THEME = 0


@dataclass
class Cell:
    demand: int = 0
    supply: int = 0

    @property
    def is_gap(self) -> bool:
        return self.demand > 0 and self.supply == 0


@dataclass
class Line:
    """One line of an agenda table: a label, its demand and supply, and a share for bars."""

    key: str
    label: str
    demand: int
    supply: int
    demand_share: int = 0
    supply_share: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def is_gap(self) -> bool:
        return self.demand > 0 and self.supply == 0


@dataclass
class AgendaFilters:
    region: str = ""  # region code
    size_class: str = ""
    theme: str = ""  # theme key
    period: str = "year"
    include_private: bool = False


# The last cube computed, per audience, in this process: (state, when, cube). Kept in
# memory rather than in Django's cache, whose pickling of ~20,000 cells would cost more
# than the page itself; each web process computes its own.
_CUBES: dict[bool, tuple[str, float, AgendaCube]] = {}

# The cube is kept this long at most; any change to what it counts changes its key at once.
CACHE_SECONDS = 300


def _year_and_quarter(field) -> dict:
    """Year and quarter of a date-time column, as SQL the database computes natively.

    Django's ExtractYear calls a Python function per row on SQLite (seconds at 100,000
    rows); the ISO text of a UTC timestamp ("2024-05-01 09:00:00...") is cut instead, the
    same on SQLite and PostgreSQL (whose sessions Django keeps in UTC).
    """
    text = Cast(field, output_field=CharField())
    month = Cast(Substr(text, 6, 2), output_field=IntegerField())
    return {
        "year": Cast(Substr(text, 1, 4), output_field=IntegerField()),
        "quarter": ExpressionWrapper((month + Value(2)) / Value(3), output_field=IntegerField()),
    }


def _need_rows(include_private: bool, with_themes: bool):
    needs = LearningNeed.objects.demand()
    if not include_private:
        needs = needs.filter(visibility=NeedVisibility.PUBLISHED)
    # The city's region and size class as copied onto the need: no join with 250,000
    # organisations.
    keys = ["region_id", "size_class"]
    if with_themes:
        keys.insert(0, "themes")
    return (
        needs.order_by()
        .annotate(**_year_and_quarter("created_at"))
        .values(*keys, "year", "quarter")
        .annotate(n=Count("id"))
        .values_list(*keys, "year", "quarter", "n")
    )


def _experience_rows(with_themes: bool):
    experiences = Experience.objects.published().filter(offers_peer_learning=True)
    keys = ["city__region_id", "city__size_class"]
    if with_themes:
        keys.insert(0, "themes")
    return (
        experiences.order_by()
        .annotate(**_year_and_quarter(Coalesce("published_at", "created_at")))
        .values(*keys, "year", "quarter")
        .annotate(n=Count("id"))
        .values_list(*keys, "year", "quarter", "n")
    )


class AgendaCube:
    """Demand and supply counts keyed by (theme id, region id, size class, year, quarter)."""

    @classmethod
    def load(cls, include_private: bool = False) -> AgendaCube:
        """The cube from the cache when nothing it counts has changed, else computed.

        The key holds the latest change to any need, the newest need and experience and
        the latest publication (indexed maxima instead of four grouped scans), and the
        version of the agenda's rows kept by learning.pages, which any saved or deleted
        need, experience or city replaces (in every process).
        """
        # Maxima only: each is one step down an index, where a count would read every row.
        # One maximum per query: SQLite reads an index only for a lone MIN or MAX.
        needs = LearningNeed.objects.order_by().aggregate(changed=Max("updated_at"))
        needs |= LearningNeed.objects.order_by().aggregate(last=Max("id"))
        experiences = Experience.objects.order_by().aggregate(last=Max("id"))
        published = Experience.objects.published().order_by().aggregate(last=Max("published_at"))
        version = fragments.remember(pages.AGENDA, lambda: secrets.token_hex(8), variant="cube")
        state = "{}|{}|{}|{}|{}|{}".format(
            int(include_private),
            version,
            needs["changed"],
            needs["last"],
            experiences["last"],
            published["last"],
        )
        now = time.monotonic()
        kept = _CUBES.get(include_private)
        if kept is not None and kept[0] == state and now - kept[1] < CACHE_SECONDS:
            return kept[2]
        cube = cls(include_private)
        _CUBES[include_private] = (state, now, cube)
        return cube

    def __init__(self, include_private: bool = False):
        # by_theme: (theme_id, region_id, size, year, quarter) -> Cell; NO_THEME for none.
        self.by_theme: dict[tuple, Cell] = defaultdict(Cell)
        # overall: (region_id, size, year, quarter) -> Cell, each need counted once.
        self.overall: dict[tuple, Cell] = defaultdict(Cell)
        for theme, region, size, year, quarter, n in _need_rows(include_private, True):
            self.by_theme[(theme or NO_THEME, region, size, year, quarter)].demand += n
        for region, size, year, quarter, n in _need_rows(include_private, False):
            self.overall[(region, size, year, quarter)].demand += n
        for theme, region, size, year, quarter, n in _experience_rows(True):
            self.by_theme[(theme or NO_THEME, region, size, year, quarter)].supply += n
        for region, size, year, quarter, n in _experience_rows(False):
            self.overall[(region, size, year, quarter)].supply += n
        # The same counts without the period, and the theme cube split by theme: the tables
        # that do not show time read these few hundred cells instead of every quarter.
        self.theme_place: dict[tuple, Cell] = defaultdict(Cell)
        self.of_theme: dict[int, dict[tuple, Cell]] = defaultdict(dict)
        self.supply_by_theme: dict[int, int] = defaultdict(int)
        for (theme, region, size, year, quarter), cell in self.by_theme.items():
            summed = self.theme_place[(theme, region, size)]
            summed.demand += cell.demand
            summed.supply += cell.supply
            self.of_theme[theme][(region, size, year, quarter)] = cell
            self.supply_by_theme[theme] += cell.supply
        self.place: dict[tuple, Cell] = defaultdict(Cell)
        for (region, size, _year, _quarter), cell in self.overall.items():
            summed = self.place[(region, size)]
            summed.demand += cell.demand
            summed.supply += cell.supply


class Agenda:
    """The agenda's tables for a set of filters, in the reader's language."""

    def __init__(self, filters: AgendaFilters, cube: AgendaCube | None = None):
        self.filters = filters
        self.cube = cube or AgendaCube.load(filters.include_private)
        self.themes = list(Theme.objects.order_by("position", "key"))
        self.regions = list(Region.objects.order_by("position", "code"))
        self.theme_by_id = {theme.pk: theme for theme in self.themes}
        self.region_by_id = {region.pk: region for region in self.regions}
        self.region_id = next(
            (region.pk for region in self.regions if region.code == filters.region), None
        )
        self.theme_id = next(
            (theme.pk for theme in self.themes if theme.key == filters.theme), None
        )
        self.sizes = dict(SizeClass.choices)

    # --- selection --------------------------------------------------------------------
    def _keep(self, region_id, size) -> bool:
        if self.filters.region and region_id != self.region_id:
            return False
        return not self.filters.size_class or size == self.filters.size_class

    def _rows(self):
        """(theme id or None, region id, size, year, quarter, cell) of the selection.

        With a theme filter, the theme cube is read for that theme; otherwise the
        totals read the overall cube so that a need with two themes counts once.
        """
        if self.filters.theme:
            for (region, size, year, quarter), cell in self.cube.of_theme.get(
                self.theme_id, {}
            ).items():
                if self._keep(region, size):
                    yield self.theme_id, region, size, year, quarter, cell
        else:
            for (region, size, year, quarter), cell in self.cube.overall.items():
                if self._keep(region, size):
                    yield None, region, size, year, quarter, cell

    def _place_rows(self):
        """(region id, size, cell) of the selection, periods summed (totals, regions, sizes)."""
        if self.filters.theme:
            for (theme, region, size), cell in self.cube.theme_place.items():
                if theme == self.theme_id and self._keep(region, size):
                    yield region, size, cell
        else:
            for (region, size), cell in self.cube.place.items():
                if self._keep(region, size):
                    yield region, size, cell

    def _theme_rows(self):
        """(theme id, region id, size, cell) of the selection, periods summed."""
        for (theme, region, size), cell in self.cube.theme_place.items():
            if self._keep(region, size) and (not self.filters.theme or theme == self.theme_id):
                yield theme, region, size, cell

    @staticmethod
    def _with_shares(lines: list[Line]) -> list[Line]:
        top = max([1, *(line.demand for line in lines), *(line.supply for line in lines)])
        for line in lines:
            line.demand_share = round(100 * line.demand / top)
            line.supply_share = round(100 * line.supply / top)
        return lines

    # --- tables -----------------------------------------------------------------------
    def totals(self) -> Cell:
        total = Cell()
        for _region, _size, cell in self._place_rows():
            total.demand += cell.demand
            total.supply += cell.supply
        return total

    def by_theme(self) -> list[Line]:
        sums: dict[int, Cell] = defaultdict(Cell)
        for theme, _region, _size, cell in self._theme_rows():
            sums[theme].demand += cell.demand
            sums[theme].supply += cell.supply
        lines = []
        for theme in self.themes:
            if self.filters.theme and theme.pk != self.theme_id:
                continue
            cell = sums.get(theme.pk, Cell())
            lines.append(Line(theme.key, theme.label, cell.demand, cell.supply))
        if not self.filters.theme and NO_THEME in sums:
            cell = sums[NO_THEME]
            lines.append(Line("", _("No theme given"), cell.demand, cell.supply))
        return self._with_shares(lines)

    def by_region(self) -> list[Line]:
        sums: dict[int, Cell] = defaultdict(Cell)
        for region, _size, cell in self._place_rows():
            sums[region].demand += cell.demand
            sums[region].supply += cell.supply
        lines = [
            Line(region.code, region.name, sums[region.pk].demand, sums[region.pk].supply)
            for region in self.regions
            if not self.filters.region or region.pk == self.region_id
        ]
        return self._with_shares(lines)

    def by_size_class(self) -> list[Line]:
        sums: dict[str, Cell] = defaultdict(Cell)
        for _region, size, cell in self._place_rows():
            sums[size or ""].demand += cell.demand
            sums[size or ""].supply += cell.supply
        lines = [
            Line(code, str(label), sums[code].demand, sums[code].supply)
            for code, label in SizeClass.choices
            if not self.filters.size_class or code == self.filters.size_class
        ]
        if sums.get("") and not self.filters.size_class:
            lines.append(Line("", _("Size unknown"), sums[""].demand, sums[""].supply))
        return self._with_shares(lines)

    def by_period(self) -> list[Line]:
        sums: dict[tuple, Cell] = defaultdict(Cell)
        quarterly = self.filters.period == "quarter"
        for _theme, _region, _size, year, quarter, cell in self._rows():
            if year is None:
                continue
            key = (year, quarter if quarterly else 0)
            sums[key].demand += cell.demand
            sums[key].supply += cell.supply
        if not sums:
            return []
        # Every period between the first and the last, empty ones included, so that the
        # chart's time axis is regular.
        first, last = min(sums), max(sums)
        keys = []
        year, quarter = first
        while (year, quarter) <= last:
            keys.append((year, quarter))
            if quarterly:
                year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
            else:
                year += 1
        lines = [
            Line(
                f"{year}-Q{quarter}" if quarterly else str(year),
                _("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter}
                if quarterly
                else str(year),
                sums[(year, quarter)].demand,
                sums[(year, quarter)].supply,
            )
            for year, quarter in keys
        ]
        return self._with_shares(lines)

    def gaps(self) -> list[Line]:
        """Themes asked for in a region and size class where no experience is offered there.

        Sorted by demand, largest first; `extra["elsewhere"]` tells how many experiences on
        the theme are offered in other regions or size classes (a pairing to broker).
        """
        supply_by_theme = self.cube.supply_by_theme
        lines = []
        for theme, region, size, cell in self._theme_rows():
            if theme == NO_THEME or not cell.is_gap or theme not in self.theme_by_id:
                continue
            region_obj = self.region_by_id.get(region)
            lines.append(
                Line(
                    self.theme_by_id[theme].key,
                    self.theme_by_id[theme].label,
                    cell.demand,
                    0,
                    extra={
                        "region": region_obj.name if region_obj else "",
                        "region_code": region_obj.code if region_obj else "",
                        "size_class": str(self.sizes.get(size, "")),
                        "size_code": size or "",
                        "elsewhere": supply_by_theme.get(theme, 0),
                    },
                )
            )
        lines.sort(key=lambda line: (-line.demand, line.label, line.extra["region"]))
        return self._with_shares(lines)


def column_chart(lines: list[Line], *, height: int = 120, band: int = 28) -> dict:
    """Coordinates of a server-rendered SVG column chart: demand and supply per period."""
    top = max([1, *(line.demand for line in lines), *(line.supply for line in lines)])
    columns = []
    for index, line in enumerate(lines):
        x = index * band
        demand = round(height * line.demand / top)
        supply = round(height * line.supply / top)
        columns.append(
            {
                "line": line,
                "x": x + 2,
                "x_supply": x + band // 2,
                "x_label": x + band // 2,
                "bar": band // 2 - 3,
                "demand_y": height - demand,
                "demand_h": demand,
                "supply_y": height - supply,
                "supply_h": supply,
            }
        )
    return {
        "columns": columns,
        "width": max(band, band * len(lines)),
        "height": height,
        "full_height": height + 34,
        "label_y": height + 14,
    }
