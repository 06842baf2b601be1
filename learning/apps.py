from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning programme")

    def ready(self):
        from learning.matching import receivers  # noqa: F401  (connects the receivers)
        from learning.needs import search_entries as need_entries
        from network import changes

        from .copies import refresh_need_places, refresh_party_places

        need_entries.register()
        # The needs and parties keep copies of their organisations' place and names.
        changes.subscribe(refresh_need_places)
        changes.subscribe(refresh_party_places)
