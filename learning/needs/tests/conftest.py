"""Beside the root conftest's cast: Diego, who represents Porto Alegre, another city."""

import pytest

from network.tests.factories import make_organisation, make_representative


@pytest.fixture
def other_city(db):
    return make_organisation(name="Porto Alegre")


@pytest.fixture
def other_representative(other_city):
    return make_representative(other_city, email="diego@example.org")
