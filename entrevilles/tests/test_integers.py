import pytest

from entrevilles.integers import parse_id, parse_ids, parse_int


@pytest.mark.parametrize(
    "text", ["²", "٥", "１", "1²", " 1", "1 ", "1_000", "+1", "", "abc", "1.0", "0x1", None, True]
)
def test_anything_but_ascii_digits_is_not_a_number(text):
    assert parse_int(text) is None


def test_numbers_outside_the_databases_range_are_refused():
    assert parse_int(str(2**63 - 1)) == 2**63 - 1
    assert parse_int(str(2**63)) is None
    assert parse_int(str(-(2**63))) == -(2**63)
    assert parse_int("9" * 5000) is None
    assert parse_int(2**70) is None
    assert parse_int("7", minimum=0, maximum=5) is None


def test_ids_are_positive_and_repeats_and_bad_values_are_dropped():
    assert parse_id("0") is None
    assert parse_id("-3") is None
    assert parse_id("42") == 42
    assert parse_ids(["3", "²", "3", "99999999999999999999", "7"]) == [3, 7]
