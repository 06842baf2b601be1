"""Plain factory functions for accounts tests: each builds one valid object, overridable."""

import itertools

from accounts.models import Role, RoleAssignment, User
from commissions.models import Commission, CommissionMembership, Presidency
from network.models import Organisation, OrganisationKind, Person
from network.tests.factories import make_country, make_region  # noqa: F401 - shared

PASSWORD = "a-long-test-passphrase"  # noqa: S105 - test only
_counter = itertools.count(1)


def make_user(**overrides) -> User:
    n = next(_counter)
    password = overrides.pop("password", PASSWORD)
    fields = {"email": f"user{n}@example.org", "first_name": "Ana", "last_name": f"Test{n}"}
    fields.update(overrides)
    return User.objects.create_user(password=password, **fields)


def make_city(**overrides) -> Organisation:
    n = next(_counter)
    if "country" not in overrides:
        overrides["country"] = make_country()
    fields = {
        "name": f"City {n}",
        "kind": OrganisationKind.LOCAL_GOVERNMENT,
        "population": 250_000,
    }
    fields.update(overrides)
    city = Organisation(**fields)
    city.refresh_derived_fields()
    city.save()
    return city


def make_person(**overrides) -> Person:
    n = next(_counter)
    fields = {"first_name": "Luc", "last_name": f"Person{n}", "email": f"person{n}@example.org"}
    fields.update(overrides)
    return Person.objects.create(**fields)


def make_commission(**overrides) -> Commission:
    n = next(_counter)
    fields = {"slug": f"commission-{n}", "name": f"Commission {n}"}
    fields.update(overrides)
    return Commission.objects.create(**fields)


def add_member(commission: Commission, organisation: Organisation) -> CommissionMembership:
    return CommissionMembership.objects.create(commission=commission, organisation=organisation)


def make_presidency(commission: Commission, organisation: Organisation, **overrides):
    fields = {"role": "president"}
    fields.update(overrides)
    return Presidency.objects.create(commission=commission, organisation=organisation, **fields)


def give_role(user: User, role: str, *, commission=None, organisation=None) -> RoleAssignment:
    return RoleAssignment.objects.create(
        user=user, role=role, commission=commission, organisation=organisation
    )


def make_network_admin(**overrides) -> User:
    user = make_user(**overrides)
    give_role(user, Role.NETWORK_ADMIN)
    return user
