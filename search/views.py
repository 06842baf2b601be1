"""The search page: one box over everything published, with facets."""

from django.conf import settings
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import get_language

from entrevilles.integers import parse_int

from . import facets as facet_labels
from .searching import FACETS, run_search


def _int(value, default: int) -> int:
    number = parse_int(value)
    return default if number is None else number


def search(request):
    text = request.GET.get("q", "")
    filters = {name: request.GET.get(name, "") for name in FACETS}
    results = run_search(
        request.user,
        text,
        filters=filters,
        page=_int(request.GET.get("page"), 1),
        per_page=_int(request.GET.get("per_page"), 20),
        reader_language=get_language() or settings.LANGUAGE_CODE,
    )
    params = {"q": text, **{k: v for k, v in filters.items() if v}}
    context = {
        "results": results,
        "text": text,
        "facet_groups": facet_labels.labelled(results.facets, filters, params),
        "page_params": urlencode(params),
        "filters": {k: v for k, v in filters.items() if v},
    }
    return render(request, "search/search.html", context)
