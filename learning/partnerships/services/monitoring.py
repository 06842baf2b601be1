"""Monitoring: the parties' reports, their revisions and comments, the reference
criteria and indicators."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record, snapshot
from entrevilles.integers import parse_int
from learning.models import (
    AssessmentCriterion,
    AssessmentScore,
    Indicator,
    IndicatorValue,
    MonitoringReport,
    Partnership,
    ReportStatus,
)
from learning.models.monitoring import quarter_of
from notifications.events import record_event
from notifications.models import EventKind

from .common import S, _commission, _notify_on_commit, _refresh_next_report_due, reporting_periods

if TYPE_CHECKING:
    from accounts.models import User
    from network.models import Organisation


def _clean_scores(scores: dict) -> dict[int, int]:
    criteria = list(AssessmentCriterion.objects.filter(is_active=True).values_list("pk", flat=True))
    clean: dict[int, int] = {}
    for criterion_id in criteria:
        value = scores.get(criterion_id, scores.get(str(criterion_id)))
        number = parse_int(value)
        if number is None:
            raise ValidationError({"scores": _("Score every criterion from 1 to 5.")})
        if not 1 <= number <= 5:
            raise ValidationError({"scores": _("A score is a whole number from 1 to 5.")})
        clean[criterion_id] = number
    return clean


def _clean_indicators(values: dict) -> dict[int, Decimal]:
    clean: dict[int, Decimal] = {}
    for indicator_id in Indicator.objects.filter(is_active=True).values_list("pk", flat=True):
        value = values.get(indicator_id, values.get(str(indicator_id)))
        if value in (None, ""):
            continue
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            raise ValidationError({"indicators": _("Indicator values are numbers.")}) from None
        if not number.is_finite() or abs(number) >= Decimal("1e12"):
            raise ValidationError({"indicators": _("Indicator values are numbers.")})
        clean[indicator_id] = number
    return clean


def _write_scores(
    report: MonitoringReport, scores: dict[int, int], values: dict[int, Decimal]
) -> None:
    report.scores.all().delete()
    report.indicator_values.all().delete()
    AssessmentScore.objects.bulk_create(
        [
            AssessmentScore(
                report=report,
                criterion_id=c,
                score=s,
                partnership_id=report.partnership_id,
                quarter=quarter_of(report.period_start),
            )
            for c, s in scores.items()
        ]
    )
    IndicatorValue.objects.bulk_create(
        [IndicatorValue(report=report, indicator_id=i, value=v) for i, v in values.items()]
    )


@transaction.atomic
def file_report(
    partnership: Partnership,
    *,
    organisation: Organisation,
    period_start: datetime.date,
    progress: str,
    actor: User | None,
    difficulties: str = "",
    next_steps: str = "",
    scores: dict | None = None,
    indicator_values: dict | None = None,
) -> MonitoringReport:
    """A party reports on one period of an active partnership."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if partnership.status != S.ACTIVE:
        raise ValidationError(_("Reports are filed while the partnership is active."))
    if not partnership.parties.filter(organisation=organisation).exists():
        raise ValidationError(_("Only a party of the partnership reports on it."))
    periods = dict(reporting_periods(partnership, timezone.localdate()))
    if period_start not in periods:
        raise ValidationError({"period": _("Choose one of the partnership's reporting periods.")})
    if partnership.reports.filter(period_start=period_start).exists():
        raise ValidationError({"period": _("This period has already been reported on.")})
    if not progress.strip():
        raise ValidationError({"progress": _("Say what progress was made.")})
    clean_scores = _clean_scores(scores or {})
    clean_values = _clean_indicators(indicator_values or {})
    report = MonitoringReport.objects.create(
        partnership=partnership,
        organisation=organisation,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        period_start=period_start,
        period_end=periods[period_start],
        progress=progress.strip(),
        difficulties=difficulties.strip(),
        next_steps=next_steps.strip(),
    )
    _write_scores(report, clean_scores, clean_values)
    _refresh_next_report_due(partnership)
    record(
        "learning.report.filed",
        report,
        actor=actor,
        after=snapshot(report) | {"scores": clean_scores},
        commission=_commission(partnership),
    )
    return report


@transaction.atomic
def revise_report(
    report: MonitoringReport,
    *,
    progress: str,
    actor: User | None,
    difficulties: str = "",
    next_steps: str = "",
    scores: dict | None = None,
    indicator_values: dict | None = None,
) -> MonitoringReport:
    """The author's party answers the secretariat's request for more."""
    if report.status != ReportStatus.MORE_REQUESTED:
        raise ValidationError(_("This report is not waiting for changes."))
    if not progress.strip():
        raise ValidationError({"progress": _("Say what progress was made.")})
    before = snapshot(report, ["progress", "difficulties", "next_steps", "status"])
    report.progress, report.difficulties = progress.strip(), difficulties.strip()
    report.next_steps = next_steps.strip()
    report.status = ReportStatus.SUBMITTED
    report.save()
    _write_scores(report, _clean_scores(scores or {}), _clean_indicators(indicator_values or {}))
    record(
        "learning.report.revised",
        report,
        actor=actor,
        before=before,
        after=snapshot(report, ["progress", "difficulties", "next_steps", "status"]),
        commission=_commission(report.partnership),
    )
    return report


@transaction.atomic
def comment_report(
    report: MonitoringReport, *, comment: str, ask_for_more: bool, actor: User | None
) -> MonitoringReport:
    """The secretariat comments; asking for more sends the report back to its author."""
    if ask_for_more and not comment.strip():
        raise ValidationError({"comment": _("Say what more you need.")})
    before = snapshot(report, ["secretariat_comment", "status"])
    report.secretariat_comment = comment.strip()
    report.status = ReportStatus.MORE_REQUESTED if ask_for_more else ReportStatus.ACCEPTED
    report.commented_by = actor if getattr(actor, "is_authenticated", False) else None
    report.commented_at = timezone.now()
    report.save()
    record(
        "learning.report.commented",
        report,
        actor=actor,
        before=before,
        after=snapshot(report, ["secretariat_comment", "status"]),
        commission=_commission(report.partnership),
    )
    if ask_for_more:
        _notify_on_commit(
            report.partnership,
            "more_requested",
            organisation_ids=[report.organisation_id],
            secretariat=False,
        )
    record_event(EventKind.REPORT_COMMENTED, report.partnership, actor=actor)
    return report


@transaction.atomic
def save_monitoring_reference(
    entry: AssessmentCriterion | Indicator, *, actor: User | None
) -> AssessmentCriterion | Indicator:
    """Save a self-assessment criterion or an indicator from the back office, audited."""
    before = None
    if entry.pk is not None:
        before = snapshot(type(entry).objects.get(pk=entry.pk))
    entry.save()
    record(
        f"learning.{entry._meta.model_name}.saved",
        entry,
        actor=actor,
        before=before,
        after=snapshot(entry),
    )
    return entry
