from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .verbs import verb_label


class AuditEntry(models.Model):
    """One write: who did what to which object, when, with the values before and after.

    `action` is a dotted code such as "network.organisation.updated". `commission` is set
    when the object belongs to a commission, so that its secretariat can read the entry.
    """

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=100)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    commission = models.ForeignKey(
        "commissions.Commission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commission"),
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["commission", "at"], name="audit_commission"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {verb_label(self.action)} {self.object_repr}"
