from functools import cache

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@cache
def _directory_has_organisation_pages() -> bool:
    # Asked once per process: a failing reverse() is slow, and a page lists hundreds.
    try:
        reverse("network:organisation", args=[1])
    except NoReverseMatch:
        return False
    return True


@register.simple_tag
def organisation_url(pk) -> str:
    """The organisation's directory page, or "" where the directory has no such page."""
    if not _directory_has_organisation_pages():
        return ""
    return reverse("network:organisation", args=[pk])
