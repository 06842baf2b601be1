"""Importing experiences from JSON Lines, all or nothing (`manage.py import_experiences`).

One experience per line:

    {"ref": "urbact:1234", "language": "fr", "city": "Rabat", "country": "MA",
     "population": 580000, "title": "...", "summary": "...", "sdgs": [11],
     "themes": ["housing"]}

`ref` is the caller's unique id: importing the same ref again updates the experience.
The text goes into the columns of its language; imported experiences are published
(the caller vouches for them). Cities are matched by name and country, ignoring case
and accents, in any of their names; a city not in the directory is created as a local
government that is not (yet) a member. Every line is checked before anything is
written; one bad line and nothing is saved.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from entrevilles import importing
from entrevilles.integers import parse_int
from entrevilles.languages import CODES
from learning import pages
from learning.matching import concepts, index
from library.api import forget_kept_list as forget_experience_list
from library.models import SDG, Experience, Status, Theme
from network import services as network_services
from network.choices import forget_directory_results
from network.models import (
    Country,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    normalise_for_search,
)

REQUIRED = ("ref", "language", "city", "country", "title", "summary")
OPTIONAL = ("population", "sdgs", "themes")
MAX_LENGTHS = {"ref": 120, "city": 200, "title": 250}
MAX_SUMMARY = 20_000
BATCH = 2_000
EMPTY_TEXTS = {
    f"{name}{suffix}": ""
    for name in ("title", "summary", "problem", "approach", "results", "lessons")
    for suffix in ("", "_en", "_fr", "_es")
}


@dataclass
class ImportResult(importing.ImportResult):
    cities_created: int = 0
    # The experiences written, for whoever indexes them at once (the command).
    experience_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        if self.errors:
            return self.refusal()
        return _(
            "%(created)s experiences created and %(updated)s updated, all published; "
            "%(cities)s cities added to the directory."
        ) % {"created": self.created, "updated": self.updated, "cities": self.cities_created}


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    """Checks one decoded line against the format and the reference data."""

    def __init__(self):
        self.countries = {country.code: country for country in Country.objects.all()}
        self.themes = set(Theme.objects.values_list("key", flat=True))
        self.sdgs = dict(SDG.objects.values_list("number", "pk"))
        self.refs: dict[str, int] = {}

    def check(self, number: int, record) -> tuple[dict | None, list[str]]:
        problems = []
        for name in REQUIRED:
            if name not in record or record[name] is None:
                problems.append(_("the field “%(field)s” is missing.") % {"field": name})
        unknown = sorted(set(record) - set(REQUIRED) - set(OPTIONAL))
        if unknown:
            problems.append(
                _("unknown fields: %(fields)s.") % {"fields": ", ".join(map(str, unknown))}
            )
        for name in REQUIRED:
            value = record.get(name)
            if value is None:
                continue
            if not isinstance(value, str):
                problems.append(_("the field “%(field)s” must be text.") % {"field": name})
            elif name != "summary" and not value.strip():
                problems.append(_("the field “%(field)s” is empty.") % {"field": name})
            elif len(value) > MAX_LENGTHS.get(name, MAX_SUMMARY):
                problems.append(
                    _("the field “%(field)s” is longer than %(max)s characters.")
                    % {"field": name, "max": MAX_LENGTHS.get(name, MAX_SUMMARY)}
                )
        if problems:
            return None, problems
        row = {name: record[name].strip() for name in REQUIRED}
        if row["language"] not in CODES:
            problems.append(
                _("unknown language “%(language)s” (en, fr or es).") % {"language": row["language"]}
            )
        country = self.countries.get(row["country"].upper())
        if country is None:
            problems.append(
                _("unknown country code “%(country)s” (ISO 3166-1 alpha-2).")
                % {"country": row["country"]}
            )
        row["country"] = country
        population = record.get("population")
        if population is not None and (
            not _is_int(population) or parse_int(population, minimum=0) is None
        ):
            problems.append(_("the population must be a whole number, 0 or more."))
        row["population"] = population
        sdgs = record.get("sdgs")
        if sdgs is not None:
            if not isinstance(sdgs, list) or not all(_is_int(n) and 1 <= n <= 17 for n in sdgs):
                problems.append(_("“sdgs” must be a list of numbers from 1 to 17."))
            elif any(n not in self.sdgs for n in sdgs):
                problems.append(_("an SDG is missing from the reference data."))
        row["sdgs"] = sdgs
        themes = record.get("themes")
        if themes is not None:
            if not isinstance(themes, list) or not all(isinstance(k, str) for k in themes):
                problems.append(_("“themes” must be a list of theme keys."))
            else:
                unknown_themes = [key for key in themes if key not in self.themes]
                if unknown_themes:
                    problems.append(
                        _("unknown themes: %(themes)s.") % {"themes": ", ".join(unknown_themes)}
                    )
        row["themes"] = themes
        first = self.refs.get(row["ref"])
        if first is not None:
            problems.append(
                _("the ref “%(ref)s” is already on line %(line)s.")
                % {"ref": row["ref"], "line": first}
            )
        else:
            self.refs[row["ref"]] = number
        return (None if problems else row), problems


def _match_cities(rows: list[dict]) -> tuple[dict, list[Organisation]]:
    """The organisation id for every (country, city name) of the rows; cities to create."""
    country_ids = {row["country"].pk for row in rows}
    known: dict[tuple[int, str], tuple[int, int]] = {}
    # Local governments win over other kinds of the same name.
    preference = {OrganisationKind.LOCAL_GOVERNMENT: 0, OrganisationKind.REGIONAL_GOVERNMENT: 1}
    for pk, country_id, kind, *names in Organisation.objects.filter(
        country_id__in=country_ids
    ).values_list("pk", "country_id", "kind", "name", "name_en", "name_fr", "name_es"):
        rank = preference.get(kind, 2)
        for name in names:
            if name:
                key = (country_id, normalise_for_search(name))
                if key not in known or known[key][0] > rank:
                    known[key] = (rank, pk)
    found = {key: pk for key, (_rank, pk) in known.items()}
    new: dict[tuple[int, str], Organisation] = {}
    for row in rows:
        key = (row["country"].pk, normalise_for_search(row["city"]))
        if key in found or key in new:
            continue
        city = Organisation(
            name=row["city"],
            name_en=row["city"],
            kind=OrganisationKind.LOCAL_GOVERNMENT,
            country=row["country"],
            population=row["population"],
            working_languages=[row["language"]],
            membership_status=MembershipStatus.NON_MEMBER,
        )
        # Region, size class, search and sort names, as the directory's services derive them.
        city.refresh_derived_fields()
        new[key] = city
    return found, list(new.values())


def _fill_populations(rows: list[dict], city_of, *, actor) -> None:
    """Existing cities without a population take the one given in the file, through the
    directory's service (their needs and partnership parties follow)."""
    given = {}
    for row in rows:
        if row["population"] is not None:
            given[city_of(row)] = row["population"]
    if not given:
        return
    missing = set()
    ids = list(given)
    for start in range(0, len(ids), BATCH):
        missing.update(
            Organisation.objects.filter(
                pk__in=ids[start : start + BATCH], population__isnull=True
            ).values_list("pk", flat=True)
        )
    network_services.set_populations(
        {pk: given[pk] for pk in missing}, actor=actor, source="import_experiences"
    )


def _set_taxonomy(through, column: str, pairs: list[tuple[int, int]], ids: list[int]) -> None:
    for start in range(0, len(ids), BATCH):
        through.objects.filter(experience_id__in=ids[start : start + BATCH]).delete()
    through.objects.bulk_create(
        [through(experience_id=owner, **{column: value}) for owner, value in pairs],
        batch_size=BATCH,
    )


def import_experiences(fileobj, *, actor=None, progress=None) -> ImportResult:
    """Create or update experiences from a JSON Lines file (binary), all or nothing."""
    result = ImportResult()
    result.errors = importing.run_import(
        importing.JsonLines(fileobj),
        _Checker().check,
        lambda rows: _write(rows, result, actor=actor, progress=progress),
        no_rows=_("the file has no experience lines."),
    )
    return result


def _write(rows: list[dict], result: ImportResult, *, actor, progress) -> None:
    """Write the checked rows: the cities the directory lacks, then the experiences, their
    themes and SDGs, and the matchmaking index, in bulk."""
    found, new_cities = _match_cities(rows)
    Organisation.objects.bulk_create(new_cities, batch_size=BATCH)
    if new_cities:
        forget_directory_results()  # written in bulk: no signal
    for city in new_cities:
        found[(city.country_id, normalise_for_search(city.name_en))] = city.pk
    result.cities_created = len(new_cities)

    def city_of(row):
        return found[(row["country"].pk, normalise_for_search(row["city"]))]

    _fill_populations(rows, city_of, actor=actor)
    refs = [row["ref"] for row in rows]
    existing: dict[str, Experience] = {}
    for start in range(0, len(refs), BATCH):
        for experience in Experience.objects.filter(external_ref__in=refs[start : start + BATCH]):
            existing[experience.external_ref] = experience
    now = timezone.now()
    creates, updates = [], []
    for row in rows:
        experience = existing.get(row["ref"])
        if experience is None:
            # Every translated column given: modeltranslation would otherwise look
            # up each one's default in each language, the slowest part of the import.
            experience = Experience(external_ref=row["ref"], published_at=now, **EMPTY_TEXTS)
            creates.append(experience)
        else:
            updates.append(experience)
        code = row["language"]
        experience.city_id = city_of(row)
        experience.original_language = code
        setattr(experience, f"title_{code}", row["title"])
        setattr(experience, f"summary_{code}", row["summary"])
        experience.status = Status.PUBLISHED
        experience.published_at = experience.published_at or now
        experience.updated_at = now
    Experience.objects.bulk_create(creates, batch_size=BATCH)
    _update_experiences(updates, now)
    result.created, result.updated = len(creates), len(updates)
    if progress:
        progress(_("%(count)s experiences written") % {"count": len(rows)})

    by_ref = {experience.external_ref: experience.pk for experience in creates + updates}
    sdg_ids = dict(SDG.objects.values_list("number", "pk"))
    theme_ids = dict(Theme.objects.values_list("key", "pk"))
    for name, through, column, lookup in (
        ("themes", Experience.themes.through, "theme_id", theme_ids),
        ("sdgs", Experience.sdgs.through, "sdg_id", sdg_ids),
    ):
        given = [row for row in rows if row[name] is not None]
        pairs = [
            (by_ref[row["ref"]], lookup[value])
            for row in given
            for value in dict.fromkeys(row[name])
        ]
        _set_taxonomy(through, column, pairs, [by_ref[row["ref"]] for row in given])
    pages.forget_all()  # experiences and their themes written in bulk: no signal

    index.index_experiences(list(by_ref.values()), concepts.lexicon())
    result.experience_ids = list(by_ref.values())
    if progress:
        progress(_("Matchmaking index updated"))
    # One entry for the whole file, as for the directory's CSV import.
    AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action="library.experience.imported",
        object_type=Experience._meta.label_lower,
        object_id="",
        object_repr=f"JSON Lines import: {result.created} created, {result.updated} updated",
        after={
            "created": result.created,
            "updated": result.updated,
            "cities_created": result.cities_created,
            "updated_ids": [experience.pk for experience in updates[:1000]],
        },
    )
    forget_experience_list()  # written in bulk: no signal
    _schedule_search_rebuild()


def _update_experiences(updates: list[Experience], now) -> None:
    """Write the imported columns of existing experiences, one statement per language.

    Plain UPDATEs run many times: Django's bulk_update builds a CASE per column and
    row, which takes minutes for a hundred thousand rows.
    """
    table = connection.ops.quote_name(Experience._meta.db_table)
    for code in CODES:
        rows = [
            (
                experience.city_id,
                code,
                getattr(experience, f"title_{code}"),
                getattr(experience, f"summary_{code}"),
                Status.PUBLISHED,
                experience.published_at,
                now,
                experience.pk,
            )
            for experience in updates
            if experience.original_language == code
        ]
        if rows:
            sql = (
                f"UPDATE {table} SET city_id = %s, original_language = %s, "  # noqa: S608
                f"title_{code} = %s, summary_{code} = %s, status = %s, published_at = %s, "
                "updated_at = %s WHERE id = %s"
            )
            with connection.cursor() as cursor:
                cursor.executemany(sql, rows)


def _schedule_search_rebuild() -> None:
    """The search re-indexes experiences in the background once the import commits."""
    try:
        from search.services import schedule_rebuild
    except ImportError:  # an installation without the search app
        return
    schedule_rebuild("experience")
