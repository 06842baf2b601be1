"""Plain factory functions for accounts tests: each builds one valid object, overridable.

`make_user` is the one every app's tests use to make people; the cast of personas built
on it (administrator, secretariat, presidency, city officer, partner, outsider) is in the
root `conftest.py`. Cities and people come from `network.tests.factories`, commissions
and their presidencies from `commissions.tests.factories`.
"""

import itertools

from accounts.models import Role, RoleAssignment, User
from accounts.permissions import forget_scopes
from commissions.models import Commission
from network.models import Organisation, Person

PASSWORD = "a-long-test-passphrase"  # noqa: S105 - test only
_counter = itertools.count(1)


def make_user(
    role: str | None = None,
    *,
    organisation: Organisation | None = None,
    commission: Commission | None = None,
    person: Person | None = None,
    **fields,
) -> User:
    """A saved user who logs in with PASSWORD (or `password=`; None for none).

    `role` is granted for `organisation` (a representative) or within `commission`
    (secretariat, presidency); `person` is the directory entry the user becomes.
    """
    n = next(_counter)
    password = fields.pop("password", PASSWORD)
    fields.setdefault("email", f"user{n}@example.org")
    user = User.objects.create_user(password=password, **fields)
    if role is not None:
        grant(user, role, commission=commission, organisation=organisation)
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    return user


def grant(user: User, role: str, *, commission=None, organisation=None) -> User:
    """Give `user` one more role, and drop the roles cached on them."""
    RoleAssignment.objects.create(
        user=user, role=role, commission=commission, organisation=organisation
    )
    forget_scopes(user)
    return user


def make_network_admin(**overrides) -> User:
    return make_user(Role.NETWORK_ADMIN, **overrides)
