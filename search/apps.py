from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_glossary(sender, **kwargs):
    from .glossary import load_glossary

    load_glossary()


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        post_migrate.connect(_load_glossary, sender=self)
        # The apps register their entries in their own ready(); the engine gives the
        # registry the writer of one entry.
        from . import indexing, pages, registry

        registry.use_writer(indexing.index_one)
        # Deleted entries forget the results kept for visitors (in the worker too).
        pages.register()
