"""Factories and helpers for the notification tests, built on the other apps' factories."""

from datetime import timedelta

from accounts.models import Role
from learning.needs.tests.factories import make_theme  # noqa: F401 - shared
from library.tests.factories import make_city, make_commission, make_user  # noqa: F401 - shared
from notifications import fanout
from notifications.models import Follow


def follows(user, target_type: str, target_id: int) -> Follow:
    return Follow.objects.create(user=user, target_type=target_type, target_id=target_id)


def run_worker() -> int:
    """What the background worker does after each commit: fan every event out and send
    the immediate e-mails."""
    return fanout.fan_out_leftovers(older_than=timedelta(0))


def officer_of(city, **overrides):
    return make_user(Role.REPRESENTATIVE, organisation=city, **overrides)
