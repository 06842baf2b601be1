"""The proceedings of a meeting: minutes, their approval, the report and decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record, snapshot
from notifications.events import record_event
from notifications.models import EventKind
from uploads.formats import MEETING_REPORT, check_upload

from ..models import Decision, Meeting, Minutes, MinutesVersion, ReportDocument
from .common import _first_commission, _lock

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User


@transaction.atomic
def save_minutes(meeting: Meeting, text: str, *, actor: User | None) -> Minutes:
    """Save the draft minutes; each save is kept as a version. Approved minutes are locked."""
    minutes, _created = Minutes.objects.select_for_update().get_or_create(meeting=meeting)
    if minutes.is_locked:
        raise ValidationError(_("The minutes are approved and can no longer be edited."))
    before = minutes.text
    minutes.text = text
    minutes.save(update_fields=["text"])
    last = minutes.versions.aggregate(last=Max("number"))["last"] or 0
    MinutesVersion.objects.create(
        minutes=minutes,
        number=last + 1,
        text=text,
        saved_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(
        "meetings.minutes.saved",
        minutes,
        actor=actor,
        before={"text": before},
        after={"text": text, "version": last + 1},
        commission=_first_commission(meeting),
    )
    return minutes


@transaction.atomic
def approve_minutes(meeting: Meeting, *, actor: User | None) -> Minutes:
    """Approve the minutes: from now on they are locked."""
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None or not minutes.text.strip():
        raise ValidationError(_("Write the minutes before approving them."))
    if minutes.is_locked:
        raise ValidationError(_("The minutes are already approved."))
    minutes.status = "approved"
    minutes.approved_at = timezone.now()
    minutes.approved_by = actor if getattr(actor, "is_authenticated", False) else None
    minutes.save(update_fields=["status", "approved_at", "approved_by"])
    record(
        "meetings.minutes.approved",
        minutes,
        actor=actor,
        before={"status": "draft"},
        after={"status": "approved"},
        commission=_first_commission(meeting),
    )
    record_event(EventKind.MINUTES_APPROVED, meeting, actor=actor)
    return minutes


@transaction.atomic
def publish_report(
    meeting: Meeting,
    *,
    language: str,
    title: str,
    text: str = "",
    file: UploadedFile | None = None,
    actor: User | None,
) -> ReportDocument:
    """Publish (or replace) the meeting report in one language: a text, a file, or both."""
    if not text.strip() and not file:
        raise ValidationError(_("Give the report a text or a file."))
    report = ReportDocument.objects.filter(meeting=meeting, language=language).first()
    before = snapshot(report) if report else None
    if report is None:
        report = ReportDocument(meeting=meeting, language=language)
    report.title = title
    report.text = text
    if file:
        check_upload(file, MEETING_REPORT)
        report.file = file
    report.full_clean()
    report.save()
    record(
        "meetings.report.published",
        report,
        actor=actor,
        before=before,
        after=snapshot(report),
        commission=_first_commission(meeting),
    )
    record_event(EventKind.REPORT_PUBLISHED, meeting, actor=actor)
    return report


@transaction.atomic
def record_decision(meeting: Meeting, *, texts: dict[str, str], actor: User | None) -> Decision:
    """Record a decision; it takes the next number within the meeting."""
    if not any(value.strip() for value in texts.values()):
        raise ValidationError({"text": _("Write the decision.")})
    _lock(meeting)
    last = meeting.decisions.aggregate(last=Max("number"))["last"] or 0
    decision = Decision(meeting=meeting, number=last + 1)
    for code, value in texts.items():
        setattr(decision, f"text_{code}", value)
    decision.save()
    record(
        "meetings.decision.recorded",
        decision,
        actor=actor,
        after=snapshot(decision),
        commission=_first_commission(meeting),
    )
    record_event(EventKind.DECISION_RECORDED, meeting, actor=actor)
    return decision
