"""Plain factory functions for the commissions tests: `make_thing(**overrides)`.

`make_commission` is the one every app's tests use to make commissions."""

import itertools

from commissions.models import Commission, CommissionMembership, Presidency, Secretariat
from network.tests.factories import (  # noqa: F401 - the commissions tests use them from here
    make_country,
    make_organisation,
    make_person,
    make_region,
)

_counter = itertools.count(1)


def _next() -> int:
    return next(_counter)


def make_commission(**overrides) -> Commission:
    """A commission; `name=` is its English name."""
    n = _next()
    fields = {
        "slug": f"commission-{n}",
        "name_en": f"Commission {n}",
        "mandate_en": f"The mandate of commission {n}.",
    }
    if "name" in overrides:
        fields["name_en"] = overrides.pop("name")
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
