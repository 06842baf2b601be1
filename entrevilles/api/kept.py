"""Pages of an API list kept until their data changes (entrevilles.fragments).

A list whose page is the same for a whole audience (every caller, or every anonymous
one) is built once per query and language and kept under the list's fragment name,
which the owning app forgets whenever a row the list shows is saved or deleted (its
AppConfig.ready connects the signals; writes in bulk forget it themselves). What is kept
is the page's number, the exact total and the serialized rows; the answer is built from
them with the same `count`, `next`, `previous` and `results` as DRF's page number
pagination, its links from the request at hand. An invalid filter or page raises while
the page is built, so that nothing is kept and the caller gets the same 400 or 404.

The rows are kept as the JSON they render to: a JSON answer is written around them
(`renderers.JSONRenderer`) instead of reading back and rendering again the Python values
of fifty rows at each request; other formats (the browsable API) get the values.
"""

import hashlib
import json
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.translation import get_language
from rest_framework.request import Request
from rest_framework.response import Response

from entrevilles import fragments

from .renderers import JSONRenderer, RenderedRows


def kept_page(
    view: Any,  # a ViewSet's list, paginated by page number
    request: Request,
    name: str,
    *,
    audience: str = "",
    timeout: int | None = None,
) -> Response:
    """The answer of `view`'s list for this request, from the page kept under `name`
    for this audience, language and query string, or built (and kept) now."""
    language = get_language() or settings.LANGUAGE_CODE
    key = f"api-json|{view.basename}|{audience}|{language}|{request.query_params.urlencode()}"
    number, count, results = fragments.remember(
        name,
        lambda: _page(view),
        variant=hashlib.sha256(key.encode()).hexdigest(),
        timeout=timeout,
    )
    pagination = view.paginator
    pagination.request = request
    pagination.page = Paginator(range(count), pagination.get_page_size(request)).page(number)
    renderer = getattr(request, "accepted_renderer", None)
    if isinstance(renderer, JSONRenderer):
        return pagination.get_paginated_response(RenderedRows(results))
    return pagination.get_paginated_response(json.loads(results))


def _page(view: Any) -> tuple[int, int, bytes]:
    page = view.paginate_queryset(view.filter_queryset(view.get_queryset()))
    results = view.get_serializer(page, many=True).data
    page_of = view.paginator.page
    return page_of.number, page_of.paginator.count, JSONRenderer().render(list(results))
