from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Network directory")

    def ready(self):
        from commissions.models import Commission

        from .choices import forget_filter_choices
        from .models import Country, Region
        from .reference import load_reference_data_after_migrate

        # The directory's filter choices are kept until one of these changes.
        for model in (Region, Country, Commission):
            for signal, when in ((post_save, "save"), (post_delete, "delete")):
                signal.connect(
                    forget_filter_choices,
                    sender=model,
                    dispatch_uid=f"network_filter_choices_{when}_{model.__name__}",
                )

        # Regions and countries are reference data, not demo data: every database
        # (fresh installs, test databases) gets them as soon as it is migrated.
        post_migrate.connect(
            load_reference_data_after_migrate, sender=self, dispatch_uid="network_reference_data"
        )
