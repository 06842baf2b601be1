"""Learning groups: several organisations working on one theme over time, their sessions
and the conclusions they draw (which may become actions of the action plan)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GroupVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("The group's members and its secretariat only")


class LearningGroupQuerySet(models.QuerySet):
    def public(self):
        return self.filter(visibility=GroupVisibility.PUBLIC)


class LearningGroup(models.Model):
    """Organisations working together on one theme over months or years."""

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=250)
    purpose = models.TextField(_("purpose"), blank=True)
    themes = models.ManyToManyField(
        "library.Theme", blank=True, related_name="learning_groups", verbose_name=_("themes")
    )
    facilitating_commission = models.ForeignKey(
        "commissions.Commission",
        on_delete=models.PROTECT,
        related_name="learning_groups",
        verbose_name=_("facilitating commission"),
    )
    organisations = models.ManyToManyField(
        "network.Organisation",
        through="GroupMembership",
        related_name="learning_groups",
        verbose_name=_("members"),
    )
    visibility = models.CharField(
        _("visible to"),
        max_length=10,
        choices=GroupVisibility.choices,
        default=GroupVisibility.PUBLIC,
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = LearningGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("learning group")
        verbose_name_plural = _("learning groups")
        indexes = [
            models.Index(
                fields=["facilitating_commission", "visibility"], name="group_commission_vis"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("learning:group", args=[self.slug])


class GroupMembership(models.Model):
    """An organisation's time in a learning group: when it joined and, if so, when it left."""

    group = models.ForeignKey(
        LearningGroup, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("group")
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.CASCADE,
        related_name="group_memberships",
        verbose_name=_("organisation"),
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["left_on", "joined_on", "id"]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "organisation"], name="group_member_unique"),
            models.CheckConstraint(
                name="group_member_left_after_joined",
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "left_on"], name="group_member_org")]

    def __str__(self):
        return f"{self.organisation} ({self.group})"

    @property
    def is_current(self) -> bool:
        return self.left_on is None

    def clean(self):
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("A member cannot leave before joining.")})


class GroupSession(models.Model):
    """A working session of the group, on its own or held during a network meeting."""

    group = models.ForeignKey(
        LearningGroup, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("group")
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=250, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_sessions",
        verbose_name=_("network meeting"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        indexes = [models.Index(fields=["group", "-held_on"], name="group_session_date")]

    def __str__(self):
        return f"{self.group} · {self.held_on:%Y-%m-%d}"


class GroupConclusion(models.Model):
    """A numbered, dated conclusion of the group; it may become an action of the action plan."""

    group = models.ForeignKey(
        LearningGroup,
        on_delete=models.CASCADE,
        related_name="conclusions",
        verbose_name=_("group"),
    )
    number = models.PositiveIntegerField(_("number"))
    concluded_on = models.DateField(_("date"))
    text = models.TextField(_("text"))
    session = models.ForeignKey(
        GroupSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conclusions",
        verbose_name=_("session"),
    )
    action = models.OneToOneField(
        "actions.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_conclusion",
        verbose_name=_("action"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["group", "number"]
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="group_conclusion_number"),
        ]

    def __str__(self):
        return f"{self.group} · {self.number}"

    @property
    def is_open(self) -> bool:
        """Open until an action follows it up and that action is done or dropped."""
        return self.action is None or self.action.is_open
