"""The directory's CSV format: one organisation per row, the same columns both ways.

Import validates every row in memory before anything is written (all or nothing) and
then writes in batches inside one transaction, so that 250,000 rows load in under a
minute on SQLite; export streams the same columns, so an exported file imports back.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from entrevilles import importing
from entrevilles.csv_export import csv_writer, restore
from entrevilles.integers import parse_id, parse_int

from .changes import organisations_changed
from .choices import forget_directory_results
from .models import (
    Country,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    SizeClass,
    search_name_for,
    sort_names_for,
)

COLUMNS = [
    "ref",
    "name",
    "name_fr",
    "name_es",
    "kind",
    "country",
    "population",
    "latitude",
    "longitude",
    "working_languages",
    "membership_status",
    "website",
    "email",
]
# Organisations without an external reference are exported with this prefix and their
# id, so that a file exported, edited and imported again updates them in place.
PK_REF_PREFIX = "entrevilles:"
# A spreadsheet runs a cell starting with one of these as a formula: exported text is
# prefixed with an apostrophe (as spreadsheets do themselves), removed again on import.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_COLUMNS = ("name", "name_fr", "name_es", "website", "email")
MAX_POPULATION = 10**10
BATCH_SIZE = 2000

_MAX_LENGTHS = {
    "ref": Organisation._meta.get_field("external_ref").max_length,
    "name": Organisation._meta.get_field("name_en").max_length,
    "name_fr": Organisation._meta.get_field("name_fr").max_length,
    "name_es": Organisation._meta.get_field("name_es").max_length,
    "website": Organisation._meta.get_field("website").max_length,
    "email": Organisation._meta.get_field("email").max_length,
}
_validate_url = URLValidator()
_validate_email = EmailValidator()


class ImportResult(importing.ImportResult):
    def summary(self) -> str:
        if self.errors:
            return self.refusal()
        return _("%(created)s organisations created, %(updated)s updated.") % {
            "created": self.created,
            "updated": self.updated,
        }


def _clean_text(value: str) -> str:
    value = value.strip()
    if value.startswith("'") and value[1:2] and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


def _safe_text(value: str | None) -> str:
    value = value or ""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _parse_float(value: str, low: float, high: float, label: str, errors: list[str]):
    if value == "":
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        errors.append(
            _("%(field)s must be a number, not “%(value)s”.")
            % {
                "field": label,
                "value": value[:50],
            }
        )
        return None
    if not math.isfinite(number) or not low <= number <= high:
        errors.append(
            _("%(field)s must be between %(low)s and %(high)s.")
            % {"field": label, "low": low, "high": high}
        )
        return None
    return number


class _Validator:
    """Checks rows one by one against lookups loaded once from the database."""

    def __init__(self):
        self.countries = {country.code.upper(): country for country in Country.objects.all()}
        self.kinds = set(OrganisationKind.values)
        self.statuses = set(MembershipStatus.values)
        self.languages = set(settings.LANGUAGE_CODES)
        self.by_ref: dict[str, int] = {}
        self.by_key: dict[tuple, tuple[int, str]] = {}
        self.pks: set[int] = set()
        for pk, ref, country_id, kind, search_name, name in Organisation.objects.values_list(
            "pk", "external_ref", "country_id", "kind", "search_name", "name"
        ).iterator(chunk_size=5000):
            self.pks.add(pk)
            if ref:
                self.by_ref[ref] = pk
            self.by_key[(country_id, kind, search_name)] = (pk, name)
        self.refs_in_file: dict[str, int] = {}
        self.kind_labels = dict(OrganisationKind.choices)
        self.languages_field = Organisation._meta.get_field("working_languages")
        self.prepared_languages: dict[tuple, object] = {}
        self.keys_in_file: dict[tuple, int] = {}

    def check(self, line: int, row: dict[str, str]) -> tuple[Organisation | None, list[str]]:
        errors: list[str] = []
        values = {column: row[column].strip() for column in COLUMNS}
        for column in TEXT_COLUMNS:
            values[column] = _clean_text(row[column])
        for column, limit in _MAX_LENGTHS.items():
            if len(values[column]) > limit:
                errors.append(
                    _("%(column)s is longer than %(limit)s characters.")
                    % {"column": column, "limit": limit}
                )
        if not values["name"]:
            errors.append(_("name is empty."))
        kind = values["kind"]
        if kind not in self.kinds:
            errors.append(
                _("Unknown kind “%(value)s” (expected one of: %(choices)s).")
                % {"value": kind[:50], "choices": ", ".join(OrganisationKind.values)}
            )
        country = self.countries.get(values["country"].upper())
        if country is None:
            errors.append(
                _("Unknown country code “%(value)s” (expected ISO 3166-1 alpha-2).")
                % {"value": values["country"][:50]}
            )
        population = None
        if values["population"]:
            text = values["population"].replace("_", "").replace(" ", "")
            if (population := parse_int(text)) is not None:
                if population < 0:
                    errors.append(_("The population cannot be negative."))
                elif population > MAX_POPULATION:
                    errors.append(_("The population is too large."))
            else:
                errors.append(
                    _("The population must be a whole number, not “%(value)s”.")
                    % {"value": values["population"][:50]}
                )
        latitude = _parse_float(values["latitude"], -90, 90, "latitude", errors)
        longitude = _parse_float(values["longitude"], -180, 180, "longitude", errors)
        languages = [
            code.strip().lower() for code in values["working_languages"].split(";") if code.strip()
        ]
        unknown = [code for code in languages if code not in self.languages]
        if unknown:
            errors.append(
                _("Unknown working language(s) %(codes)s (expected among: %(choices)s).")
                % {"codes": ", ".join(unknown)[:100], "choices": ", ".join(settings.LANGUAGE_CODES)}
            )
        status = values["membership_status"] or MembershipStatus.MEMBER
        if status not in self.statuses:
            errors.append(
                _("Unknown membership status “%(value)s” (expected one of: %(choices)s).")
                % {"value": status[:50], "choices": ", ".join(MembershipStatus.values)}
            )
        for column, validate in (("website", _validate_url), ("email", _validate_email)):
            if values[column] and len(values[column]) <= _MAX_LENGTHS[column]:
                try:
                    validate(values[column])
                except ValidationError:
                    errors.append(
                        _("%(column)s “%(value)s” is not valid.")
                        % {"column": column, "value": values[column][:100]}
                    )

        ref = values["ref"]
        target_pk = None
        if ref:
            if ref in self.refs_in_file:
                errors.append(
                    _("The reference “%(ref)s” already appears on line %(line)s.")
                    % {"ref": ref[:100], "line": self.refs_in_file[ref]}
                )
            else:
                self.refs_in_file[ref] = line
            if ref.startswith(PK_REF_PREFIX):
                number = ref.removeprefix(PK_REF_PREFIX)
                target_pk = parse_id(number)
                if target_pk not in self.pks:
                    errors.append(
                        _("No organisation has the reference “%(ref)s”.") % {"ref": ref[:100]}
                    )
            else:
                target_pk = self.by_ref.get(ref)
        if errors:
            return None, errors

        search_name = search_name_for((values["name"], values["name_fr"], values["name_es"]))
        key = (country.pk, kind, search_name)
        if key in self.keys_in_file:
            errors.append(
                _("Same name, kind and country as line %(line)s.")
                % {"line": self.keys_in_file[key]}
            )
        else:
            self.keys_in_file[key] = line
        existing = self.by_key.get(key)
        if existing is not None and existing[0] != target_pk:
            errors.append(
                _("%(name)s (%(kind)s, %(country)s) is already in the directory.")
                % {
                    "name": existing[1],
                    "kind": self.kind_labels[kind],
                    "country": country.name,
                }
            )
        if errors:
            return None, errors
        # Plain column values: building 250,000 model instances (with their translated
        # fields) took longer than validating and writing the rows themselves.
        return {
            "id": target_pk,
            "name": values["name"],
            "name_en": values["name"],
            "name_fr": values["name_fr"] or None,
            "name_es": values["name_es"] or None,
            "search_name": search_name,
            **sort_names_for(
                {"en": values["name"], "fr": values["name_fr"], "es": values["name_es"]},
                values["name"],
            ),
            "kind": kind,
            "country_id": country.pk,
            "region_id": country.region_id,
            "population": population,
            "size_class": SizeClass.for_population(population),
            "latitude": latitude,
            "longitude": longitude,
            "working_languages": self.languages_value(languages),
            "membership_status": status,
            "website": values["website"],
            "email": values["email"],
            "external_ref": ref or None,
        }, []

    def languages_value(self, languages: list[str]):
        """The database value of a working-languages list, prepared once per combination."""
        key = tuple(languages)
        if key not in self.prepared_languages:
            self.prepared_languages[key] = self.languages_field.get_db_prep_save(
                list(languages), connection
            )
        return self.prepared_languages[key]


INSERT_COLUMNS = [
    "name",
    "name_en",
    "name_fr",
    "name_es",
    "search_name",
    "sort_name_en",
    "sort_name_fr",
    "sort_name_es",
    "kind",
    "country_id",
    "region_id",
    "population",
    "size_class",
    "latitude",
    "longitude",
    "working_languages",
    "membership_status",
    "website",
    "email",
    "external_ref",
]
# An update keeps the organisation's reference (it is how the row was matched).
UPDATE_COLUMNS = [column for column in INSERT_COLUMNS if column != "external_ref"]


@contextlib.contextmanager
def _large_page_cache(cursor):
    """On SQLite, a page cache that holds the table's indexes while a big file is written.

    Each row updates several B-tree indexes at scattered places; with the default cache
    the same index pages are read and written again and again. The usual size comes back
    afterwards, since the connection may serve web requests later.
    """
    if connection.vendor != "sqlite":
        yield
        return
    cursor.execute("PRAGMA cache_size")
    (previous,) = cursor.fetchone()
    cursor.execute("PRAGMA cache_size = -512000")  # KiB: 500 MB at most, only as needed
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(previous)}")


# A file this large (and at least as large as half the directory) is written with the
# directory's sort-key indexes set aside and built again afterwards, in the same
# transaction: building each once, sorted, costs a few seconds, where keeping 15 of
# them in step row by row more than doubled the time of a 250,000-row import on SQLite.
REBUILD_SORT_INDEXES_FROM = 20_000


def _sort_indexes() -> list:
    return [
        index
        for index in Organisation._meta.indexes
        if any(field.startswith("sort_name_") for field in index.fields)
    ]


@contextlib.contextmanager
def _sort_indexes_set_aside(rows: int, existing: int):
    """On SQLite, for a big file, drop the sort-key indexes and create them again after.

    Only SQLite: readers there keep reading the last committed state (WAL), while on
    PostgreSQL dropping an index would lock the table against readers until the commit.
    """
    if connection.vendor != "sqlite" or rows < max(REBUILD_SORT_INDEXES_FROM, existing // 2):
        yield
        return
    editor = connection.schema_editor()
    indexes = _sort_indexes()
    with connection.cursor() as cursor:
        for index in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(index.name)}")
    yield
    with connection.cursor() as cursor:
        for index in indexes:
            cursor.execute(str(index.create_sql(Organisation, editor)))


def _write(creates: list[dict], updates: list[dict]) -> None:
    """Insert and update the validated rows with plain parameterised SQL, in batches.

    The column names come from the model; every value is a parameter.
    """
    table = connection.ops.quote_name(Organisation._meta.db_table)
    quote = connection.ops.quote_name
    timestamp_field = Organisation._meta.get_field("updated_at")
    now = timestamp_field.get_db_prep_save(timezone.now(), connection)
    insert = "INSERT INTO {} ({}, {}, {}) VALUES ({})".format(  # noqa: S608 - names from the model
        table,
        ", ".join(quote(column) for column in INSERT_COLUMNS),
        quote("created_at"),
        quote("updated_at"),
        ", ".join(["%s"] * (len(INSERT_COLUMNS) + 2)),
    )
    update = "UPDATE {} SET {}, {} = %s WHERE {} = %s".format(  # noqa: S608 - names from the model
        table,
        ", ".join(f"{quote(column)} = %s" for column in UPDATE_COLUMNS),
        quote("updated_at"),
        quote("id"),
    )
    with connection.cursor() as cursor, _large_page_cache(cursor):
        for start in range(0, len(creates), BATCH_SIZE):
            cursor.executemany(
                insert,
                [
                    [row[column] for column in INSERT_COLUMNS] + [now, now]
                    for row in creates[start : start + BATCH_SIZE]
                ],
            )
        for start in range(0, len(updates), BATCH_SIZE):
            cursor.executemany(
                update,
                [
                    [row[column] for column in UPDATE_COLUMNS] + [now, row["id"]]
                    for row in updates[start : start + BATCH_SIZE]
                ],
            )


DIRECTORY_TABLE = importing.CsvTable(COLUMNS)


def import_rows(fileobj, *, actor) -> ImportResult:
    """Validate a whole CSV file, then save every row, or save nothing (see services)."""
    result = ImportResult()
    try:
        records = importing.CsvRecords(importing.decode(fileobj.read()), DIRECTORY_TABLE)
    except importing.FileRefused as refused:
        result.errors.append(refused.error)
        return result
    validator = _Validator()

    def check(line: int, row: dict[str, str]) -> tuple[dict | None, list[str]]:
        return validator.check(line, {column: restore(cell) for column, cell in row.items()})

    def write(rows: list[dict]) -> None:
        creates = [row for row in rows if row["id"] is None]
        updates = [row for row in rows if row["id"] is not None]
        with _sort_indexes_set_aside(len(rows), len(validator.pks)):
            _write(creates, updates)
        result.created, result.updated = len(creates), len(updates)
        if updates:  # written past save(): whoever copies their fields is told
            organisations_changed([row["id"] for row in updates], fields=UPDATE_COLUMNS)
        if creates:
            forget_directory_results()  # new rows, written in bulk
        # One entry for the whole file: a row-by-row audit of 250,000 rows would double
        # the import time and tell an administrator less than this summary.
        AuditEntry.objects.create(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action="network.organisation.imported",
            object_type=Organisation._meta.label_lower,
            object_id="",
            object_repr=f"CSV import: {result.created} created, {result.updated} updated",
            after={
                "created": result.created,
                "updated": result.updated,
                "updated_ids": [row["id"] for row in updates[:1000]],
            },
        )

    result.errors = importing.run_import(
        records, check, write, no_rows=_("The file has no organisation rows.")
    )
    return result


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def export_lines(organisations) -> Iterator[str]:
    """CSV lines (header first) for a queryset of organisations, read in chunks."""
    writer = csv_writer(_Echo())
    # The byte-order mark tells spreadsheet programs the file is UTF-8 (accented names);
    # the import skips it.
    yield "\ufeff" + writer.writerow(COLUMNS)
    rows: Iterable = organisations.values_list(
        "pk",
        "external_ref",
        "name",
        "name_en",
        "name_fr",
        "name_es",
        "kind",
        "country__code",
        "population",
        "latitude",
        "longitude",
        "working_languages",
        "membership_status",
        "website",
        "email",
    )
    for row in rows.iterator(chunk_size=2000):
        (pk, ref, name, name_en, name_fr, name_es, kind, country, population) = row[:9]
        latitude, longitude, languages, status, website, email = row[9:]
        yield writer.writerow(
            [
                ref or f"{PK_REF_PREFIX}{pk}",
                _safe_text(name_en or name),
                _safe_text(name_fr),
                _safe_text(name_es),
                kind,
                country,
                "" if population is None else population,
                "" if latitude is None else latitude,
                "" if longitude is None else longitude,
                ";".join(languages or []),
                status,
                _safe_text(website),
                _safe_text(email),
            ]
        )
