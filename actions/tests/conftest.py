import pytest

from meetings.tests.factories import Personas


@pytest.fixture
def cast(db):
    return Personas()
