from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_reference_data(sender, **kwargs):
    from .reference import load_reference_data

    load_reference_data()


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Knowledge base")

    def ready(self):
        post_migrate.connect(_load_reference_data, sender=self)
        from network import changes

        from . import notifying, pages, search_entries
        from .api import forget_kept_list, forget_kept_list_when_changed

        search_entries.register()
        notifying.register()
        pages.register()
        forget_kept_list_when_changed()
        # Cities renamed in bulk send no signal either.
        changes.subscribe(forget_kept_list)
