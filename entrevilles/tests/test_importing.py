"""The import framework: what a person importing a file is told, and all or nothing.

A small format stands for an app's: a CSV table of groups (name, size) whose rows are
written as the platform's permission groups, with a row rule and a writer of its own.
"""

import io

import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from entrevilles.importing import (
    CsvRecords,
    CsvTable,
    FileRefused,
    ImportResult,
    JsonLines,
    decode,
    run_import,
)

pytestmark = pytest.mark.django_db

GROUPS = CsvTable(["name", "size"])
GROUPS_BY_NAME = CsvTable(["name", "size", "note"], required=frozenset({"name"}))


def check_group(line: int, row: dict) -> tuple[dict | None, list[str]]:
    problems = []
    name = (row.get("name") or "").strip()
    if not name:
        problems.append("name is empty.")
    size = (row.get("size") or "").strip()
    if size and not size.isdigit():
        problems.append(f"the size must be a whole number, not “{size}”.")
    return (None if problems else {"name": name}), problems


def write_groups(rows: list[dict]) -> None:
    for row in rows:
        Group.objects.create(name=row["name"])


def import_groups(raw: bytes | str, table: CsvTable = GROUPS) -> ImportResult:
    """What an app's import does with the framework: read, check, write."""
    result = ImportResult()
    try:
        records = CsvRecords(decode(raw), table)
    except FileRefused as refused:
        result.errors.append(refused.error)
        return result
    result.errors = run_import(records, check_group, write_groups, no_rows="no group rows.")
    result.created = 0 if result.errors else Group.objects.count()
    return result


def messages(result: ImportResult) -> list[str]:
    return [str(error) for error in result.errors]


def test_a_good_file_writes_every_row():
    result = import_groups(b"name,size\nPlanning,3\n\nHousing,\n")

    assert result.ok
    assert result.created == 2
    assert sorted(Group.objects.values_list("name", flat=True)) == ["Housing", "Planning"]


def test_every_bad_row_is_told_with_its_line_and_nothing_is_written():
    result = import_groups(b"name,size\nPlanning,3\n,2\nHousing,many\n,lots\n")

    assert messages(result) == [
        "Line 3: name is empty.",
        "Line 4: the size must be a whole number, not “many”.",
        "Line 5: name is empty.",
        "Line 5: the size must be a whole number, not “lots”.",
    ]
    assert result.refusal() == "Nothing was imported: 4 problems to fix."
    assert not Group.objects.exists()


def test_the_problems_are_told_in_the_readers_language():
    with translation.override("fr"):
        result = import_groups(b"name,size\n,2\n")
        assert messages(result) == ["Ligne 2\u00a0: name is empty."]
        assert result.refusal() == "Rien n’a été importé\u00a0: 1 problème à corriger."


def test_a_file_in_another_encoding_is_refused_at_the_line_of_its_first_foreign_byte():
    result = import_groups("name,size\nPlanning,3\nBogotá,2\n".encode("latin-1"))

    assert messages(result) == [
        "Line 3: The file is not in UTF-8. Save it as “CSV UTF-8” from your spreadsheet "
        "and import it again."
    ]
    assert not Group.objects.exists()


def test_a_byte_order_mark_is_not_part_of_the_first_column():
    assert import_groups("\ufeffname,size\nPlanning,3\n".encode()).ok


def test_an_empty_file_or_one_without_rows_is_refused():
    assert messages(import_groups(b"")) == ["Line 1: The file is empty."]
    assert messages(import_groups(b"name,size\n")) == ["Line 2: no group rows."]


def test_a_missing_column_is_told_on_the_first_line():
    result = import_groups(b"name\nPlanning\n")

    assert messages(result) == ["Line 1: The first row must name exactly these columns: name,size."]
    result = import_groups(b"size,note\n3,x\n", GROUPS_BY_NAME)
    assert messages(result) == ["Line 1: The file misses the columns: name."]
    assert not Group.objects.exists()


def test_the_columns_are_named_in_any_order_and_case():
    assert import_groups(b" Size ,NAME\n3,Planning\n").ok
    assert Group.objects.get().name == "Planning"


def test_a_row_with_too_many_or_too_few_cells_is_told_in_an_exact_table():
    result = import_groups(b"name,size\nPlanning,3,extra\nHousing\n")

    assert messages(result) == [
        "Line 2: Expected 2 columns, found 3.",
        "Line 3: Expected 2 columns, found 1.",
    ]


def test_a_table_read_by_name_takes_short_rows_and_other_columns():
    result = import_groups(b"name,comment\nPlanning,kept aside\nHousing\n", GROUPS_BY_NAME)

    assert result.ok, messages(result)
    assert Group.objects.count() == 2


def test_a_broken_quote_is_told_at_its_line():
    result = import_groups(b'name,size\nPlanning,3\n"Housing,2\n')

    assert len(result.errors) == 1
    assert str(result.errors[0]).startswith("Line 3: The file is not valid CSV (")
    assert not Group.objects.exists()


def test_a_writer_that_fails_leaves_nothing_written():
    def write_then_fail(rows: list[dict]) -> None:
        write_groups(rows)
        raise RuntimeError("the disk is full")

    records = CsvRecords(decode(b"name,size\nPlanning,3\n"), GROUPS)
    with pytest.raises(RuntimeError):
        run_import(records, check_group, write_then_fail)
    assert not Group.objects.exists()


def test_json_lines_are_read_one_by_one_and_each_bad_line_is_told():
    lines = io.BytesIO(
        b'\xef\xbb\xbf{"name": "Planning"}\n'
        b"\n"
        b"{not json\n"
        b'"a string"\n'
        b'{"name": "nul \\u0000"}\n'
        b'{"name": "caf\xe9"}\n'
        b'{"name": ""}\n'
    )
    result = ImportResult()
    result.errors = run_import(JsonLines(lines), check_group, write_groups)

    assert [(error.line, error.message) for error in result.errors] == [
        (3, "not valid JSON (Expecting property name enclosed in double quotes)."),
        (4, "a line must be a JSON object."),
        (
            5,
            "the line contains a NUL character, which cannot be stored: remove it and "
            "import again.",
        ),
        (6, "the line is not valid UTF-8."),
        (7, "name is empty."),
    ]
    assert not Group.objects.exists()


def test_a_json_lines_file_without_lines_is_refused_after_its_last_line():
    errors = run_import(JsonLines(io.BytesIO(b"\n\n")), check_group, write_groups, no_rows="none.")

    assert [str(error) for error in errors] == ["Line 3: none."]
