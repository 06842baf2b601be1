"""The monitoring panel of dashboards: reports due and late, self-assessment trends."""

import datetime

from django import template
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.models import AssessmentCriterion, AssessmentScore, PartnershipStatus
from learning.models.monitoring import quarter_of
from learning.partnerships.permissions import partnerships_with_reports_for
from learning.partnerships.services import late_since

register = template.Library()

LISTED = 10
QUARTERS = 8
# A report counts as due from this many days before its period ends.
DUE_AHEAD_DAYS = 14
SVG_WIDTH, SVG_HEIGHT = 160, 40


def _points(values: list[float | None]) -> str:
    """Polyline points of a 1-5 series drawn in a small SVG (gaps skipped)."""
    step = SVG_WIDTH / max(len(values) - 1, 1)
    return " ".join(
        f"{index * step:.1f},{SVG_HEIGHT - (value - 1) / 4 * (SVG_HEIGHT - 4) - 2:.1f}"
        for index, value in enumerate(values)
        if value is not None
    )


def monitoring_data(user, commission=None, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    partnerships = partnerships_with_reports_for(user).filter(status=PartnershipStatus.ACTIVE)
    if commission is not None:
        partnerships = partnerships.filter(facilitating_commission=commission)
    late_before = late_since(today)
    late = partnerships.filter(next_report_due_on__lt=late_before)
    due = partnerships.filter(
        next_report_due_on__gte=late_before,
        next_report_due_on__lte=today + datetime.timedelta(days=DUE_AHEAD_DAYS),
    )
    counts = partnerships.aggregate(
        late=Count("pk", filter=Q(next_report_due_on__lt=late_before)),
        due=Count(
            "pk",
            filter=Q(
                next_report_due_on__gte=late_before,
                next_report_due_on__lte=today + datetime.timedelta(days=DUE_AHEAD_DAYS),
            ),
        ),
    )
    since = quarter_of(today.replace(day=1) - datetime.timedelta(days=31 * 3 * QUARTERS))
    readable = partnerships_with_reports_for(user)
    scores = AssessmentScore.objects.filter(quarter__gte=since)
    if commission is not None:
        scores = scores.filter(
            partnership__in=readable.filter(facilitating_commission=commission).values("pk")
        )
    elif readable.query.where:
        scores = scores.filter(partnership__in=readable.values("pk"))
    rows = (
        scores.values("criterion_id", "quarter").annotate(average=Avg("score")).order_by("quarter")
    )
    averages = {(row["criterion_id"], row["quarter"]): row["average"] for row in rows}
    quarters = sorted({quarter for _criterion, quarter in averages})[-QUARTERS:]
    trend = []
    if quarters:
        for criterion in AssessmentCriterion.objects.filter(is_active=True):
            values = [averages.get((criterion.pk, q)) for q in quarters]
            trend.append(
                {
                    "criterion": criterion,
                    "values": [round(v, 1) if v is not None else None for v in values],
                    "points": _points([float(v) if v is not None else None for v in values]),
                }
            )
    return {
        "late": list(late.order_by("next_report_due_on", "pk")[:LISTED]),
        "due": list(due.order_by("next_report_due_on", "pk")[:LISTED]),
        "late_count": counts["late"],
        "due_count": counts["due"],
        "quarters": [
            _("%(year)s Q%(quarter)s") % {"year": q.year, "quarter": (q.month - 1) // 3 + 1}
            for q in quarters
        ],
        "trend": trend,
        "svg_width": SVG_WIDTH,
        "svg_height": SVG_HEIGHT,
    }


@register.inclusion_tag("learning/_monitoring_panel_body.html", takes_context=True)
def monitoring_panel(context, commission=None):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return {"visible": False}
    # An absent `commission` reaches the tag as "" from the including template.
    if getattr(commission, "pk", None) is None:
        commission = None
    return {"visible": True, "commission": commission, **monitoring_data(user, commission)}
