from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning programme")

    def ready(self):
        from accounts import invitations
        from commissions.views import PAGES as COMMISSION_PAGES
        from entrevilles import fragments
        from learning.groups import notifying as group_notifying
        from learning.matching import notifying as matching_notifying
        from learning.matching import receivers  # noqa: F401  (connects the receivers)
        from learning.needs import api as need_api
        from learning.needs import notifying as need_notifying
        from learning.needs import search_entries as need_entries
        from learning.partnerships import api as partnership_api
        from learning.partnerships import notifying as partnership_notifying
        from network import changes

        from . import pages
        from .copies import refresh_need_places, refresh_party_places
        from .models import LearningGroup
        from .partnerships.permissions import parties_answered_for

        need_entries.register()
        need_notifying.register()
        partnership_notifying.register()
        group_notifying.register()
        # A published experience tells the needs it answers best, once it is fanned out.
        matching_notifying.register()
        # The needs and parties keep copies of their organisations' place and names.
        changes.subscribe(refresh_need_places)
        changes.subscribe(refresh_party_places)
        # What visitors see of the public pages is kept until the rows it shows change.
        pages.register()
        # The API's need and partnership lists as anonymous callers read them are kept
        # until what they show changes; names of cities written in bulk send no signal.
        need_api.forget_kept_list_when_changed()
        partnership_api.forget_kept_list_when_changed()
        changes.subscribe(need_api.forget_kept_list)
        changes.subscribe(partnership_api.forget_kept_list)
        # A secretariat invites the representatives of the parties it facilitates.
        invitations.register_invitable(parties_answered_for)
        # A commission's page, as visitors see it, lists the learning groups it facilitates.
        fragments.forget_when_changed(COMMISSION_PAGES, [LearningGroup])
