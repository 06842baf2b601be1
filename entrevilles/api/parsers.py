"""The API's request parsers: Django REST framework's, refusing NUL characters.

PostgreSQL can neither store nor compare text holding NUL (it raises a DataError, a 500):
a NUL anywhere in a request body, a key or a value, escaped as \\u0000 in JSON or not,
answers 400 before any field reads it.
"""

from django.http import QueryDict
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, QueryDict):
        return any(holds_nul(key) or holds_nul(items) for key, items in value.lists())
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(holds_nul(item) for item in value)
    return False


class _RefusingNul:
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        if holds_nul(getattr(parsed, "data", parsed)):
            raise ParseError("NUL characters are not accepted.")
        return parsed


class JSONParser(_RefusingNul, parsers.JSONParser):
    pass


class FormParser(_RefusingNul, parsers.FormParser):
    pass


class MultiPartParser(_RefusingNul, parsers.MultiPartParser):
    pass
