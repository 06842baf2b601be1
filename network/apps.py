from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Network directory")

    def ready(self):
        from .reference import load_reference_data_after_migrate

        # Regions and countries are reference data, not demo data: every database
        # (fresh installs, test databases) gets them as soon as it is migrated.
        post_migrate.connect(
            load_reference_data_after_migrate, sender=self, dispatch_uid="network_reference_data"
        )
