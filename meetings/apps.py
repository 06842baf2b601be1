from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from commissions.models import Commission
        from entrevilles import fragments
        from network.models import Organisation, Region

        from . import notifying, search_entries
        from .api import forget_kept_list_when_changed
        from .models import ExternalEvent, Meeting
        from .views.listing import LIST

        search_entries.register()
        notifying.register()
        forget_kept_list_when_changed()
        fragments.forget_when_changed(
            LIST, [Meeting, ExternalEvent, Commission, Organisation, Region]
        )
