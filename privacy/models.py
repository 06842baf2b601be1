"""Archives of a person's data, and the record of each retention purge."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class DataExport(models.Model):
    """An archive of everything the platform holds about one person, built by the worker
    and downloadable through a secret link until it expires."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="data_exports",
        verbose_name=_("person"),
    )
    token = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    file = models.CharField(_("file"), max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self):
        return f"{self.user_id} {self.requested_at:%Y-%m-%d %H:%M}"


class PurgeRun(models.Model):
    """One run of the retention purge and what it removed, per kind of record."""

    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True, db_index=True)
    removed = models.JSONField(_("removed"), default=dict)

    class Meta:
        ordering = ["-ran_at", "-id"]
        verbose_name = _("retention purge")
        verbose_name_plural = _("retention purges")

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d %H:%M}"
