"""Follows, the events the services record, the notifications fanned out from them, each
person's e-mail preferences, and the ledger of the e-mails sent (never twice)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetType(models.TextChoices):
    """What one can follow. Targets are named by type and id rather than by a generic
    foreign key: fan-out filters on two plain indexed columns."""

    COMMISSION = "commission", _("Commission")
    MEETING = "meeting", _("Meeting")
    NEED = "need", _("Learning need")
    PARTNERSHIP = "partnership", _("Partnership")
    GROUP = "group", _("Learning group")
    ORGANISATION = "organisation", _("Organisation")
    THEME = "theme", _("Theme")
    ACTION = "action", _("Action")


class Follow(models.Model):
    """A person follows one thing. An automatic follow (owner of an action, party to a
    partnership...) that the person removes stays as an inactive row, so that it is not
    added again behind their back."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follows",
        verbose_name=_("person"),
    )
    target_type = models.CharField(_("type"), max_length=20, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField(_("id"))
    automatic = models.BooleanField(_("automatic"), default=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"], name="unique_follow"
            )
        ]
        indexes = [
            # Fan-out walks the followers of a target in user order.
            models.Index(fields=["target_type", "target_id", "user"], name="follow_target"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.target_type} {self.target_id}"


class EventKind(models.TextChoices):
    EXPERIENCE_PUBLISHED = "experience.published", _("A new experience on a theme I follow")
    NEED_SUGGESTIONS = "need.suggestions", _("New suggestions for a learning need")
    PARTNERSHIP_PROPOSED = "partnership.proposed", _("A partnership proposed")
    PARTNERSHIP_ANSWERED = "partnership.answered", _("An answer to a partnership proposal")
    PARTNERSHIP_CHANGED = "partnership.changed", _("A partnership's status changed")
    REPORT_DUE = "partnership.report_due", _("A monitoring report due")
    REPORT_COMMENTED = "partnership.report_commented", _("A monitoring report commented")
    GROUP_SESSION = "group.session_added", _("A learning group's session recorded")
    GROUP_CONCLUSION = "group.conclusion_added", _("A learning group's new conclusion")
    MINUTES_APPROVED = "meeting.minutes_approved", _("Minutes approved")
    REPORT_PUBLISHED = "meeting.report_published", _("A meeting report published")
    DOCUMENT_PUBLISHED = "document.published", _("A document published")
    DECISION_RECORDED = "meeting.decision_recorded", _("A decision recorded")
    MEETING_CHANGED = "meeting.changed", _("A meeting changed")
    MEETING_CANCELLED = "meeting.cancelled", _("A meeting cancelled")
    ACTION_ASSIGNED = "action.assigned", _("An action assigned to me")
    ACTION_UPDATED = "action.updated", _("An action updated")
    ACTION_DUE = "action.due", _("An action due soon or late")
    CIRCULAR_PUBLISHED = "circular.published", _("A circular published")


class EventVisibility(models.TextChoices):
    """Who may hear of an event: everyone who follows, network members only, or whoever
    the owning app's permission rule lets see the subject (checked person by person)."""

    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members")
    CHECK = "check", _("Checked per person")


class Event(models.Model):
    """Something that happened, recorded by a service in the transaction of the change.

    `targets` lists the followed things it concerns (["theme", 3], ["commission", 1]...);
    the subject is the object it is about (an experience, an action), whose title is kept
    in every language available so that each reader gets the best one.
    """

    kind = models.CharField(_("kind"), max_length=40, choices=EventKind.choices)
    targets = models.JSONField(_("targets"), default=list)
    subject_type = models.CharField(_("subject type"), max_length=20)
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    titles = models.JSONField(_("titles"), default=dict)
    url = models.CharField(_("address"), max_length=300, blank=True)
    visibility = models.CharField(_("visibility"), max_length=10, choices=EventVisibility.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    # Fan-out progress: the last follower id handled, then the time it finished.
    fan_out_cursor = models.PositiveBigIntegerField(default=0)
    fanned_out_at = models.DateTimeField(_("fanned out at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["fanned_out_at"], name="event_pending_fan_out")]

    def __str__(self):
        return f"{self.kind} {self.subject_type} {self.subject_id}"

    def title_in(self, language: str) -> str:
        """The subject's title in `language`, else the best one available."""
        for code in (language, *settings.LANGUAGE_CODES):
            if self.titles.get(code):
                return self.titles[code]
        return ""


class Notification(models.Model):
    """One event for one person. `mail_key` says which e-mail carried it ("" while none
    has; "never" when the person does not want mail of that kind)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("person"),
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("event")
    )
    kind = models.CharField(_("kind"), max_length=40, choices=EventKind.choices)
    created_at = models.DateTimeField(_("when"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    mail_key = models.CharField(_("e-mail"), max_length=40, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="unique_notification")
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(fields=["mail_key", "user"], name="notification_mail"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.event_id}"


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("In a daily digest")
    WEEKLY = "weekly", _("In a weekly digest")
    NEVER = "never", _("Never by e-mail")


DEFAULT_FREQUENCY = Frequency.DAILY


class Preference(models.Model):
    """How a person wants e-mail about one kind of event; without a row, the daily digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=EventKind.choices)
    frequency = models.CharField(_("e-mail"), max_length=12, choices=Frequency.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="unique_preference")]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.frequency}"


class MailStatus(models.TextChoices):
    PENDING = "pending", _("To send")
    SENDING = "sending", _("Being handed over")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Nothing left to send")


class NotificationMail(models.Model):
    """The ledger of notification e-mails: one row per person and mail key
    ("daily:2026-12-06", "weekly:2026-12-07", "event:812"). The unique pair is what
    keeps a repeated or resumed run from sending the same e-mail twice.

    A worker claims pending rows (`claim`, `claimed_at`) and marks each one "being handed
    over" in a commit of its own right before the message's content leaves: a row a dead
    worker had claimed but not handed over is claimed again once its lease has expired;
    a row left "being handed over" (at most one per connection) may have been delivered,
    so it is not sent again on its own."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    key = models.CharField(_("e-mail"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(_("language"), max_length=2, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)
    claim = models.CharField(_("claimed by"), max_length=32, blank=True, default="")
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("notification e-mail")
        verbose_name_plural = _("notification e-mails")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="unique_notification_mail")
        ]
        indexes = [models.Index(fields=["key", "status"], name="notification_mail_todo")]

    def __str__(self):
        return f"{self.user_id} {self.key} {self.status}"
