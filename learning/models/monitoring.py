"""Monitoring of partnerships: periodic reports with a self-assessment and indicator values."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class AssessmentCriterion(models.Model):
    """A principle the network asks every partnership to score itself on, 1 to 5."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("self-assessment criterion")
        verbose_name_plural = _("self-assessment criteria")

    def __str__(self):
        return self.name


class Indicator(models.Model):
    """A figure the network tracks for every partnership (e.g. officers trained)."""

    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    MORE_REQUESTED = "more_requested", _("More asked for")
    ACCEPTED = "accepted", _("Read by the secretariat")


class MonitoringReport(models.Model):
    """One period's report of a partnership, filed by one of its parties."""

    partnership = models.ForeignKey(
        "learning.Partnership",
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("partnership"),
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="partnership_reports",
        verbose_name=_("reporting party"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    progress = models.TextField(_("progress"))
    difficulties = models.TextField(_("difficulties"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    secretariat_comment = models.TextField(_("secretariat's comment"), blank=True)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commented by"),
    )
    commented_at = models.DateTimeField(_("commented at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["partnership", "period_start"]
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "period_start"], name="report_one_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_in_order",
            ),
        ]
        indexes = [models.Index(fields=["period_start"], name="report_period_start")]

    def __str__(self):
        return f"{self.partnership_id} {self.period_start:%Y-%m-%d}"


class AssessmentScore(models.Model):
    report = models.ForeignKey(
        MonitoringReport, on_delete=models.CASCADE, related_name="scores", verbose_name=_("report")
    )
    criterion = models.ForeignKey(
        AssessmentCriterion,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("criterion"),
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    # Copied from the report (kept by save() and the services) so that the dashboards'
    # trends read one indexed table: the partnership, and the first day of the quarter
    # in which the report's period starts.
    partnership = models.ForeignKey(
        "learning.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partnership"),
    )
    quarter = models.DateField(_("quarter"), null=True, blank=True)

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["report", "criterion"], name="score_one_per_criterion"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="score_between_1_and_5"
            ),
        ]
        indexes = [
            models.Index(fields=["quarter", "criterion", "score"], name="score_quarter_criterion"),
            models.Index(fields=["partnership", "quarter"], name="score_partnership_quarter"),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.score}"

    def save(self, *args, **kwargs):
        if self.quarter is None and self.report_id:
            self.copy_report()
        super().save(*args, **kwargs)

    def copy_report(self, report=None) -> None:
        """Copy the report's partnership and quarter onto the score."""
        report = report or self.report
        self.partnership_id = report.partnership_id
        self.quarter = quarter_of(report.period_start)


def quarter_of(day):
    """The first day of the quarter of a date."""
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


class IndicatorValue(models.Model):
    report = models.ForeignKey(
        MonitoringReport,
        on_delete=models.CASCADE,
        related_name="indicator_values",
        verbose_name=_("report"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name=_("indicator")
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["indicator__position", "indicator_id"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="indicator_value_one_per_report"
            )
        ]

    def __str__(self):
        return f"{self.indicator_id}: {self.value}"
