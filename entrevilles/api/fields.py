from rest_framework import serializers

from entrevilles.integers import DB_INT_MAX, parse_int


class IdField(serializers.IntegerField):
    """An id sent in a request body: a JSON integer or ASCII digits, from 1 to the
    database's largest integer (a larger one would overflow the query: a 500)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", DB_INT_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and parse_int(data.strip()) is None:
            self.fail("invalid")
        return super().to_internal_value(data)
