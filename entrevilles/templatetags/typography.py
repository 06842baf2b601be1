"""`{% colon %}`: the colon between a label and its value, as the reader's language writes
it (French puts a no-break space before it: « Présidence : Maputo »).

Registered as a template builtin (settings.TEMPLATES): a template writes
`{{ label }}{% colon %} {{ value }}` instead of a bare ": ", which the catalogues' checks
of French typography cannot see.
"""

from django import template
from django.utils.translation import pgettext

register = template.Library()


@register.simple_tag
def colon() -> str:
    return pgettext("between a label and its value", ":")
