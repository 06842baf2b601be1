from django.utils.functional import SimpleLazyObject

from .unread import unread_count


def unread(request):
    """The header's count of unread notifications: kept between requests (notifications.
    unread), and only read on pages that show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user.pk))}
