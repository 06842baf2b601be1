"""Paginated answers whose page was built earlier (kept as a fragment): the same
`count`, `next`, `previous` and `results` as DRF's page number pagination answers."""

from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


def paginated_response(
    pagination: PageNumberPagination, request, number: int, count: int, results: list
) -> Response:
    """The answer of `pagination` for page `number` of `count` rows holding `results`;
    the links are built from this request, as DRF builds them."""
    pagination.request = request
    pagination.page = Paginator(range(count), pagination.get_page_size(request)).page(number)
    return pagination.get_paginated_response(results)
