from entrevilles.tests.around_the_cast import (  # noqa: F401 - fixtures of the meetings tests
    city_officer,
    colleague,
    digital,
    durban,
    durban_person,
    member_city,
    officer_person,
    other_commission,
    other_secretariat,
)
