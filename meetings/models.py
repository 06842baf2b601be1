"""Meetings of one or several commissions: agenda, participants, attendance and the record."""

import zoneinfo
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@cache
def time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            _("%(zone)s is not a known time zone (e.g. Africa/Casablanca)."),
            params={"zone": value},
            code="invalid_time_zone",
        )


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "id")

    def past(self, now=None):
        now = now or timezone.now()
        # A past meeting also started before now: saying so lets the database walk the
        # (visibility, starts_at) index in the list's order and stop after one page,
        # instead of sorting every past meeting.
        return self.filter(ends_at__lt=now, starts_at__lt=now).order_by("-starts_at", "-id")

    def public(self):
        return self.filter(visibility=MeetingVisibility.PUBLIC)


class Meeting(models.Model):
    """A meeting of one commission, or a joint meeting of several."""

    title = models.CharField(_("title"), max_length=250)
    purpose = models.TextField(_("purpose"), blank=True)
    commissions = models.ManyToManyField(
        "commissions.Commission", related_name="meetings", verbose_name=_("commissions")
    )
    host = models.ForeignKey(
        "network.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host city"),
    )
    venue = models.CharField(_("venue"), max_length=250, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # The venue's IANA zone: times are stored in UTC and shown in this zone.
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    online_url = models.URLField(_("online link"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    visibility = models.CharField(
        _("visible to"),
        max_length=10,
        choices=MeetingVisibility.choices,
        default=MeetingVisibility.PUBLIC,
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["starts_at"], name="meeting_starts"),
            models.Index(fields=["ends_at"], name="meeting_ends"),
            models.Index(fields=["visibility", "ends_at"], name="meeting_visibility_ends"),
            models.Index(fields=["visibility", "starts_at"], name="meeting_visibility_starts"),
        ]
        constraints = [
            models.CheckConstraint(
                name="meeting_ends_after_start",
                condition=models.Q(ends_at__gte=models.F("starts_at")),
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The meeting cannot end before it starts.")})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.zone)

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def is_joint(self) -> bool:
        return len(self.commissions.all()) > 1


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True
    )

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return self.title


class Invitation(models.Model):
    """An organisation, or one of its people, invited to a meeting."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("meeting")
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.CASCADE,
        related_name="meeting_invitations",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        "network.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meeting_invitations",
        verbose_name=_("person"),
    )
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    # Set once the invitation mail has left: the sending task skips these.
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    # Nobody to write to: neither the person, nor the organisation's representatives, nor
    # the organisation has an e-mail address. Not e-mailed; the inviter is told.
    no_address = models.BooleanField(_("no e-mail address"), default=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"],
                condition=models.Q(person=None),
                name="unique_meeting_org_invitation",
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=models.Q(person__isnull=False),
                name="unique_meeting_person_invitation",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "meeting"], name="invitation_org")]

    def __str__(self):
        return str(self.person or self.organisation)


class ParticipationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")


# The statuses that take a seat.
SEATED = (ParticipationStatus.REGISTERED, ParticipationStatus.ATTENDED)


class Participation(models.Model):
    """A person's registration to a meeting, and whether they attended."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participations", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        "network.Person",
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("person"),
    )
    # Copied at registration: people change organisation, the record must not.
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ParticipationStatus.choices,
        default=ParticipationStatus.REGISTERED,
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )

    class Meta:
        ordering = ["meeting", "registered_at", "id"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="unique_participation")
        ]
        indexes = [
            models.Index(fields=["meeting", "status", "registered_at"], name="participation_queue"),
            models.Index(fields=["person", "meeting"], name="participation_person"),
            models.Index(fields=["organisation", "meeting"], name="participation_org"),
        ]

    def __str__(self):
        return f"{self.person} — {self.meeting}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class Minutes(models.Model):
    """The minutes of a meeting: edited as a draft, then approved and locked."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("meeting")
    )
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return str(self.meeting)

    @property
    def is_locked(self) -> bool:
        return self.status == MinutesStatus.APPROVED


class MinutesVersion(models.Model):
    """Each saved text of the minutes, kept as their history."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="versions", verbose_name=_("minutes")
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"), blank=True)
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )

    class Meta:
        ordering = ["minutes", "-number"]
        verbose_name = _("minutes version")
        verbose_name_plural = _("minutes versions")
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="unique_minutes_version")
        ]

    def __str__(self):
        return f"{self.minutes} v{self.number}"


def report_upload_to(instance, filename: str) -> str:
    return f"meetings/{instance.meeting_id}/report-{instance.language}-{filename}"


class ReportDocument(models.Model):
    """The meeting report in one language: a text, a file, or both."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="reports", verbose_name=_("meeting")
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=250)
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to=report_upload_to, blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        ordering = ["meeting", "language"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "language"], name="unique_report_language")
        ]

    def __str__(self):
        return self.title


class Decision(models.Model):
    """A decision taken at a meeting, numbered within it (1, 2, 3...)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="unique_decision_number")
        ]

    def __str__(self):
        return _("Decision %(number)s: %(text)s") % {
            "number": self.number,
            "text": self.text[:80],
        }


class ExternalEvent(models.Model):
    """An event the network does not organise but where it is represented (UN sessions,
    European platforms, international meetings)."""

    title = models.CharField(_("title"), max_length=250)
    organiser = models.CharField(_("organiser"), max_length=250)
    place = models.CharField(_("place"), max_length=250, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    url = models.URLField(_("website"), blank=True)
    commissions = models.ManyToManyField(
        "commissions.Commission", related_name="external_events", verbose_name=_("commissions")
    )
    workstream = models.ForeignKey(
        "actions.Workstream",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="external_events",
        verbose_name=_("workstream"),
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("external event")
        verbose_name_plural = _("external events")
        indexes = [models.Index(fields=["starts_on"], name="external_event_starts")]
        constraints = [
            models.CheckConstraint(
                name="external_event_ends_after_start",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
            )
        ]

    def __str__(self):
        return self.title


class Representation(models.Model):
    """An organisation (and its person) representing the network at an external event,
    with the mandate given and the report back."""

    event = models.ForeignKey(
        ExternalEvent,
        on_delete=models.CASCADE,
        related_name="representations",
        verbose_name=_("event"),
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="representations",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        "network.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="representations",
        verbose_name=_("person"),
    )
    mandate = models.TextField(_("mandate"), blank=True)
    report_back = models.TextField(_("report back"), blank=True)
    # Library documents that support the mandate or the report back (messages, positions).
    documents = models.ManyToManyField(
        "library.Document",
        blank=True,
        related_name="representations",
        verbose_name=_("documents"),
    )
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("representation")
        verbose_name_plural = _("representations")
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation"], name="unique_representation")
        ]

    def __str__(self):
        return f"{self.organisation} — {self.event}"
