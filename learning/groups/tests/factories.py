"""Plain factory functions for learning groups, dashboards and the map tests."""

import itertools
from datetime import date

from learning.groups import services
from learning.models import Partnership, PartnershipParty, PartyResponse, PartyRole
from meetings.tests.factories import (  # noqa: F401 - shared with the tests
    add_member,
    grant,
    make_commission,
    make_organisation,
    make_user,
)

_seq = itertools.count(1)


def make_group(*, commission, name="Intermediary cities' strategic planning", **overrides):
    n = next(_seq)
    values = {
        "slug": f"group-{n}",
        "names": {"en": name},
        "facilitating_commission": commission,
        "started_on": date(2013, 10, 1),
    }
    values.update(overrides)
    return services.create_group(actor=None, **values)


def make_partnership(*, parties, status="active", commission=None, themes=(), title=None):
    """A partnership with its parties: the first is the mentor, the others learners.

    Built directly: the partnerships' services belong to another part of the app."""
    partnership = Partnership.objects.create(
        title=title or f"Partnership {next(_seq)}",
        status=status,
        facilitating_commission=commission,
    )
    partnership.themes.set(themes)
    for index, organisation in enumerate(parties):
        PartnershipParty.objects.create(
            partnership=partnership,
            organisation=organisation,
            role=PartyRole.MENTOR if index == 0 else PartyRole.LEARNER,
            response=PartyResponse.ACCEPTED,
        )
    return partnership
