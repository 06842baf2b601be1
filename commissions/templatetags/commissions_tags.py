from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def organisation_url(pk) -> str:
    """The organisation's directory page, or "" where the directory has no such page."""
    try:
        return reverse("network:organisation", args=[pk])
    except NoReverseMatch:
        return ""
