"""Dates as the reader's language writes them, the one way the platform formats them.

Django's localized formats write "1 octobre 2013"; French writes the first day of the
month as an ordinal, "1er octobre 2013". Every date the platform shows goes through
`format_date`: pages through the template filter `date`, which this project's filter
replaces in every template (settings.TEMPLATES "builtins"), and mail, PDFs, search
snippets, the audit log and the API's texts by calling it.
"""

import re

from django.utils import dateformat, formats
from django.utils.translation import get_language

# In a format string, the day of the month without a leading zero ("j") when a month's
# name follows it ("j F Y", "j F", "j M"): the French ordinal goes there. Numeric dates
# ("d/m/Y") keep their figures.
_DAY_BEFORE_MONTH_NAME = re.compile(r"(?<!\\)j(?=(?:\s|\\.)*[FEMNb])")
FRENCH_FIRST_DAY = r"j\e\r"


def format_date(value, format_name: str | None = "DATE_FORMAT") -> str:
    """`value` (a date or a datetime) in the active language, with one of Django's named
    formats ("DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT"…) or a format string,
    as Django's `date` filter takes them; "1er octobre 2013" in French."""
    pattern = formats.get_format(format_name or "DATE_FORMAT")
    if getattr(value, "day", None) == 1 and (get_language() or "en")[:2] == "fr":
        pattern = _DAY_BEFORE_MONTH_NAME.sub(lambda _match: FRENCH_FIRST_DAY, pattern)
    return dateformat.format(value, pattern)
