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
        from . import indexing, registry, signals

        registry.register(
            "organisation",
            indexing.index_organisation,
            indexing.organisation_ids,
            indexing.organisation_entries,
        )
        registry.register(
            "commission",
            indexing.index_commission,
            indexing.commission_ids,
            indexing.commission_entries,
        )
        for object_type in ("meeting", "action", "need"):
            registry.register(
                object_type,
                getattr(indexing, f"index_{object_type}"),
                getattr(indexing, f"{object_type}_ids"),
                getattr(indexing, f"{object_type}_entries"),
            )
        signals.connect()
