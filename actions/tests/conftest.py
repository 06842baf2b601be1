"""The cast of the root conftest around the commission of each test: its city is one of
the commission's members and its officer is in the directory; Durban is a member of the
digital commission; a third commission has a secretariat of its own."""

import pytest

from accounts.models import Role
from accounts.tests.factories import make_user
from meetings.tests.factories import add_member, make_commission, make_organisation, make_person


@pytest.fixture
def member_city(member_city, commission):
    add_member(commission, member_city)
    return member_city


@pytest.fixture
def city_officer(city_officer, member_city):
    make_person(
        first_name="Amina", last_name="Officer", organisation=member_city, user=city_officer
    )
    return city_officer


@pytest.fixture
def digital(db):
    return make_commission(slug="digital", name="Digital")


@pytest.fixture
def durban(digital):
    durban = make_organisation(name="Durban")
    add_member(digital, durban)
    return durban


@pytest.fixture
def other_commission(db):
    return make_commission(slug="other", name="Other")


@pytest.fixture
def other_secretariat(other_commission):
    return make_user(Role.SECRETARIAT, commission=other_commission)
