"""The directory filter's choices (regions, countries, commissions), built once per language.

Every directory page (and the export and the API that share its form) needs all of them,
and they change a few times a year: building them on each request (three queries, 249
country names sorted in the reader's language, every option escaped) took a quarter of
the page's time. They are kept as a fragment (entrevilles.fragments) that any change of
a region, a country or a commission replaces (network.apps connects the signals), so the
next page shows the change.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.html import escape

from entrevilles import fragments

NAME = "network:filter-choices"
# The rendered results of each directory query (network.views.directory), kept until the
# directory changes (network.apps connects the signals) and at most this long, in case
# organisations are written in bulk by a path that sends no signal.
DIRECTORY_RESULTS = "network:directory-results"
DIRECTORY_RESULTS_SECONDS = 600
# An organisation's page as visitors see it (network.views.organisation_detail).
ORGANISATION_PAGES = "network:organisation-pages"
ORGANISATION_PAGES_SECONDS = 600


@dataclass(frozen=True)
class FilterChoices:
    """(id, code, name) of regions and countries, (slug, name) of the active commissions,
    in one language; each option also as HTML, escaped once."""

    regions: list[tuple[int, str, str]]
    countries: list[tuple[int, str, str]]
    commissions: list[tuple[str, str]]
    options: dict[str, list[tuple[str, str, str]]]


def filter_choices(language: str | None = None) -> FilterChoices:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return fragments.remember(NAME, lambda: _build(language), variant=language)


def forget_filter_choices() -> None:
    fragments.forget(NAME)


def forget_directory_results(ids=None, fields=None) -> None:
    """After organisations were written in bulk (also a subscriber of network.changes)."""
    fragments.forget(DIRECTORY_RESULTS)
    fragments.forget(ORGANISATION_PAGES)


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
