from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CommissionKind(models.TextChoices):
    COMMISSION = "commission", _("Commission")
    WORKING_GROUP = "working_group", _("Working group")
    COMMUNITY = "community", _("Community of practice")


class CommissionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Commission(models.Model):
    """A commission, working group or community of practice of the network."""

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=CommissionKind.choices, default=CommissionKind.COMMISSION
    )
    mandate = models.TextField(_("mandate"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    members = models.ManyToManyField(
        "network.Organisation",
        through="CommissionMembership",
        related_name="commissions",
        verbose_name=_("members"),
    )

    objects = CommissionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")

    def __str__(self):
        return self.name


class CommissionMembership(models.Model):
    commission = models.ForeignKey(
        Commission,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("commission"),
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.CASCADE,
        related_name="commission_memberships",
        verbose_name=_("organisation"),
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("commission membership")
        verbose_name_plural = _("commission memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "organisation"], name="unique_commission_membership"
            )
        ]
        indexes = [models.Index(fields=["organisation", "commission"], name="membership_org")]

    def __str__(self):
        return f"{self.organisation} — {self.commission}"


class PresidencyRole(models.TextChoices):
    PRESIDENT = "president", _("President")
    CO_PRESIDENT = "co_president", _("Co-president")
    VICE_PRESIDENT = "vice_president", _("Vice-president")


class PresidencyQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(models.Q(start_date__lte=on) | models.Q(start_date=None)).filter(
            models.Q(end_date__gte=on) | models.Q(end_date=None)
        )


class Presidency(models.Model):
    """An organisation presiding a commission for a term, represented by a person."""

    commission = models.ForeignKey(
        Commission,
        on_delete=models.CASCADE,
        related_name="presidencies",
        verbose_name=_("commission"),
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="presidencies",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        "network.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="presidencies",
        verbose_name=_("represented by"),
    )
    role = models.CharField(_("role"), max_length=20, choices=PresidencyRole.choices)
    start_date = models.DateField(_("term starts"), null=True, blank=True)
    end_date = models.DateField(_("term ends"), null=True, blank=True)

    objects = PresidencyQuerySet.as_manager()

    class Meta:
        # Presidents first, then co-presidents, then vice-presidents.
        ordering = [
            "commission",
            models.Case(
                models.When(role="president", then=models.Value(0)),
                models.When(role="co_president", then=models.Value(1)),
                default=models.Value(2),
            ),
            "start_date",
        ]
        verbose_name = _("presidency")
        verbose_name_plural = _("presidencies")
        constraints = [
            models.CheckConstraint(
                name="presidency_term_in_order",
                condition=models.Q(end_date=None)
                | models.Q(start_date=None)
                | models.Q(end_date__gte=models.F("start_date")),
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.organisation}"

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("A term cannot end before it starts.")
        if (
            self.person_id is not None
            and self.organisation_id is not None
            and self.person.organisation_id != self.organisation_id
        ):
            errors["person"] = _("%(person)s does not belong to %(organisation)s.") % {
                "person": self.person.full_name,
                "organisation": self.organisation,
            }
        if errors:
            raise ValidationError(errors)

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (self.start_date is None or self.start_date <= today) and (
            self.end_date is None or self.end_date >= today
        )


class Secretariat(models.Model):
    """The organisation running a commission's secretariat, and its contact people."""

    commission = models.ForeignKey(
        Commission,
        on_delete=models.CASCADE,
        related_name="secretariats",
        verbose_name=_("commission"),
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="secretariats",
        verbose_name=_("organisation"),
    )
    contacts = models.ManyToManyField(
        "network.Person",
        blank=True,
        related_name="secretariat_contacts",
        verbose_name=_("contact people"),
    )
    email = models.EmailField(_("e-mail address"), blank=True)

    class Meta:
        verbose_name = _("secretariat")
        verbose_name_plural = _("secretariats")
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "organisation"], name="unique_secretariat"
            )
        ]

    def __str__(self):
        return f"{self.organisation} — {self.commission}"
