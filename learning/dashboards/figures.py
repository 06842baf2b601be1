"""Figures of the learning programme for the dashboards and the API: partnerships by status,
theme and region, learning groups and their open conclusions.

Everything here is read in a few grouped queries whatever the number of partnerships:
counts are aggregated by the database. The world map is in `worldmap` (its data) and
`mapsvg` (its drawing).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from actions.models import OPEN_STATUSES
from commissions.models import Commission
from learning.models import (
    GroupConclusion,
    LearningGroup,
    Partnership,
    PartnershipParty,
    PartnershipStatus,
)
from library.models import Theme
from network.models import Region

OPEN_CONCLUSION = Q(action__isnull=True) | Q(action__status__in=OPEN_STATUSES)


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
