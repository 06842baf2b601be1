"""The header's count of unread notifications, kept for each person between requests.

Every signed-in page shows it. It is kept under the person's own fragment name
(entrevilles.fragments), which is forgotten when one of their notifications is saved or
deleted (NotificationsConfig.ready) or marked read (services.mark_read, in bulk). The
fan-out delivers notifications in bulk, without signals: each count is kept under the
highest notification id as well (DELIVERED, forgotten after each batch), so a count kept
before a delivery is not read after it. Ids only grow, and every other change of a
person's notifications forgets their count.
"""

from django.db.models import Max

from entrevilles import fragments

from .models import Notification

DELIVERED = "notifications:delivered"


def _fragment(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def _last_delivered() -> str:
    # 0 when there is none: a None would not be kept.
    return str(
        fragments.remember(
            DELIVERED, lambda: Notification.objects.aggregate(last=Max("pk"))["last"] or 0
        )
    )


def unread_count(user_id: int) -> int:
    """How many of this person's notifications are unread."""
    return fragments.remember(
        _fragment(user_id),
        lambda: Notification.objects.filter(user_id=user_id, read_at=None).count(),
        variant=_last_delivered(),
    )


def forget_unread_count(user_id: int) -> None:
    fragments.forget(_fragment(user_id))


def forget_deliveries() -> None:
    """After notifications were written in bulk (the fan-out)."""
    fragments.forget(DELIVERED)


def forget_when_changed(sender, instance: Notification, **kwargs) -> None:
    """A notification saved or deleted: its person's count is read afresh."""
    forget_unread_count(instance.user_id)
