"""The directory filter's choices (regions, countries, commissions), built once per language.

Every directory page (and the export and the API that share its form) needs all of them,
and they change a few times a year: building them on each request (three queries, 249
country names sorted in the reader's language, every option escaped) took a quarter of
the page's time. They are kept in the shared cache, which every web process reads, under
a version token. Saving or deleting a region, a country or a commission replaces the
token, at once and again when its transaction commits (a page built meanwhile from the
old rows stays under a token nobody asks for), so the next page shows the change.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import translation
from django.utils.html import escape

VERSION_KEY = "network:filter-choices:version"


@dataclass(frozen=True)
class FilterChoices:
    """(id, code, name) of regions and countries, (slug, name) of the active commissions,
    in one language; each option also as HTML, escaped once."""

    regions: list[tuple[int, str, str]]
    countries: list[tuple[int, str, str]]
    commissions: list[tuple[str, str]]
    options: dict[str, list[tuple[str, str, str]]]


def _cache():
    return caches["shared"]


def _version() -> str:
    version = _cache().get(VERSION_KEY)
    if version is None:
        version = secrets.token_hex(8)
        if not _cache().add(VERSION_KEY, version, None):
            version = _cache().get(VERSION_KEY) or version
    return version


def filter_choices(language: str | None = None) -> FilterChoices:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    key = f"network:filter-choices:{_version()}:{language}"
    choices = _cache().get(key)
    if choices is None:
        choices = _build(language)
        _cache().set(key, choices, None)
    return choices


def _build(language: str) -> FilterChoices:
    from commissions.models import Commission

    from .models import Country, Region, normalise_for_search

    with translation.override(language):
        regions = [(region.pk, region.code, str(region.name)) for region in Region.objects.all()]
        order = [language] + [code for code in settings.LANGUAGE_CODES if code != language]
        countries = []
        for pk, code, *names in Country.objects.rewrite(False).values_list(
            "pk", "code", *(f"name_{lang}" for lang in order), "name"
        ):
            countries.append((pk, code, next((name for name in names if name), code)))
        countries.sort(key=lambda row: normalise_for_search(row[2]))
        commissions = [
            (slug, str(name))
            for slug, name in Commission.objects.active().values_list("slug", "name")
        ]
    return FilterChoices(
        regions=regions,
        countries=countries,
        commissions=commissions,
        options={
            "region": _escaped((code, name) for _pk, code, name in regions),
            "country": _escaped((code, name) for _pk, code, name in countries),
            "commission": _escaped(commissions),
        },
    )


def _escaped(pairs) -> list[tuple[str, str, str]]:
    """(value, the option's HTML up to where " selected" goes, the rest), for QuickSelect."""
    return [
        (str(value), f'<option value="{escape(value)}"', f">{escape(name)}</option>")
        for value, name in pairs
    ]


def forget_filter_choices(**kwargs) -> None:
    """Signal receiver: a region, a country or a commission changed."""

    def replace():
        _cache().set(VERSION_KEY, secrets.token_hex(8), None)

    replace()
    transaction.on_commit(replace)
