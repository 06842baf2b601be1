"""The learning agenda: the priorities a commission adopts, each justified by cities' needs."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AgendaPriority(models.Model):
    """A priority of a commission's learning agenda, and the needs that justify it.

    Linking each priority to the needs behind it is what makes "the agenda follows local
    governments' demands" checkable: every priority shows the needs and their cities.
    """

    commission = models.ForeignKey(
        "commissions.Commission",
        on_delete=models.CASCADE,
        related_name="agenda_priorities",
        verbose_name=_("commission"),
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    original_language = models.CharField(
        _("original language"), max_length=2, choices=settings.LANGUAGES, default="en"
    )
    themes = models.ManyToManyField(
        "library.Theme", blank=True, related_name="agenda_priorities", verbose_name=_("themes")
    )
    needs = models.ManyToManyField(
        "learning.LearningNeed",
        blank=True,
        related_name="agenda_priorities",
        verbose_name=_("needs that justify it"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_priorities",
        verbose_name=_("adopted at the meeting"),
    )
    adopted_on = models.DateField(_("adopted on"), default=timezone.localdate)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["commission", "position", "-adopted_on", "id"]
        verbose_name = _("agenda priority")
        verbose_name_plural = _("agenda priorities")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return (
            reverse("learning:agenda_commission", args=[self.commission.slug])
            + f"#priority-{self.pk}"
        )
