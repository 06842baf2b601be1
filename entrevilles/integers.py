"""The one way numbers written by people (query strings, forms, paths, tokens, files) are
read: ASCII digits only, within the range the database can store.

`str.isdigit()` and `int()` are not enough: both accept "²" or "٥" ("²".isdigit() is true,
int("٥") is 5, int("²") raises), and an id above 2**63 - 1 overflows the database's
integers (an OverflowError on SQLite, a DataError on PostgreSQL: a 500 either way).
"""

import re

# The database's 64-bit integer range (BigAutoField ids, PositiveBigIntegerField...).
DB_INT_MIN = -(2**63)
DB_INT_MAX = 2**63 - 1

_ASCII_INTEGER = re.compile(r"-?[0-9]{1,19}")


def parse_int(value, *, minimum: int = DB_INT_MIN, maximum: int = DB_INT_MAX) -> int | None:
    """The integer written in `value` (ASCII digits, an optional leading minus), or None
    when it is anything else or outside [minimum, maximum]. An int is range-checked as is."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ASCII_INTEGER.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if minimum <= number <= maximum else None


def parse_id(value) -> int | None:
    """A database id (1 to 2**63 - 1) written in `value`, or None."""
    return parse_int(value, minimum=1)


def parse_ids(values) -> list[int]:
    """The valid ids among `values`, in order, without repeats; the others are dropped."""
    return list(dict.fromkeys(i for i in map(parse_id, values) if i is not None))


def is_id(value) -> bool:
    return parse_id(value) is not None
