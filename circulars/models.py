"""Circulars: multilingual messages to members and partners, their audiences and deliveries.

A circular is written in one to three languages (subject and body columns per language,
through modeltranslation), addressed by include/exclude segments of the directory, and
delivered one message per recipient. The recipients are fixed when sending starts: one
Delivery row each, whose state machine (queued → sending → handed → sent / failed /
unconfirmed) is what makes a run resumable without sending anyone a message twice.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.models import OrganisationKind


class CircularKind(models.TextChoices):
    MEETING_OUTCOME = "meeting_outcome", _("Meeting outcome")
    ANNOUNCEMENT = "announcement", _("Announcement")
    CALL_FOR_PARTICIPATION = "call", _("Call for participation")


class CircularStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    STOPPED = "stopped", _("Stopped")
    SENT = "sent", _("Sent")


# Once sending has begun the text and the audience are frozen: what was sent is what the
# archive shows.
LOCKED_STATUSES = (
    CircularStatus.SENDING,
    CircularStatus.STOPPED,
    CircularStatus.SENT,
)


class CircularQuerySet(models.QuerySet):
    def sent(self):
        return self.filter(status=CircularStatus.SENT)


class Circular(models.Model):
    """A circular of the network, or of the network on behalf of one or more commissions."""

    kind = models.CharField(
        _("kind"), max_length=20, choices=CircularKind.choices, default=CircularKind.ANNOUNCEMENT
    )
    # No commission: sent in the network's own name.
    commissions = models.ManyToManyField(
        "commissions.Commission",
        blank=True,
        related_name="circulars",
        verbose_name=_("on behalf of the commissions"),
    )
    original_language = models.CharField(
        _("original language"), max_length=2, choices=settings.LANGUAGES, default="en"
    )
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown."))
    status = models.CharField(
        _("status"), max_length=10, choices=CircularStatus.choices, default=CircularStatus.DRAFT
    )
    meetings = models.ManyToManyField(
        "meetings.Meeting", blank=True, related_name="circulars", verbose_name=_("meetings")
    )
    documents = models.ManyToManyField(
        "library.Document", blank=True, related_name="circulars", verbose_name=_("documents")
    )
    actions = models.ManyToManyField(
        "actions.Action", blank=True, related_name="circulars", verbose_name=_("actions")
    )
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    sending_started_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Stamped by the worker as it goes, read to notice a run whose worker died.
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CircularQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("circular")
        verbose_name_plural = _("circulars")
        indexes = [models.Index(fields=["status", "sent_at"], name="circular_status_sent")]

    def __str__(self):
        return self.subject_in(self.original_language) or _("Circular %(number)s") % {
            "number": self.pk
        }

    def subject_in(self, language: str) -> str:
        return getattr(self, f"subject_{language}", "") or ""

    def body_in(self, language: str) -> str:
        return getattr(self, f"body_{language}", "") or ""

    def has_language(self, language: str) -> bool:
        return bool(self.subject_in(language).strip() and self.body_in(language).strip())

    @property
    def languages(self) -> list[str]:
        """The languages this circular is written in, the original first."""
        codes = [self.original_language] + [
            code for code in settings.LANGUAGE_CODES if code != self.original_language
        ]
        return [code for code in codes if self.has_language(code)]

    def language_for(self, wanted: str) -> str:
        """The version a reader of `wanted` gets: theirs if written, else the original."""
        return wanted if self.has_language(wanted) else self.original_language

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES


class CircularEvent(models.Model):
    """The circular's history: each change of status, by whom and when."""

    circular = models.ForeignKey(
        Circular, on_delete=models.CASCADE, related_name="events", verbose_name=_("circular")
    )
    status_before = models.CharField(
        _("status before"), max_length=10, choices=CircularStatus.choices, blank=True
    )
    status_after = models.CharField(
        _("status after"), max_length=10, choices=CircularStatus.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["circular", "at", "id"]
        verbose_name = _("circular event")
        verbose_name_plural = _("circular events")

    def __str__(self):
        return f"{self.circular_id}: {self.status_before} → {self.status_after}"


class SegmentKind(models.TextChoices):
    COMMISSION_MEMBERS = "commission", _("Members of a commission")
    PARTNERS = "partners", _("Partner organisations")
    ORGANISATION_KIND = "kind", _("Organisations of a kind")
    REGION = "region", _("Organisations of a region")
    MEETING_PARTICIPANTS = "meeting", _("Participants of a meeting")
    PEOPLE = "people", _("Chosen people")


class Segment(models.Model):
    """One part of a circular's audience: people included, or excluded, by one criterion.

    The audience is everyone in an included segment and in no excluded one, among the
    directory's people with an e-mail address that is not on the suppression list.
    """

    circular = models.ForeignKey(
        Circular, on_delete=models.CASCADE, related_name="segments", verbose_name=_("circular")
    )
    exclude = models.BooleanField(_("exclude"), default=False)
    kind = models.CharField(_("kind"), max_length=12, choices=SegmentKind.choices)
    commission = models.ForeignKey(
        "commissions.Commission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commission"),
    )
    organisation_kind = models.CharField(
        _("organisation kind"), max_length=20, choices=OrganisationKind.choices, blank=True
    )
    region = models.ForeignKey(
        "network.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("meeting"),
    )
    people = models.ManyToManyField(
        "network.Person", blank=True, related_name="+", verbose_name=_("people")
    )

    class Meta:
        ordering = ["circular", "exclude", "id"]
        verbose_name = _("audience segment")
        verbose_name_plural = _("audience segments")

    def __str__(self):
        return self.describe()

    def describe(self) -> str:
        """The segment in words, e.g. "Members of a commission: Digital Cities"."""
        label = str(self.get_kind_display())
        if self.kind == SegmentKind.COMMISSION_MEMBERS and self.commission_id:
            return f"{label}: {self.commission.name}"
        if self.kind == SegmentKind.ORGANISATION_KIND and self.organisation_kind:
            return f"{label}: {self.get_organisation_kind_display()}"
        if self.kind == SegmentKind.REGION and self.region_id:
            return f"{label}: {self.region.name}"
        if self.kind == SegmentKind.MEETING_PARTICIPANTS and self.meeting_id:
            return f"{label}: {self.meeting.title}"
        return label


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    # Claimed by a worker, not yet handed to the SMTP server: safe to queue again.
    SENDING = "sending", _("Being sent")
    # The message is being transmitted (SMTP DATA): from here a retry could duplicate it.
    HANDED = "handed", _("Handed to the mail server")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # The worker stopped while handing the message over: probably delivered, never retried
    # automatically (a duplicate is worse); the Message-ID identifies it in the relay's log.
    UNCONFIRMED = "unconfirmed", _("Unconfirmed")
    # Accepted by the relay, then returned by the recipient's server (a bounce report).
    BOUNCED = "bounced", _("Bounced")


DONE_STATUSES = (
    DeliveryStatus.SENT,
    DeliveryStatus.FAILED,
    DeliveryStatus.UNCONFIRMED,
    DeliveryStatus.BOUNCED,
)


class Delivery(models.Model):
    """The circular's message to one address: its language, its state and its log."""

    # No index of its own: the unique (circular, e-mail) pair serves the lookups by
    # circular, and each index is one more entry to write at each claim.
    circular = models.ForeignKey(
        Circular,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("circular"),
        db_index=False,
    )
    person = models.ForeignKey(
        "network.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="circular_deliveries",
        verbose_name=_("person"),
    )
    email = models.CharField(_("e-mail address"), max_length=254)
    name = models.CharField(_("name"), max_length=250, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=250, blank=True)
    # The version sent (the recipient's language if written, else the original) and the
    # recipient's own language, to tell them when they got another one.
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=settings.LANGUAGES
    )
    status = models.CharField(
        _("status"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Set while the row is queued, empty once claimed (see `delivery_due_queued`).
    next_attempt_at = models.DateTimeField(
        _("next attempt"), default=timezone.now, null=True, blank=True
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claim = models.CharField(_("claimed by"), max_length=32, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    smtp_reply = models.CharField(_("mail server reply"), max_length=500, blank=True)
    permanent = models.BooleanField(_("permanent failure"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["circular", "id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["circular", "email"], name="unique_circular_delivery")
        ]
        indexes = [
            # The claim query: queued rows due now, in order. Only queued rows have a next
            # attempt, and no index holds the status: the hand-over and the "sent" of each
            # message change no indexed column, so PostgreSQL updates the row in its page
            # without a new entry in each index (a heap-only update).
            models.Index(
                fields=["circular", "next_attempt_at", "id"],
                name="delivery_due_queued",
                condition=models.Q(next_attempt_at__isnull=False),
            ),
            models.Index(fields=["email", "circular"], name="delivery_email"),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_status_display()})"

    def message_id(self, domain: str) -> str:
        return delivery_message_id(self.circular_id, self.pk, domain)


def delivery_message_id(circular_id: int, delivery_id: int, domain: str) -> str:
    """Stable per delivery: a duplicate, should one ever happen, is identifiable."""
    return f"<circular-{circular_id}.delivery-{delivery_id}@{domain}>"


class SuppressionReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    BOUNCED = "bounced", _("Bounced")
    REFUSED = "refused", _("Refused by the mail server")


class Suppression(models.Model):
    """An address later circulars are not sent to (unsubscribed, bounced, refused)."""

    email = models.CharField(_("e-mail address"), max_length=254, unique=True)
    reason = models.CharField(_("reason"), max_length=12, choices=SuppressionReason.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    circular = models.ForeignKey(
        Circular,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("circular"),
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self):
        return f"{self.email} ({self.get_reason_display()})"
