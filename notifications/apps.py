from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from . import (
            fanout,
            receivers,  # noqa: F401  (connects the receivers)
        )
        from .suggestions import record_for

        # A published experience tells the needs it answers best, once it is fanned out.
        fanout.when_fanned_out(record_for)
