from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
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
    reporting_every_months = models.PositiveSmallIntegerField(
        _("reports every (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    # The end of the first period with no report yet (kept by the services), so that
    # "due" and "late" are one indexed comparison on a dashboard of thousands.
    next_report_due_on = models.DateField(_("next report due on"), null=True, blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
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
            models.Index(fields=["status", "next_report_due_on"], name="partnership_report_due"),
            models.Index(fields=["created_at", "id"], name="partnership_created"),
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
    # The organisation's region and country, copied here (kept by save() and by
    # `learning.copies`) so that counts by region read one table, not 250,000 rows.
    region = models.ForeignKey(
        "network.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    country = models.ForeignKey(
        "network.Country",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    # And where it is and its names, so that the world map reads the parties alone.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    organisation_name_en = models.CharField(max_length=200, blank=True, editable=False)
    organisation_name_fr = models.CharField(max_length=200, blank=True, editable=False)
    organisation_name_es = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="partnership_party_unique"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "role"], name="party_org_role"),
            models.Index(fields=["region", "partnership"], name="party_region_partnership"),
            models.Index(fields=["country", "partnership"], name="party_country_partnership"),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        if self.region_id is None and self.organisation_id:
            self.copy_place()
        super().save(*args, **kwargs)

    def copy_place(self, organisation=None) -> None:
        """Copy the organisation's region, country, coordinates and names onto the party."""
        organisation = organisation or self.organisation
        for name, value in place_of(organisation).items():
            setattr(self, name, value)


# What a party copies of its organisation: the party's field and the organisation's column.
PLACE_COLUMNS = {
    "region_id": "region_id",
    "country_id": "country_id",
    "latitude": "latitude",
    "longitude": "longitude",
    "organisation_name_en": "name_en",
    "organisation_name_fr": "name_fr",
    "organisation_name_es": "name_es",
}
PLACE_FIELDS = tuple(PLACE_COLUMNS)


def place_of(organisation) -> dict:
    """What a party copies of its organisation (PLACE_COLUMNS; names never null)."""
    place = {copy: getattr(organisation, column) for copy, column in PLACE_COLUMNS.items()}
    for copy in ("organisation_name_en", "organisation_name_fr", "organisation_name_es"):
        place[copy] = place[copy] or ""
    return place


class PartnershipStatusChange(models.Model):
    """Who moved a partnership to which status, and when (its history)."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("partnership"),
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=PartnershipStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=PartnershipStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.partnership_id}: {self.from_status} -> {self.to_status}"


class Milestone(models.Model):
    """A step of a partnership's plan."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("partnership"),
    )
    title = models.CharField(_("title"), max_length=250)
    due_on = models.DateField(_("due on"))
    reached_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title


class ActivityKind(models.TextChoices):
    STUDY_VISIT = "study_visit", _("Study visit")
    WEBINAR = "webinar", _("Webinar")
    MENTORING_SESSION = "mentoring_session", _("Mentoring session")
    JOINT_WORKSHOP = "joint_workshop", _("Joint workshop")


class Activity(models.Model):
    """A study visit, webinar, mentoring session or workshop of a partnership's plan."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("partnership"),
    )
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("milestone"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=250)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=250, blank=True)
    participants = models.ManyToManyField(
        "network.Person",
        blank=True,
        related_name="partnership_activities",
        verbose_name=_("participants"),
    )
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["ends_on"], name="activity_ends_on")]

    def __str__(self):
        return self.title
