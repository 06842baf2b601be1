"""What the meeting services share: the commission a meeting's events go to, the row lock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import Meeting

if TYPE_CHECKING:
    from commissions.models import Commission


def _first_commission(meeting: Meeting) -> Commission | None:
    return meeting.commissions.order_by("pk").first()


def _lock(meeting: Meeting) -> Meeting:
    # Serialises registrations to one meeting, so two people cannot take the last seat.
    return Meeting.objects.select_for_update().get(pk=meeting.pk)
