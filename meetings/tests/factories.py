"""Plain factory functions for the meetings and actions tests."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.tests.factories import grant, make_user  # noqa: F401 - shared
from commissions.tests.factories import make_commission
from commissions.tests.factories import make_membership as add_member  # noqa: F401 - shared
from network.tests.factories import (  # noqa: F401 - shared
    make_country,
    make_organisation,
    make_person,
    make_region,
)


def make_meeting(*, commissions=None, **overrides):
    from meetings import services

    commissions = commissions or [make_commission()]
    start = overrides.pop("starts_at", None) or (timezone.now() + timedelta(days=30))
    values = {
        "titles": {"en": overrides.pop("title", "Joint meeting")},
        "starts_at": start,
        "ends_at": overrides.pop("ends_at", None) or start + timedelta(hours=8),
        "time_zone": "Africa/Casablanca",
    }
    values.update(overrides)
    return services.create_meeting(commissions=commissions, actor=None, **values)


def rabat_time(*args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo("Africa/Casablanca"))
