"""Plain factory functions for the network's tests: make_x(**overrides) -> saved object.

`make_organisation`, `make_city`, `make_person`, `make_country` and `make_region` are the
ones every app's tests use to make organisations, cities, people, countries and regions;
commissions and their presidencies are made by `commissions.tests.factories`. Each saves
through the directory's services (as the system, `actor=None`), so what they make is
validated, audited and announced as the pages' writes are.
"""

from __future__ import annotations

import itertools

from accounts.models import Role, User
from accounts.tests.factories import make_user
from commissions.models import Commission
from network import services
from network.models import Country, Organisation, OrganisationKind, Person, Region, Visibility

_sequence = itertools.count(1)


def _next() -> int:
    return next(_sequence)


def make_region(**overrides) -> Region:
    """A region; the reference regions exist already, so a known code returns that one."""
    n = _next()
    code = overrides.pop("code", f"region-{n}")
    values = {"name_en": f"Region {n}", "position": 100 + n}
    region = Region.objects.filter(code=code).first()
    if region is None:
        return services.save_region(Region(code=code, **{**values, **overrides}), actor=None)
    if overrides:
        for field, value in overrides.items():
            setattr(region, field, value)
        services.save_region(region, actor=None)
    return region


def _letters(n: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return alphabet[(n // 26) % 26] + alphabet[n % 26]


# ISO 3166-1 leaves these codes to private use: no real country has them.
_PRIVATE_CODES = [f"{first}{second}" for first in "QX" for second in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]


def _unused_country_code() -> str:
    """A private-use code not yet taken; once all are, a real country is shared."""
    taken = set(Country.objects.filter(code__in=_PRIVATE_CODES).values_list("code", flat=True))
    free = [code for code in _PRIVATE_CODES if code not in taken]
    if free:
        return free[0]
    return (
        Country.objects.exclude(code__in=_PRIVATE_CODES)
        .order_by("?")
        .values_list("code", flat=True)[0]
    )


def make_country(**overrides) -> Country:
    """A country; a real ISO code returns the reference country (with any overrides applied)."""
    n = _next()
    code = overrides.pop("code", None) or _unused_country_code()
    existing = Country.objects.filter(code=code).first()
    if existing is not None:
        if overrides:
            for field, value in overrides.items():
                setattr(existing, field, value)
            services.save_country(existing, actor=None)
        return existing
    values = {"alpha3": f"{code}{_letters(n)[0]}", "name_en": f"Country {n}"}
    values.update(overrides)
    if "region" not in values:
        values["region"] = make_region()
    return services.save_country(Country(code=code, **values), actor=None)


def make_organisation(*, region: Region | str | None = None, **overrides) -> Organisation:
    """An organisation saved with its derived fields (region, size class, search name); a
    local government unless `kind=` says otherwise, in a new country unless `country=` (a
    Country or an ISO code), of a new region unless `region=` (a Region or its code)."""
    n = _next()
    values = {
        "name_en": f"Organisation {n}",
        "kind": OrganisationKind.LOCAL_GOVERNMENT,
        "population": 120_000,
    }
    if "name" in overrides:
        values["name_en"] = overrides.pop("name")
    values.update(overrides)
    if isinstance(values.get("country"), str):
        values["country"] = make_country(code=values["country"])
    if "country" not in values:
        if isinstance(region, str):
            region = make_region(code=region)
        values["country"] = make_country(region=region) if region else make_country()
    return services.save_organisation(Organisation(**values), actor=None)


def make_city(name: str | None = None, **overrides) -> Organisation:
    """A city: a local government named `name` ("City n" unless given)."""
    overrides["name"] = name or f"City {_next()}"
    overrides["kind"] = OrganisationKind.LOCAL_GOVERNMENT
    return make_organisation(**overrides)


def make_person(**overrides) -> Person:
    """A person of the directory, of a new organisation unless `organisation=` (None for
    none)."""
    n = _next()
    values = {
        "first_name": "Ana",
        "last_name": f"Person {n}",
        "email": f"person{n}@example.org",
        "phone": f"+34 600 000 {n:03d}",
        "position": "Officer",
        "contact_visibility": Visibility.MEMBERS,
    }
    values.update(overrides)
    if "organisation" not in values:
        values["organisation"] = make_organisation()
    return services.save_person(Person(**values), actor=None)


def make_network_admin(**overrides) -> User:
    return make_user(Role.NETWORK_ADMIN, **overrides)


def make_representative(organisation: Organisation, **overrides) -> User:
    return make_user(Role.REPRESENTATIVE, organisation=organisation, **overrides)


def make_secretariat_user(commission: Commission | None = None, **overrides) -> User:
    """A user of the secretariat of `commission` (a new one unless given)."""
    from commissions.tests.factories import make_commission

    return make_user(Role.SECRETARIAT, commission=commission or make_commission(), **overrides)
