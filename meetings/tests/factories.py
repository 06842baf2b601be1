"""Plain factory functions for the meetings and actions tests."""

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import grant, make_user
from commissions.models import Commission, CommissionMembership
from network.models import Organisation, OrganisationKind, Person
from network.tests.factories import make_country, make_region  # noqa: F401 - shared

_seq = itertools.count(1)


def make_organisation(**overrides) -> Organisation:
    n = next(_seq)
    country = overrides.pop("country", None) or make_country()
    values = {
        "name": f"City {n}",
        "kind": OrganisationKind.LOCAL_GOVERNMENT,
        "country": country,
        "region": country.region,
        "population": 200_000,
    }
    values.update(overrides)
    org = Organisation(**values)
    org.refresh_derived_fields()
    org.save()
    return org


def make_person(**overrides) -> Person:
    n = next(_seq)
    if "organisation" not in overrides:
        overrides["organisation"] = make_organisation()
    values = {"first_name": "Person", "last_name": f"Number{n}", "email": f"p{n}@example.org"}
    values.update(overrides)
    return Person.objects.create(**values)


def make_commission(**overrides) -> Commission:
    n = next(_seq)
    values = {"slug": f"commission-{n}", "name": f"Commission {n}"}
    values.update(overrides)
    return Commission.objects.create(**values)


def add_member(commission: Commission, organisation: Organisation) -> None:
    CommissionMembership.objects.create(commission=commission, organisation=organisation)


def make_meeting(*, commissions=None, **overrides):
    from meetings import services

    commissions = commissions or [make_commission()]
    start = overrides.pop("starts_at", None) or (timezone.now() + timedelta(days=30))
    values = {
        "titles": {"en": overrides.pop("title", "Joint meeting")},
        "starts_at": start,
        "ends_at": overrides.pop("ends_at", None) or start + timedelta(hours=8),
        "time_zone": "Africa/Casablanca",
    }
    values.update(overrides)
    return services.create_meeting(commissions=commissions, actor=None, **values)


def rabat_time(*args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo("Africa/Casablanca"))


class Personas:
    """The cast of the tests: one of each role around two commissions."""

    def __init__(self):
        self.planning = make_commission(slug="planning", name="Planning")
        self.digital = make_commission(slug="digital", name="Digital")
        self.other = make_commission(slug="other", name="Other")
        self.rabat = make_organisation(name="Rabat")
        self.durban = make_organisation(name="Durban")
        add_member(self.planning, self.rabat)
        add_member(self.digital, self.durban)
        self.admin = grant(make_user(email="admin@example.org"), Role.NETWORK_ADMIN)
        self.secretariat = grant(
            make_user(email="sec@example.org"), Role.SECRETARIAT, commission=self.planning
        )
        self.other_secretariat = grant(
            make_user(email="other@example.org"), Role.SECRETARIAT, commission=self.other
        )
        self.presidency = grant(
            make_user(email="pres@example.org"), Role.PRESIDENCY, commission=self.planning
        )
        self.officer_person = make_person(
            first_name="Amal", last_name="Officer", organisation=self.rabat
        )
        self.officer = grant(
            make_user(email="officer@example.org", person=self.officer_person),
            Role.REPRESENTATIVE,
            organisation=self.rabat,
        )
        self.colleague = make_person(
            first_name="Karim", last_name="Colleague", organisation=self.rabat
        )
        self.durban_person = make_person(
            first_name="Thandi", last_name="Durbanite", organisation=self.durban
        )
        self.outsider = make_user(email="outsider@example.org")
