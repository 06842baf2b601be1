"""The cast of the root conftest around the commission of each test: its city is one of
the commission's members; Durban is another city, member of another commission; a third
commission has a secretariat of its own."""

import pytest

from accounts.models import Role
from accounts.tests.factories import make_user

from .factories import add_member, make_commission, make_organisation


@pytest.fixture
def member_city(member_city, commission):
    add_member(commission, member_city)
    return member_city


@pytest.fixture
def durban(db):
    durban = make_organisation(name="Durban")
    add_member(make_commission(slug="digital", name="Digital"), durban)
    return durban


@pytest.fixture
def other_commission(db):
    return make_commission(slug="other", name="Other")


@pytest.fixture
def other_secretariat(other_commission):
    return make_user(Role.SECRETARIAT, commission=other_commission)
