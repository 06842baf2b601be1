"""The cast of the root conftest around the commission of each test: its city is one of
the commission's members; another commission has a secretariat of its own."""

import pytest

from accounts.models import Role
from accounts.tests.factories import make_user

from .factories import make_commission, make_membership


@pytest.fixture
def member_city(member_city, commission):
    make_membership(commission, member_city)
    return member_city


@pytest.fixture
def other_secretariat(db):
    return make_user(Role.SECRETARIAT, commission=make_commission())
