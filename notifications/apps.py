from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from django.db.models.signals import post_save

        from . import receivers  # noqa: F401  (connects the receivers)
        from .models import Notification
        from .unread import forget_when_changed

        # The header's count, kept per person (notifications.unread). No receiver of
        # deletes: it would make the retention purge delete row by row.
        post_save.connect(
            forget_when_changed, sender=Notification, dispatch_uid="notifications:unread:save"
        )
