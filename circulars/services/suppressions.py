"""Addresses kept away from circulars: unsubscribes and bounces."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record

from ..models import Circular, Suppression, SuppressionReason
from .common import _first_commission

if TYPE_CHECKING:
    from accounts.models import User


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
    from ..bounces import Bounce
    from ..models import Delivery, DeliveryStatus

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
