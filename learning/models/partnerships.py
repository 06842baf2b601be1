from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PartnershipStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CLOSED_EARLY = "closed_early", _("Closed early")


class PartyRole(models.TextChoices):
    LEARNER = "learner", _("Learner")
    MENTOR = "mentor", _("Mentor")


class PartyResponse(models.TextChoices):
    PENDING = "pending", _("Awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Partnership(models.Model):
    """Two or more organisations learning from each other over months, with a lifecycle."""

    title = models.CharField(_("title"), max_length=250)
    objectives = models.TextField(_("objectives"), blank=True)
    original_language = models.CharField(
        _("original language"), max_length=2, choices=settings.LANGUAGES, default="en"
    )
    facilitating_commission = models.ForeignKey(
        "commissions.Commission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("facilitating commission"),
    )
    organisations = models.ManyToManyField(
        "network.Organisation",
        through="PartnershipParty",
        related_name="partnerships",
        verbose_name=_("parties"),
    )
    needs = models.ManyToManyField(
        "learning.LearningNeed",
        blank=True,
        related_name="partnerships",
        verbose_name=_("learning needs"),
    )
    experiences = models.ManyToManyField(
        "library.Experience",
        blank=True,
        related_name="partnerships",
        verbose_name=_("experiences"),
    )
    themes = models.ManyToManyField(
        "library.Theme", blank=True, related_name="partnerships", verbose_name=_("themes")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.PROPOSED,
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        indexes = [
            models.Index(fields=["status", "-created_at"], name="partnership_status_created"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("learning:partnership", args=[self.pk])


class PartnershipParty(models.Model):
    """An organisation's place in a partnership: learner or mentor, and its answer."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="parties", verbose_name=_("partnership")
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.CASCADE,
        related_name="partnership_parties",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=10, choices=PartyRole.choices)
    response = models.CharField(
        _("answer"), max_length=10, choices=PartyResponse.choices, default=PartyResponse.PENDING
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="partnership_party_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "role"], name="party_org_role")]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"
