import pytest

from .factories import Personas


@pytest.fixture
def cast(db):
    return Personas()
