"""Small helpers for the knowledge base's sentences."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def in_sentence(language_name) -> str:
    """A language's name inside a sentence: "English", but "anglais" and "inglés"
    (French and Spanish write language names in lower case)."""
    name = str(language_name)
    if (get_language() or "en").split("-")[0] in ("fr", "es"):
        return name[:1].lower() + name[1:]
    return name
