from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import receivers  # noqa: F401  (connects the receivers)
        from .models import Notification
        from .unread import forget_when_changed

        # The header's count, kept per person (notifications.unread).
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(
                forget_when_changed,
                sender=Notification,
                dispatch_uid=f"notifications:unread:{name}",
            )
