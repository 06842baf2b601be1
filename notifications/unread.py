"""The header's count of unread notifications, kept for each person between requests.

Every signed-in page shows it. It is kept under the person's own fragment name
(entrevilles.fragments), which is forgotten when one of their notifications is saved
(NotificationsConfig.ready) or marked read (services.mark_read, in bulk).

Notifications also come and go in bulk, without signals: the fan-out inserts them, the
retention purge deletes the oldest (a signal per row would make both read every row).
So each count is kept under the lowest and highest notification ids too (RANGE): the
fan-out forgets the range after each batch, and it is read again at least every
RANGE_SECONDS, so that a purge shows within that time. Ids only grow, and a person's
notifications change otherwise only by saves and reads, which forget their count.
"""

from django.db.models import Max, Min

from entrevilles import fragments

from .models import Notification

RANGE = "notifications:range"
RANGE_SECONDS = 60


def _fragment(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def _range() -> str:
    def build() -> str:
        ids = Notification.objects.aggregate(first=Min("pk"), last=Max("pk"))
        return f"{ids['first']}:{ids['last']}"

    return fragments.remember(RANGE, build, timeout=RANGE_SECONDS)


def unread_count(user_id: int) -> int:
    """How many of this person's notifications are unread."""
    return fragments.remember(
        _fragment(user_id),
        lambda: Notification.objects.filter(user_id=user_id, read_at=None).count(),
        variant=_range(),
    )


def forget_unread_count(user_id: int) -> None:
    fragments.forget(_fragment(user_id))


def forget_deliveries() -> None:
    """After notifications were written in bulk (the fan-out)."""
    fragments.forget(RANGE)


def forget_when_changed(sender, instance: Notification, **kwargs) -> None:
    """A notification saved: its person's count is read afresh."""
    forget_unread_count(instance.user_id)
