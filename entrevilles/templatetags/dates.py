"""The `date` filter of every template, through the platform's one date format.

Registered as a template builtin (settings.TEMPLATES), it takes the place of Django's own
`date` filter in every template, the back office's included, so that no page can show a
French date without its "1er".
"""

from django import template

from entrevilles.dates import format_date

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's `date` filter (same arguments), written as the reader's language does."""
    if value in (None, ""):
        return ""
    try:
        return format_date(value, arg)
    except AttributeError:
        return ""
