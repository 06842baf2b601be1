import pytest

from accounts.models import Role
from accounts.tests.factories import grant, make_user
from entrevilles.tests.around_the_cast import (  # noqa: F401 - fixtures of the circulars tests
    colleague,
    digital,
    durban,
    durban_person,
    member_city,
    officer_person,
    other_commission,
    other_secretariat,
)


@pytest.fixture
def both(commission, digital):  # noqa: F811 - the imported fixture, requested
    """The secretariat of `commission` and of the digital commission."""
    return grant(
        make_user(Role.SECRETARIAT, commission=commission), Role.SECRETARIAT, commission=digital
    )
