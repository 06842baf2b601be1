from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning programme")

    def ready(self):
        from learning.needs import search_entries as need_entries
        from learning.partnerships import signals  # noqa: F401 - connects its receivers

        need_entries.register()
