from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from actions.models import Action, Workstream
        from commissions.models import Commission
        from entrevilles import fragments
        from network import changes
        from network.models import Country, Organisation, Person, Region

        from . import notifying, search_entries
        from .api import forget_kept_list_when_changed
        from .models import (
            AgendaItem,
            Decision,
            ExternalEvent,
            Meeting,
            Minutes,
            Participation,
            ReportDocument,
        )
        from .views.detail import PAGES
        from .views.listing import LIST

        search_entries.register()
        notifying.register()
        forget_kept_list_when_changed()
        fragments.forget_when_changed(
            LIST, [Meeting, ExternalEvent, Commission, Organisation, Region]
        )
        # A meeting's page: its participants (their organisations, regions and names), its
        # agenda and record, and the open actions of its commissions' workstreams.
        fragments.forget_when_changed(
            PAGES,
            [
                Meeting,
                Participation,
                AgendaItem,
                Decision,
                ReportDocument,
                Minutes,
                Commission,
                Organisation,
                Country,
                Region,
                Person,
                Action,
                Workstream,
            ],
        )
        # Organisations written in bulk (imports, a country moved to another region).
        changes.subscribe(forget_meeting_pages)


def forget_meeting_pages(ids, fields):
    """Meeting pages show their participants' organisations, kinds and regions."""
    from entrevilles import fragments

    from .views.detail import PAGES

    fragments.forget(PAGES)
