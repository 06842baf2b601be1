"""Importing rows from a file, all or nothing: the one way every import of the platform works.

An import has three steps. Its file is read into numbered records (`CsvRecords` for a CSV
table, `JsonLines` for one JSON object a line); what cannot be read is an error at its
line. Each record is then checked by the app's row rule, the same rules its services
apply, which answers the row to write or why it cannot be written, in the reader's
language. Only when no row is bad does `run_import` hand the rows to the app's writer, in
one transaction, so that an app may write them in bulk; otherwise nothing is written and
every problem is listed with its line number. How large an uploaded file may be is
checked when it is uploaded (`uploads.formats`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# An app's row rule: the line and the record as read (R), answered with the row to write
# (T; None when it cannot be written) and the reasons it cannot, in the reader's language.
type RowRule[R, T] = Callable[[int, R], tuple[T | None, list[str]]]


@dataclass
class RowError:
    """A problem of one line of the file, its first line being 1."""

    line: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportResult:
    """How an import ended: what it wrote, or every problem that stopped it."""

    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def refusal(self) -> str:
        """What the person who imported is told when the file had problems."""
        return ngettext(
            "Nothing was imported: %(count)s problem to fix.",
            "Nothing was imported: %(count)s problems to fix.",
            len(self.errors),
        ) % {"count": len(self.errors)}


class FileRefused(Exception):
    """The file cannot be read at all (its encoding, its first row): no row is checked."""

    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


class Records[R](Protocol):
    """The records of a file, each with its line, and an error for what cannot be read."""

    def __iter__(self) -> Iterator[tuple[int, R] | RowError]: ...

    @property
    def end_line(self) -> int:
        """The line after the last one read: where a file without rows is told so."""
        ...


def decode(raw: bytes | str) -> str:
    """The text of a file in UTF-8, without its byte-order mark; FileRefused, at the line
    of the first byte that is not UTF-8, for a file in another encoding."""
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(
            RowError(
                raw[: error.start].count(b"\n") + 1,
                _(
                    "The file is not in UTF-8. Save it as “CSV UTF-8” from your "
                    "spreadsheet and import it again."
                ),
            )
        ) from None


@dataclass(frozen=True)
class CsvTable:
    """The columns of a CSV format, named by the file's first row (in any case and order).

    Without `required`, the file names exactly `columns` and each row has one cell per
    column. With it, the file names at least the `required` columns, may hold others, and
    a short row's missing cells are empty.
    """

    columns: Sequence[str]
    required: frozenset[str] | None = None


class CsvRecords:
    """The rows of a CSV file as {column: cell}; its first row is read when this is made,
    and FileRefused says what is wrong with it."""

    def __init__(self, text: str, table: CsvTable) -> None:
        self.exact = table.required is None
        self.reader = csv.reader(io.StringIO(text, newline=""), strict=self.exact)
        try:
            first = next(self.reader, None)
        except csv.Error as error:
            raise FileRefused(RowError(1, _invalid_csv(error))) from None
        if first is None:
            raise FileRefused(RowError(1, _("The file is empty.")))
        self.header = [column.strip().lower() for column in first]
        if table.required is None:
            if sorted(self.header) != sorted(table.columns) or len(set(self.header)) != len(
                self.header
            ):
                raise FileRefused(
                    RowError(
                        1,
                        _("The first row must name exactly these columns: %(columns)s.")
                        % {"columns": ",".join(table.columns)},
                    )
                )
        elif missing := table.required - set(self.header):
            raise FileRefused(
                RowError(
                    1,
                    _("The file misses the columns: %(columns)s.")
                    % {"columns": ", ".join(sorted(missing))},
                )
            )

    @property
    def end_line(self) -> int:
        return self.reader.line_num + 1

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]] | RowError]:
        width = len(self.header)
        while True:
            start = self.reader.line_num + 1
            try:
                cells = next(self.reader)
            except StopIteration:
                return
            except csv.Error as error:
                # Past a broken quote, the lines cannot be told apart: reading stops.
                yield RowError(self.reader.line_num or start, _invalid_csv(error))
                return
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            if len(cells) != width:
                if self.exact:
                    yield RowError(
                        start,
                        _("Expected %(expected)s columns, found %(found)s.")
                        % {"expected": width, "found": len(cells)},
                    )
                    continue
                cells = (cells + [""] * width)[:width]
            yield start, dict(zip(self.header, cells, strict=True))


def _invalid_csv(error: csv.Error) -> str:
    return _("The file is not valid CSV (%(error)s).") % {"error": error}


NUL_MESSAGE = gettext_lazy(
    "the line contains a NUL character, which cannot be stored: remove it and import again."
)


def _unstorable_text(value: Any) -> str | None:
    """Why a decoded JSON value cannot be stored as text (a NUL, written as \\u0000, or a
    lone surrogate such as \\ud800), or None. PostgreSQL refuses both in text columns."""
    if isinstance(value, str):
        if "\x00" in value:
            return str(NUL_MESSAGE)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _("the line contains an invalid character (an unpaired surrogate).")
        return None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        for item in value:
            problem = _unstorable_text(item)
            if problem:
                return problem
    return None


class JsonLines:
    """The JSON objects of a binary file, one a line, each line decoded on its own: a bad
    line is an error at its number and the next lines are still read."""

    def __init__(self, lines: Iterable[bytes]) -> None:
        self.lines = lines
        self.end_line = 1

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]] | RowError]:
        for number, raw in enumerate(self.lines, start=1):
            self.end_line = number + 1
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if b"\x00" in raw:
                yield RowError(number, str(NUL_MESSAGE))
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield RowError(number, _("the line is not valid UTF-8."))
                continue
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except RecursionError:
                yield RowError(number, _("not valid JSON (nested too deeply)."))
                continue
            except ValueError as error:
                # JSONDecodeError has a short `msg`; other ValueErrors (a number of thousands
                # of digits) only their text.
                reason = getattr(error, "msg", None) or str(error)
                yield RowError(number, _("not valid JSON (%(error)s).") % {"error": reason})
                continue
            problem = _unstorable_text(record)
            if problem:
                yield RowError(number, problem)
            elif not isinstance(record, dict):
                yield RowError(number, _("a line must be a JSON object."))
            else:
                yield number, record


def check_rows[R, T](
    records: Records[R], rule: RowRule[R, T], *, no_rows: str | None = None
) -> tuple[list[T], list[RowError]]:
    """Every record through its rule: the rows to write, and every problem of the file.

    `no_rows`, when given, is the problem of a file that holds no row at all.
    """
    rows: list[T] = []
    errors: list[RowError] = []
    for item in records:
        if isinstance(item, RowError):
            errors.append(item)
            continue
        line, record = item
        row, problems = rule(line, record)
        if problems:
            errors.extend(RowError(line, problem) for problem in problems)
        elif row is not None:
            rows.append(row)
    if no_rows is not None and not rows and not errors:
        errors.append(RowError(records.end_line, no_rows))
    return rows, errors


def run_import[R, T](
    records: Records[R],
    rule: RowRule[R, T],
    write: Callable[[list[T]], None],
    *,
    no_rows: str | None = None,
) -> list[RowError]:
    """Check every record, then hand the rows to `write` in one transaction, or write
    nothing: the problems found, empty when the rows were written."""
    rows, errors = check_rows(records, rule, no_rows=no_rows)
    if errors:
        return errors
    with transaction.atomic():
        write(rows)
    return []
