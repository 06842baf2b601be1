"""Fixtures around the cast of the root conftest, for the apps whose tests need them.

An app's tests conftest imports the ones it uses, by name. `member_city` and
`city_officer` are variants of the cast's own: the city is a member of `commission`, and
its officer has an entry in the directory. The others are new people and places: the
digital commission and Durban, one of its members, with Thandi of Durban; a third
commission with a secretariat of its own; Karim, a colleague of the city officer.
"""

import pytest

from accounts.models import Role
from accounts.tests.factories import make_user
from commissions.tests.factories import make_commission, make_membership
from network.models import Person
from network.tests.factories import make_organisation, make_person


@pytest.fixture
def member_city(member_city, commission):
    """The cast's city, a member of `commission`."""
    make_membership(commission, member_city)
    return member_city


def _entry_of(user, organisation) -> Person:
    return Person.objects.filter(user=user).first() or make_person(
        first_name="Amina", last_name="Officer", organisation=organisation, user=user
    )


@pytest.fixture
def city_officer(city_officer, member_city):
    """The cast's city officer, with an entry in the directory."""
    _entry_of(city_officer, member_city)
    return city_officer


@pytest.fixture
def officer_person(city_officer, member_city):
    """The city officer's entry in the directory."""
    return _entry_of(city_officer, member_city)


@pytest.fixture
def colleague(member_city):
    """Someone else of the city, in the directory with no login."""
    return make_person(first_name="Karim", last_name="Colleague", organisation=member_city)


@pytest.fixture
def digital(db):
    return make_commission(slug="digital", name_en="Digital")


@pytest.fixture
def durban(digital):
    """A city that is a member of the digital commission only."""
    durban = make_organisation(name="Durban")
    make_membership(digital, durban)
    return durban


@pytest.fixture
def durban_person(durban):
    """Someone of Durban, in the directory with no login."""
    return make_person(first_name="Thandi", last_name="Durbanite", organisation=durban)


@pytest.fixture
def other_commission(db):
    return make_commission(slug="other", name_en="Other")


@pytest.fixture
def other_secretariat(other_commission):
    """The secretariat of a commission none of the others belongs to."""
    return make_user(Role.SECRETARIAT, commission=other_commission)
