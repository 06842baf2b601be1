"""What the notifications engine needs of the circulars: a published circular as the
subject of events, and the addresses known to bounce, which no notification e-mail is
sent to either (their notifications stay in the platform's list)."""

from __future__ import annotations

from django.urls import reverse

from notifications import registry
from notifications.events import ids_of, titles_of
from notifications.models import EventVisibility, TargetType
from notifications.registry import Described

from .models import Circular, Suppression, SuppressionReason


def describe(circular: Circular) -> Described:
    return Described(
        "circular",
        [(TargetType.COMMISSION, pk) for pk in ids_of(circular.commissions)],
        titles_of(circular, "subject"),
        reverse("circulars:archive_circular", args=[circular.pk]),
        EventVisibility.PUBLIC,
    )


def bouncing_among(emails: list[str]) -> list[str]:
    """Those of these (lower-case) addresses that bounced or were refused."""
    return list(
        Suppression.objects.filter(
            email__in=emails,
            reason__in=[SuppressionReason.BOUNCED, SuppressionReason.REFUSED],
        ).values_list("email", flat=True)
    )


def register() -> None:
    registry.register_events("circulars.circular", describe)
    registry.register_suppressed(bouncing_among)
