"""Every write to circulars: drafting, audience, approval, sending, unsubscribes and bounces."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import changed, record, snapshot
from entrevilles.languages import language_name
from network.models import OrganisationKind

from . import markup
from .models import (
    Circular,
    CircularEvent,
    CircularKind,
    CircularStatus,
    Segment,
    SegmentKind,
    Suppression,
    SuppressionReason,
)

if TYPE_CHECKING:
    from accounts.models import User
    from commissions.models import Commission
    from meetings.models import Meeting

TEXT_FIELDS = [f"{name}_{code}" for name in ("subject", "body") for code in settings.LANGUAGE_CODES]


def _first_commission(circular: Circular) -> Commission | None:
    return circular.commissions.order_by("pk").first()


def _transition(circular: Circular, status: str, *, actor: User | None, note: str = "") -> None:
    before = circular.status
    circular.status = status
    CircularEvent.objects.create(
        circular=circular,
        status_before=before,
        status_after=status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:300],
    )


def clean_texts(
    subjects: dict[str, str], bodies: dict[str, str], original_language: str
) -> dict[str, str]:
    """Check the language versions; returns the column values. One version is required
    (the original language's); any other is optional but must have both a subject and a
    body; placeholders must be known."""
    if original_language not in settings.LANGUAGE_CODES:
        raise ValidationError({"original_language": _("Choose English, French or Spanish.")})
    values: dict[str, str] = {}
    errors: dict[str, list] = {}
    for code in settings.LANGUAGE_CODES:
        subject = (subjects.get(code) or "").strip()
        body = (bodies.get(code) or "").strip()
        if bool(subject) != bool(body):
            errors.setdefault(f"body_{code}" if subject else f"subject_{code}", []).append(
                _("Write both the subject and the body of the %(language)s version, or neither.")
                % {"language": language_name(code, in_sentence=True)}
            )
        if code == original_language and not (subject and body):
            errors.setdefault(f"subject_{code}", []).append(
                _("The original language's version (%(language)s) is required.")
                % {"language": language_name(code, in_sentence=True)}
            )
        for field, text in ((f"subject_{code}", subject), (f"body_{code}", body)):
            try:
                markup.check_placeholders(text)
            except ValidationError as error:
                errors.setdefault(field, []).extend(error.messages)
        if len(subject) > 250:
            errors.setdefault(f"subject_{code}", []).append(
                _("A subject has at most 250 characters.")
            )
        values[f"subject_{code}"] = subject
        values[f"body_{code}"] = body + "\n" if body else ""
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def create_circular(
    *,
    kind: str,
    commissions: Iterable,
    original_language: str,
    subjects: dict[str, str],
    bodies: dict[str, str],
    meetings: Iterable = (),
    documents: Iterable = (),
    actions: Iterable = (),
    actor: User | None,
) -> Circular:
    if kind not in CircularKind.values:
        raise ValidationError({"kind": _("Choose a kind of circular.")})
    values = clean_texts(subjects, bodies, original_language)
    circular = Circular.objects.create(
        kind=kind,
        original_language=original_language,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **values,
    )
    circular.commissions.set(list(commissions))
    circular.meetings.set(list(meetings))
    circular.documents.set(list(documents))
    circular.actions.set(list(actions))
    _transition(circular, CircularStatus.DRAFT, actor=actor)
    record(
        "circulars.circular.created",
        circular,
        actor=actor,
        after=snapshot(circular),
        commission=_first_commission(circular),
    )
    return circular


@transaction.atomic
def update_circular(
    circular: Circular,
    *,
    kind: str,
    commissions: Iterable,
    original_language: str,
    subjects: dict[str, str],
    bodies: dict[str, str],
    meetings: Iterable = (),
    documents: Iterable = (),
    actions: Iterable = (),
    actor: User | None,
) -> Circular:
    """Edit a circular not yet being sent; an approved one goes back to draft."""
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if circular.is_locked:
        raise ValidationError(_("A circular cannot be changed once sending has started."))
    if kind not in CircularKind.values:
        raise ValidationError({"kind": _("Choose a kind of circular.")})
    values = clean_texts(subjects, bodies, original_language)
    before = snapshot(circular)
    circular.kind = kind
    circular.original_language = original_language
    for field, value in values.items():
        setattr(circular, field, value)
    if circular.status != CircularStatus.DRAFT:
        _transition(
            circular, CircularStatus.DRAFT, actor=actor, note=_("Edited: approval withdrawn.")
        )
        circular.approved_by = None
        circular.approved_at = None
        circular.scheduled_for = None
    circular.save()
    circular.commissions.set(list(commissions))
    circular.meetings.set(list(meetings))
    circular.documents.set(list(documents))
    circular.actions.set(list(actions))
    old, new = changed(before, snapshot(circular))
    record(
        "circulars.circular.updated",
        circular,
        actor=actor,
        before=old,
        after=new,
        commission=_first_commission(circular),
    )
    return circular


@transaction.atomic
def delete_circular(circular: Circular, *, actor: User | None) -> None:
    if circular.status not in (CircularStatus.DRAFT, CircularStatus.APPROVED):
        raise ValidationError(_("Only a circular that was never sent can be deleted."))
    record(
        "circulars.circular.deleted",
        circular,
        actor=actor,
        before=snapshot(circular),
        commission=_first_commission(circular),
    )
    circular.delete()


def _clean_segment(data: dict) -> dict:
    kind = data.get("kind")
    if kind not in SegmentKind.values:
        raise ValidationError(_("Choose what the segment is made of."))
    needed = {
        SegmentKind.COMMISSION_MEMBERS: "commission",
        SegmentKind.ORGANISATION_KIND: "organisation_kind",
        SegmentKind.REGION: "region",
        SegmentKind.MEETING_PARTICIPANTS: "meeting",
        SegmentKind.PEOPLE: "people",
    }.get(kind)
    if needed and not data.get(needed):
        raise ValidationError(
            _("This segment needs its %(what)s.")
            % {"what": Segment._meta.get_field(needed).verbose_name}  # type: ignore[union-attr]  # a field of the segment, never a reverse relation
        )
    if (
        kind == SegmentKind.ORGANISATION_KIND
        and data["organisation_kind"] not in OrganisationKind.values
    ):
        raise ValidationError(_("Choose a kind of organisation."))
    return {
        "kind": kind,
        "exclude": bool(data.get("exclude")),
        "commission": data.get("commission") if needed == "commission" else None,
        "organisation_kind": data.get("organisation_kind", "")
        if needed == "organisation_kind"
        else "",
        "region": data.get("region") if needed == "region" else None,
        "meeting": data.get("meeting") if needed == "meeting" else None,
        "people": list(data.get("people") or []) if needed == "people" else [],
    }


@transaction.atomic
def set_audience(circular: Circular, segments: list[dict], *, actor: User | None) -> list[Segment]:
    """Replace the circular's audience by these segments (include and exclude)."""
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if circular.is_locked:
        raise ValidationError(_("The audience cannot be changed once sending has started."))
    cleaned = [_clean_segment(data) for data in segments]
    before = [
        s.describe() for s in circular.segments.select_related("commission", "region", "meeting")
    ]
    circular.segments.all().delete()
    created = []
    for data in cleaned:
        people = data.pop("people")
        segment = Segment.objects.create(circular=circular, **data)
        if people:
            segment.people.set(people)
        created.append(segment)
    record(
        "circulars.circular.audience",
        circular,
        actor=actor,
        before={"segments": before},
        after={"segments": [("-" if s.exclude else "+") + s.describe() for s in created]},
        commission=_first_commission(circular),
    )
    return created


@transaction.atomic
def approve_circular(circular: Circular, *, actor: User | None) -> Circular:
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if circular.status != CircularStatus.DRAFT:
        raise ValidationError(_("Only a draft can be approved."))
    circular.approved_by = actor if getattr(actor, "is_authenticated", False) else None
    circular.approved_at = timezone.now()
    _transition(circular, CircularStatus.APPROVED, actor=actor)
    circular.save()
    record(
        "circulars.circular.approved",
        circular,
        actor=actor,
        after={"status": circular.status},
        commission=_first_commission(circular),
    )
    return circular


def _enqueue_run(circular_id: int, when: datetime | None = None) -> None:
    from .tasks import send_circular

    task = send_circular.using(run_after=when) if when else send_circular
    transaction.on_commit(lambda: task.enqueue(circular_id))


@transaction.atomic
def schedule_circular(circular: Circular, when: datetime, *, actor: User | None) -> Circular:
    """Send an approved circular at `when` (the worker starts it then)."""
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if circular.status not in (CircularStatus.APPROVED, CircularStatus.SCHEDULED):
        raise ValidationError(_("Only an approved circular can be scheduled."))
    if when <= timezone.now():
        raise ValidationError({"scheduled_for": _("Choose a time in the future.")})
    circular.scheduled_for = when
    _transition(circular, CircularStatus.SCHEDULED, actor=actor)
    circular.save()
    record(
        "circulars.circular.scheduled",
        circular,
        actor=actor,
        after={"scheduled_for": when.isoformat()},
        commission=_first_commission(circular),
    )
    from .tasks import start_scheduled

    transaction.on_commit(lambda: start_scheduled.using(run_after=when).enqueue(circular.pk))
    return circular


@transaction.atomic
def start_sending(circular: Circular, *, actor: User | None) -> int:
    """Fix the recipients (one Delivery each) and hand the run to the worker.

    Returns the number of recipients. Refused for an empty audience.
    """
    from .delivery import fix_recipients

    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if circular.status not in (CircularStatus.APPROVED, CircularStatus.SCHEDULED):
        raise ValidationError(_("Only an approved circular can be sent."))
    count = fix_recipients(circular)
    if count == 0:
        # Rolled back with the transaction: nothing is half-started.
        raise ValidationError(_("Nobody would receive this circular: the audience is empty."))
    now = timezone.now()
    circular.sending_started_at = now
    circular.last_activity_at = now
    _transition(
        circular,
        CircularStatus.SENDING,
        actor=actor,
        note=_("%(count)s recipients.") % {"count": count},
    )
    circular.save()
    record(
        "circulars.circular.sending",
        circular,
        actor=actor,
        after={"recipients": count},
        commission=_first_commission(circular),
    )
    _enqueue_run(circular.pk)
    return count


@transaction.atomic
def stop_sending(circular: Circular, *, actor: User | None) -> Circular:
    """Pause the run: the worker finishes the message in hand and stops claiming."""
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if circular.status != CircularStatus.SENDING:
        raise ValidationError(_("Only a circular being sent can be stopped."))
    _transition(circular, CircularStatus.STOPPED, actor=actor)
    circular.save()
    record(
        "circulars.circular.stopped",
        circular,
        actor=actor,
        after={"status": circular.status},
        commission=_first_commission(circular),
    )
    return circular


@transaction.atomic
def resume_sending(circular: Circular, *, actor: User | None) -> Circular:
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if circular.status != CircularStatus.STOPPED:
        raise ValidationError(_("Only a stopped circular can be resumed."))
    circular.last_activity_at = timezone.now()
    _transition(circular, CircularStatus.SENDING, actor=actor)
    circular.save()
    record(
        "circulars.circular.resumed",
        circular,
        actor=actor,
        after={"status": circular.status},
        commission=_first_commission(circular),
    )
    _enqueue_run(circular.pk)
    return circular


@transaction.atomic
def confirm_delivered(circular: Circular, message_ids: str, *, actor: User | None) -> int:
    """Mark as sent the unconfirmed deliveries whose Message-IDs the relay's log shows.

    `message_ids` is text pasted from that log: every Message-ID of this circular found in
    it counts (others are ignored). Returns how many deliveries were confirmed; what stays
    unconfirmed is what to send again.
    """
    from .models import Delivery, DeliveryStatus

    pattern = re.compile(rf"circular-{circular.pk}\.delivery-(\d+)@")
    ids = {int(found) for found in pattern.findall(message_ids or "")}
    if not ids:
        raise ValidationError(
            _("No Message-ID of this circular was found in the text."), code="none"
        )
    rows = Delivery.objects.filter(circular=circular, status=DeliveryStatus.UNCONFIRMED, pk__in=ids)
    emails = list(rows.order_by("id").values_list("email", flat=True)[:1000])
    now = timezone.now()
    count = rows.update(
        status=DeliveryStatus.SENT,
        sent_at=now,
        smtp_reply=_("Found in the mail server's log."),
        updated_at=now,
    )
    if count == 0:
        raise ValidationError(
            _("None of these Message-IDs is an unconfirmed delivery of this circular."),
            code="none",
        )
    record(
        "circulars.circular.unconfirmed_confirmed",
        circular,
        actor=actor,
        after={"count": count, "emails": emails},
        commission=_first_commission(circular),
    )
    return count


@transaction.atomic
def resend_unconfirmed(circular: Circular, *, actor: User | None, confirmed: bool) -> int:
    """Queue the circular's `unconfirmed` deliveries again, once someone has checked (in
    the relay's log, by Message-ID) that they did not go out. Returns how many.

    Never automatic: a worker that died while handing a message over leaves it
    unconfirmed precisely because it may have been delivered. The Message-ID stays the
    same, so a mail client that did get the first copy can tell the second is the same.
    """
    from .models import Delivery, DeliveryStatus

    if not confirmed:
        raise ValidationError(
            _("Confirm that you checked these messages were not delivered."), code="unconfirmed"
        )
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if circular.status not in (CircularStatus.SENDING, CircularStatus.STOPPED, CircularStatus.SENT):
        raise ValidationError(_("Only a circular that has been sent has deliveries to resend."))
    rows = Delivery.objects.filter(circular=circular, status=DeliveryStatus.UNCONFIRMED)
    emails = list(rows.order_by("id").values_list("email", flat=True)[:1000])
    now = timezone.now()
    count = rows.update(
        status=DeliveryStatus.QUEUED,
        claim="",
        next_attempt_at=now,
        smtp_reply=_("Sent again after checking."),
        updated_at=now,
    )
    if count == 0:
        raise ValidationError(_("No delivery is unconfirmed."), code="none")
    if circular.status == CircularStatus.SENT:
        circular.last_activity_at = now
        _transition(
            circular,
            CircularStatus.SENDING,
            actor=actor,
            note=_("%(count)s unconfirmed deliveries sent again.") % {"count": count},
        )
        circular.save()
    record(
        "circulars.circular.unconfirmed_resent",
        circular,
        actor=actor,
        after={"count": count, "emails": emails},
        commission=_first_commission(circular),
    )
    if circular.status == CircularStatus.SENDING:
        _enqueue_run(circular.pk)
    return count


def keep_going(circular: Circular, now: datetime | None = None) -> bool:
    """Enqueue a new run when a circular being sent shows no activity for a lease (its
    worker died, or the server restarted). Runs are idempotent, so an extra one is
    harmless; the stamp keeps pollers from enqueuing one each. Returns True if enqueued."""
    from .delivery import LEASE

    now = now or timezone.now()
    with transaction.atomic():
        updated = Circular.objects.filter(
            pk=circular.pk, status=CircularStatus.SENDING, last_activity_at__lt=now - LEASE
        ).update(last_activity_at=now)
        if updated:
            _enqueue_run(circular.pk)
    return bool(updated)


def send_test(circular: Circular, *, email: str, language: str, actor: User | None) -> None:
    """A copy to `email` (the actor's own address), in `language`, by the worker."""
    from .tasks import send_test_message

    if language not in settings.LANGUAGE_CODES:
        raise ValidationError(_("Choose English, French or Spanish."))
    if not email:
        raise ValidationError(_("Your account has no e-mail address."))
    record(
        "circulars.circular.test_sent",
        circular,
        actor=actor,
        after={"email": email, "language": language},
        commission=_first_commission(circular),
    )
    transaction.on_commit(lambda: send_test_message.enqueue(circular.pk, email, language))


@transaction.atomic
def suppress(
    email: str,
    *,
    reason: str,
    detail: str = "",
    circular: Circular | None = None,
    actor: User | None,
) -> Suppression:
    """Later circulars skip this address (unsubscribed, bounced)."""
    email = email.strip().lower()
    if not email or "@" not in email:
        raise ValidationError(_("Enter a valid e-mail address."))
    if reason not in SuppressionReason.values:
        raise ValidationError(_("Choose a reason."))
    suppression, created = Suppression.objects.get_or_create(
        email=email,
        defaults={"reason": reason, "detail": detail[:500], "circular": circular},
    )
    if created:
        record(
            f"circulars.suppression.{reason}",
            suppression,
            actor=actor,
            after={"email": email, "reason": reason},
        )
    return suppression


@transaction.atomic
def record_bounce(
    email: str, *, detail: str = "", message_id: str = "", actor: User | None
) -> tuple[Suppression, int]:
    """A bounce report for `email`: later circulars skip it, and the delivery it was about
    is marked bounced (found by our Message-ID; without one, the address's latest
    delivered message). Returns the suppression and how many deliveries were marked."""
    from .bounces import Bounce
    from .models import Delivery, DeliveryStatus

    email = email.strip().lower()
    ids = Bounce(email=email, message_id=message_id).delivery_ids()
    delivered = Delivery.objects.filter(
        email=email, status__in=[DeliveryStatus.SENT, DeliveryStatus.UNCONFIRMED]
    )
    if ids is not None:
        rows = delivered.filter(circular_id=ids[0], pk=ids[1])
    else:
        latest = delivered.order_by("-sent_at", "-id").values_list("pk", flat=True)[:1]
        rows = Delivery.objects.filter(pk__in=list(latest))
    target = rows.select_related("circular").first()
    suppression = suppress(
        email,
        reason=SuppressionReason.BOUNCED,
        detail=detail,
        circular=target.circular if target else None,
        actor=actor,
    )
    marked = 0
    if target is not None:
        marked = Delivery.objects.filter(pk=target.pk, status=target.status).update(
            status=DeliveryStatus.BOUNCED,
            smtp_reply=(detail or _("Returned by the recipient's mail server."))[:500],
            updated_at=timezone.now(),
        )
        if marked:
            record(
                "circulars.delivery.bounced",
                target,
                actor=actor,
                before={"status": target.status},
                after={"status": DeliveryStatus.BOUNCED, "detail": detail[:500]},
                commission=_first_commission(target.circular),
            )
    return suppression, marked


@transaction.atomic
def draft_from_meeting(meeting: Meeting, *, original_language: str, actor: User | None) -> Circular:
    """A draft meeting-outcome circular in every language, addressed to the members of
    the meeting's commissions and to the partners, for the secretariat to edit."""
    from .composer import draft_from_meeting as compose

    draft = compose(meeting)
    commissions = list(meeting.commissions.all())
    circular = create_circular(
        kind=CircularKind.MEETING_OUTCOME,
        commissions=commissions,
        original_language=original_language,
        subjects=draft.subjects,
        bodies=draft.bodies,
        meetings=[meeting],
        documents=draft.document_ids,
        actions=draft.action_ids,
        actor=actor,
    )
    set_audience(
        circular,
        [{"kind": SegmentKind.COMMISSION_MEMBERS, "commission": c} for c in commissions]
        + [{"kind": SegmentKind.PARTNERS}],
        actor=actor,
    )
    return circular
