"""Small helpers for the knowledge base's sentences."""

from django import template

from entrevilles import languages

register = template.Library()


@register.filter
def in_sentence(language_name) -> str:
    """A language's name inside a sentence: "English", but "anglais" and "inglés"."""
    return languages.as_in_sentence(language_name)
