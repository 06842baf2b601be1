from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Network directory")

    def ready(self):
        from commissions.models import Commission, CommissionMembership
        from entrevilles import fragments

        from . import changes, logins, notifying, search_entries
        from .choices import DIRECTORY_RESULTS, ORGANISATION_PAGES, forget_directory_results
        from .choices import NAME as FILTER_CHOICES
        from .models import Country, Organisation, Person, Region
        from .reference import load_reference_data_after_migrate

        search_entries.register()
        # The profile page's contact details and the people and organisations that
        # invitations name.
        logins.register()
        notifying.register()

        # The directory's filter choices and results are kept until one of these changes.
        fragments.forget_when_changed(FILTER_CHOICES, [Region, Country, Commission])
        fragments.forget_when_changed(
            DIRECTORY_RESULTS, [Organisation, Region, Country, Commission, CommissionMembership]
        )
        fragments.forget_when_changed(
            ORGANISATION_PAGES,
            [Organisation, Person, Region, Country, Commission, CommissionMembership],
        )
        # Organisations written in bulk send no signal: the directory's pages are told too.
        changes.subscribe(forget_directory_results)

        # Regions and countries are reference data, not demo data: every database
        # (fresh installs, test databases) gets them as soon as it is migrated.
        post_migrate.connect(
            load_reference_data_after_migrate, sender=self, dispatch_uid="network_reference_data"
        )
