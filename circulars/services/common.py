"""What the circular services share: the commission a circular's events go to, status changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Circular, CircularEvent

if TYPE_CHECKING:
    from accounts.models import User
    from commissions.models import Commission


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
