"""What the apps' reminders share: the moments an owner hears of something falling due
(DAYS_BEFORE days before, and the day after), and the subjects already reminded of."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .models import Event

# Owners hear of a thing this many days before it falls due, and the day after it.
DAYS_BEFORE = 7


def recently_recorded(kind: str, subject_type: str) -> set[int]:
    """The subjects with an event of this kind in the last few days."""
    # The two moments are eight days apart: an event of the last few days means this run
    # (or another worker's) has already recorded it.
    return set(
        Event.objects.filter(
            kind=kind,
            subject_type=subject_type,
            created_at__gte=timezone.now() - timedelta(days=DAYS_BEFORE - 1),
        ).values_list("subject_id", flat=True)
    )
