"""Totals of the action plan per workstream, kept in Django's cache.

The dashboards show, for every workstream, how many actions it has, how many are late and
their mean progress; and they page through the open actions, which needs how many there
are. Counting them means reading the whole actions table on every page; the totals change
only when an action changes. They are cached under a fingerprint of the actions table
(how many actions, and the last time one was saved: one query on two indexes), so that
any write, from whichever process, gives new totals at once; and under today's date,
since "late" depends on it.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, Sum

from .models import OPEN_STATUSES, Action

# A safety net only: the fingerprint changes with every write.
CACHE_SECONDS = 15 * 60


@dataclass(frozen=True)
class Totals:
    total: int = 0
    late: int = 0
    progress_sum: int = 0
    open_dated: int = 0
    open_undated: int = 0

    @property
    def progress(self) -> float:
        return self.progress_sum / self.total if self.total else 0

    def __add__(self, other: "Totals") -> "Totals":
        return Totals(
            self.total + other.total,
            self.late + other.late,
            self.progress_sum + other.progress_sum,
            self.open_dated + other.open_dated,
            self.open_undated + other.open_undated,
        )


def _fingerprint() -> str:
    # Two scalar subqueries, not COUNT and MAX in one SELECT: that way SQLite counts the
    # rows of a b-tree and reads the maximum from the index, instead of scanning both.
    quote = connection.ops.quote_name
    table, column = quote(Action._meta.db_table), quote("updated_at")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {table}), (SELECT MAX({column}) FROM {table})"  # noqa: S608 - names from the model
        )
        count, changed = cursor.fetchone()
    return hashlib.md5(f"{count}:{changed}".encode(), usedforsecurity=False).hexdigest()


def _compute(today: date) -> dict[int | None, Totals]:
    is_open = Q(status__in=OPEN_STATUSES)
    rows = (
        Action.objects.values_list("workstream")
        .annotate(
            total=Count("id"),
            late=Count("id", filter=is_open & Q(due_date__lt=today)),
            progress_sum=Sum("progress"),
            open_dated=Count("id", filter=is_open & Q(due_date__isnull=False)),
            open_undated=Count("id", filter=is_open & Q(due_date__isnull=True)),
        )
        .order_by()
    )
    return {row[0]: Totals(*(value or 0 for value in row[1:])) for row in rows}


def by_workstream(today: date) -> dict[int | None, Totals]:
    """Totals per workstream id (None: the actions of no workstream)."""
    key = f"actions:totals:{today.isoformat()}:{_fingerprint()}"
    totals = cache.get(key)
    if totals is None:
        totals = _compute(today)
        cache.set(key, totals, CACHE_SECONDS)
    return totals


def overall(totals: dict[int | None, Totals]) -> Totals:
    return sum(totals.values(), Totals())
