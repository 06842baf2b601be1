from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Action plan")

    def ready(self):
        from network import changes

        from . import notifying, search_entries
        from .api import forget_kept_list_when_changed
        from .views import forget_dashboard, forget_dashboard_when_changed

        search_entries.register()
        notifying.register()
        forget_kept_list_when_changed()
        forget_dashboard_when_changed()
        # Owners' names written in bulk (a directory import) send no signal.
        changes.subscribe(forget_dashboard)
