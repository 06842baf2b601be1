"""The search page: one box over everything published, with facets."""

from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from entrevilles.integers import parse_int

from . import facets as facet_labels
from . import pages
from .searching import FACETS, MAX_PER_PAGE, run_search

# Pages beyond this are searched for whoever asks, not kept.
MAX_KEPT_PAGE = 9999


@dataclass
class Found:
    """The results as the page shows them (facets and hits), rendered."""

    html: str
    # "unavailable": ranked by words only, the model could not be loaded (the page says so).
    meaning: str


def _int(value, default: int) -> int:
    number = parse_int(value)
    return default if number is None else number


def search(request):
    """The results the reader may see. What visitors see is rendered once per normalised
    query, filters, page and language and kept while the index does not change
    (search.pages); signed-in readers, who may see members-only entries, get theirs."""
    text = pages.normalised(request.GET.get("q", ""))
    # Cut as the search cuts them: the same results, the same links.
    filters = {name: request.GET.get(name, "")[:60] for name in FACETS}
    page = max(1, _int(request.GET.get("page"), 1))
    per_page = max(1, min(_int(request.GET.get("per_page"), 20), MAX_PER_PAGE))
    params = {"q": text, **{k: v for k, v in filters.items() if v}}

    def build() -> Found:
        return _found(request, text, filters, page, per_page, params)

    if page > MAX_KEPT_PAGE:
        found = build()
    else:
        found = pages.for_visitors(
            request,
            build,
            lambda found: found.meaning != "unavailable",
            text,
            sorted(params.items()),
            page,
            per_page,
        )
    context = {
        "results_html": mark_safe(found.html),  # noqa: S308 - our own template's output
        "text": text,
        "filters": {k: v for k, v in filters.items() if v},
    }
    return render(request, "search/search.html", context)


def _found(request, text: str, filters: dict, page: int, per_page: int, params: dict) -> Found:
    results = run_search(
        request.user,
        text,
        filters=filters,
        page=page,
        per_page=per_page,
        reader_language=get_language() or settings.LANGUAGE_CODE,
    )
    html = render_to_string(
        "search/_results.html",
        {
            "results": results,
            "text": text,
            "facet_groups": facet_labels.labelled(results.facets, filters, params),
            "page_params": urlencode(params),
        },
        request,
    )
    return Found(html=str(html), meaning=results.meaning)
