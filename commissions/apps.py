from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissionsConfig(AppConfig):
    name = "commissions"
    verbose_name = _("Commissions")

    def ready(self):
        from accounts import invitations
        from entrevilles import fragments
        from network import changes
        from network.models import Country, Organisation, Person, Region

        from . import notifying, search_entries
        from .models import Commission, CommissionMembership, Presidency, Secretariat
        from .permissions import members_answered_for
        from .views import LIST, MEMBER_COUNTS, MEMBERS, PAGES

        search_entries.register()
        notifying.register()
        fragments.forget_when_changed(MEMBER_COUNTS, [CommissionMembership])
        fragments.forget_when_changed(
            MEMBERS, [Commission, CommissionMembership, Organisation, Country, Region]
        )
        fragments.forget_when_changed(
            LIST, [Commission, Presidency, CommissionMembership, Organisation]
        )
        # A commission's page: its presidencies, secretariats (their contacts) and members;
        # the learning groups it facilitates are learning's to tell (learning.apps).
        fragments.forget_when_changed(
            PAGES,
            [
                Commission,
                Presidency,
                Secretariat,
                CommissionMembership,
                Organisation,
                Person,
                Country,
                Region,
            ],
        )
        # Organisations written in bulk (imports, a country moved to another region).
        changes.subscribe(forget_members)
        # Its secretariat invites the representatives of the commission's members.
        invitations.register_invitable(members_answered_for)


def forget_members(ids, fields):
    """The member lists show their organisations' names, countries and regions."""
    from entrevilles import fragments

    from .views import LIST, MEMBERS, PAGES

    fragments.forget(MEMBERS)
    fragments.forget(LIST)
    fragments.forget(PAGES)
