"""A circular approved and sent: scheduled, started, stopped, resumed, and test copies."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record

from ..models import Circular, CircularStatus
from .common import _first_commission, _transition

if TYPE_CHECKING:
    from accounts.models import User


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
    from ..tasks import send_circular

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
    from ..tasks import start_scheduled

    transaction.on_commit(lambda: start_scheduled.using(run_after=when).enqueue(circular.pk))
    return circular


@transaction.atomic
def start_sending(circular: Circular, *, actor: User | None) -> int:
    """Fix the recipients (one Delivery each) and hand the run to the worker.

    Returns the number of recipients. Refused for an empty audience.
    """
    from ..delivery import fix_recipients

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


def keep_going(circular: Circular, now: datetime | None = None) -> bool:
    """Enqueue a new run when a circular being sent shows no activity for a lease (its
    worker died, or the server restarted). Runs are idempotent, so an extra one is
    harmless; the stamp keeps pollers from enqueuing one each. Returns True if enqueued."""
    from ..delivery import LEASE

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
    from ..tasks import send_test_message

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
