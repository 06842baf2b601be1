"""Plain factory functions and personas for the partnership tests."""

from __future__ import annotations

import datetime
import itertools

from accounts.models import Role
from accounts.permissions import forget_scopes
from commissions.tests.factories import make_commission
from learning.models import AssessmentCriterion, Indicator, PartyRole
from learning.partnerships import services
from network.tests.factories import (
    make_network_admin,
    make_organisation,
    make_person,
    make_representative,
    make_secretariat_user,
    make_user,
)

_counter = itertools.count(1)

__all__ = [
    "make_commission",
    "make_network_admin",
    "make_organisation",
    "make_person",
    "make_representative",
    "make_secretariat_user",
    "make_user",
]


def make_criterion(**overrides) -> AssessmentCriterion:
    n = next(_counter)
    values = {"name_en": f"Criterion {n}", "name_fr": f"Critère {n}", "position": n}
    values.update(overrides)
    return AssessmentCriterion.objects.create(**values)


def make_indicator(**overrides) -> Indicator:
    n = next(_counter)
    values = {"name_en": f"Indicator {n}", "unit": "people", "position": n}
    values.update(overrides)
    return Indicator.objects.create(**values)


class World:
    """Personas: Lucia represents the learner city, Mandla the mentor city, Sofia runs the
    facilitating commission's secretariat, Pierre holds its presidency, Olga represents an
    outsider city, Nadia administers the network, Ursula is a plain signed-in user."""

    def __init__(self):
        self.commission = make_commission()
        self.learner = make_organisation(name="Otjiwarongo")
        self.mentor = make_organisation(name="Durban")
        self.outsider = make_organisation(name="Elsewhere")
        self.lucia = make_representative(self.learner, preferred_language="es")
        self.mandla = make_representative(self.mentor, preferred_language="en")
        self.sofia = make_secretariat_user(self.commission, preferred_language="fr")
        self.pierre = make_user(Role.PRESIDENCY, commission=self.commission)
        self.olga = make_representative(self.outsider)
        self.nadia = make_network_admin()
        self.ursula = make_user()
        self.other_secretariat = make_secretariat_user()
        for user in (self.lucia, self.mandla, self.sofia, self.pierre, self.olga, self.nadia):
            forget_scopes(user)

    def propose(self, **overrides):
        values = {
            "title": "Solid waste management",
            "learners": [self.learner],
            "mentors": [self.mentor],
            "commission": self.commission,
            "objectives": "Learn how to organise waste collection.",
            "actor": self.sofia,
        }
        values.update(overrides)
        return services.propose_partnership(**values)

    def agreed(self, **overrides):
        partnership = self.propose(**overrides)
        for party in partnership.parties.all():
            user = self.lucia if party.role == PartyRole.LEARNER else self.mandla
            services.respond_to_partnership(party, accept=True, actor=user)
        partnership.refresh_from_db()
        return partnership

    def active(self, starts_on: datetime.date | None = None, **overrides):
        partnership = self.agreed(starts_on=starts_on, **overrides)
        return services.change_partnership_status(partnership, "active", actor=self.sofia)

    def completed(self, **overrides):
        start = datetime.date.today() - datetime.timedelta(days=200)
        partnership = self.active(starts_on=start, **overrides)
        return services.change_partnership_status(partnership, "completed", actor=self.sofia)
