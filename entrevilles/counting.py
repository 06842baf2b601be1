"""Totals of long lists: exact when small, an estimate when large.

"1–25 of 249,987" costs a COUNT over every matching row on each page, the largest part
of a filtered directory page at 250,000 organisations, and nobody reads the last digits.
Up to settings.EXACT_COUNT_LIMIT matches the total is exact (counting stops there); above it the page
says "about 250,000" (two significant figures):

- on PostgreSQL, the planner's estimate of the query (from the table statistics that
  autovacuum keeps; no row is read);
- on SQLite, which has no such estimate, the exact count, remembered in the shared cache
  for ESTIMATE_SECONDS per query when it is above the limit: what changed meanwhile is
  within the rounding. Counts below the limit are never remembered.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.models import QuerySet

ESTIMATE_SECONDS = 600


@dataclass(frozen=True)
class Total:
    value: int
    estimated: bool = False


def rounded(value: int) -> int:
    """Two significant figures: 249,987 -> 250,000; 12,345 -> 12,000."""
    digits = len(str(abs(value)))
    return round(value, -(digits - 2)) if digits > 2 else value


def total(queryset: QuerySet, exact: int | None = None) -> Total:
    """The number of rows of `queryset`, unless the caller knows it already (`exact`)."""
    if exact is not None:
        return Total(exact)
    limit = settings.EXACT_COUNT_LIMIT
    connection = connections[queryset.db]
    queryset = queryset.order_by()
    sql, params = queryset.values("pk").query.sql_with_params()
    planned = None
    key = "counting:" + hashlib.sha256(repr((sql, params)).encode()).hexdigest()
    if connection.vendor == "postgresql":
        planned = _planned_rows(connection, sql, params)
        if planned > 2 * limit:  # far enough above the limit to trust the estimate
            return Total(rounded(planned), estimated=True)
    else:
        remembered = caches["shared"].get(key)
        if remembered is not None:  # only counts above the limit are remembered
            return Total(rounded(remembered), estimated=True)
    counted = queryset[: limit + 1].count()
    if counted <= limit:
        return Total(counted)
    if planned is not None:
        return Total(rounded(max(planned, counted)), estimated=True)
    value = queryset.count()
    caches["shared"].set(key, value, ESTIMATE_SECONDS)
    return Total(rounded(value), estimated=True)


def _planned_rows(connection, sql: str, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
