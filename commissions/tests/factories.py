"""Plain factory functions for the commissions tests: `make_thing(**overrides)`.

`make_commission` and `make_presidency` are the ones every app's tests use to make
commissions and their presidencies. Each saves through the commissions' services (as the
system, `actor=None`), so what they make is validated and audited as the pages' writes are.
"""

import itertools

from commissions import services
from commissions.models import Commission, CommissionMembership, Presidency, Secretariat
from network.models import Organisation
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
    return services.create_commission(actor=None, **fields)


def make_membership(
    commission: Commission, organisation: Organisation | None = None
) -> CommissionMembership:
    membership, _added = services.add_member(
        commission, organisation or make_organisation(), actor=None
    )
    return membership


def make_presidency(
    commission: Commission, organisation: Organisation | None = None, **overrides
) -> Presidency:
    """A presidency of `commission` held by `organisation` (a new one unless given), as
    president unless `role=` says otherwise; `person=`, `start_date=`, `end_date=`."""
    fields = {"role": "president", **overrides}
    return services.set_presidency(
        commission, organisation=organisation or make_organisation(), actor=None, **fields
    )


def make_secretariat(
    commission: Commission, organisation: Organisation | None = None, **overrides
) -> Secretariat:
    """A secretariat of `commission` run by `organisation` (a new one unless given)."""
    return services.set_secretariat(
        commission, organisation or make_organisation(), actor=None, **overrides
    )
