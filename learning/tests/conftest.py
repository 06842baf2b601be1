from entrevilles.tests.around_the_cast import digital, durban  # noqa: F401 - fixtures of these tests
