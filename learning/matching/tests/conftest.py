"""The cast of the root conftest around Saint-Louis, the city whose needs are matched, and
the representative of another city."""

import pytest

from accounts.models import Role
from accounts.tests.factories import make_user

from .factories import make_city


@pytest.fixture
def member_city(db):
    return make_city("Saint-Louis", country="SN")


@pytest.fixture
def other_representative(db):
    return make_user(Role.REPRESENTATIVE, organisation=make_city())
