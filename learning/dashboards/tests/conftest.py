from entrevilles.tests.around_the_cast import (  # noqa: F401 - fixtures of these tests
    digital,
    durban,
    member_city,
    other_commission,
    other_secretariat,
)
