"""Deliveries left unconfirmed: confirmed from the relay's log, or sent again."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record

from ..models import Circular, CircularStatus
from .common import _first_commission, _transition
from .sending import _enqueue_run

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def confirm_delivered(circular: Circular, message_ids: str, *, actor: User | None) -> int:
    """Mark as sent the unconfirmed deliveries whose Message-IDs the relay's log shows.

    `message_ids` is text pasted from that log: every Message-ID of this circular found in
    it counts (others are ignored). Returns how many deliveries were confirmed; what stays
    unconfirmed is what to send again.
    """
    from ..models import Delivery, DeliveryStatus

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
    from ..models import Delivery, DeliveryStatus

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
