"""Plain factory functions for the commissions tests: `make_thing(**overrides)`."""

import itertools

from commissions.models import Commission, CommissionMembership, Presidency, Secretariat
from network.models import Organisation, OrganisationKind, Person
from network.tests.factories import make_country, make_region  # noqa: F401 - shared

_counter = itertools.count(1)


def _next() -> int:
    return next(_counter)


def make_organisation(**overrides) -> Organisation:
    n = _next()
    fields = {"name_en": f"City {n}", "kind": OrganisationKind.LOCAL_GOVERNMENT}
    fields.update(overrides)
    if "country" not in fields:
        fields["country"] = make_country()
    organisation = Organisation(**fields)
    organisation.refresh_derived_fields()
    organisation.save()
    return organisation


def make_person(**overrides) -> Person:
    n = _next()
    fields = {
        "first_name": "Ana",
        "last_name": f"Officer {n}",
        "email": f"officer{n}@example.org",
        "phone": f"+1 555 {n:04d}",
    }
    fields.update(overrides)
    if "organisation" not in fields:
        fields["organisation"] = make_organisation()
    return Person.objects.create(**fields)


def make_commission(**overrides) -> Commission:
    n = _next()
    fields = {
        "slug": f"commission-{n}",
        "name_en": f"Commission {n}",
        "mandate_en": f"The mandate of commission {n}.",
    }
    fields.update(overrides)
    return Commission.objects.create(**fields)


def make_membership(commission: Commission, organisation=None, **overrides):
    return CommissionMembership.objects.create(
        commission=commission, organisation=organisation or make_organisation(), **overrides
    )


def make_presidency(commission: Commission, **overrides) -> Presidency:
    fields = {"role": "president"}
    fields.update(overrides)
    if "organisation" not in fields:
        fields["organisation"] = make_organisation()
    return Presidency.objects.create(commission=commission, **fields)


def make_secretariat(commission: Commission, **overrides) -> Secretariat:
    fields = dict(overrides)
    if "organisation" not in fields:
        fields["organisation"] = make_organisation()
    return Secretariat.objects.create(commission=commission, **fields)
