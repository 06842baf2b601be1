"""The one CSV writer of every export: cells a spreadsheet would run as a formula are
neutralised.

A cell that starts with = + - @ (or a tab or carriage return, which some spreadsheets
skip before reading one of those) is written with a leading apostrophe, so that
`=HYPERLINK("http://evil.example", "Click")` typed into a title stays text when a
secretariat opens the export (CSV injection, OWASP). Plain numbers such as -29.86 are
left as they are: they are not formulas, and the directory's export must import again
(its import reads cells through `restore`).
"""

import csv
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(value):
    """The value as a cell that no spreadsheet will evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def restore(value: str) -> str:
    """What a neutralised cell stood for: an import reads back what an export wrote."""
    if value[:1] == "'" and value[1:2] and value[1] in FORMULA_START:
        return value[1:]
    return value


class SafeWriter:
    """csv.writer's interface (writerow, writerows), every cell neutralised."""

    def __init__(self, file, **options):
        self._writer = csv.writer(file, **options)

    def writerow(self, row):
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(file, **options) -> SafeWriter:
    """A CSV writer for an export; use it instead of csv.writer."""
    return SafeWriter(file, **options)
