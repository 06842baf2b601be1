"""The concept tables of experiences and needs: an inverted index in the database.

Each published experience (and each need) is a vector of concept weights stored as
rows (concept, experience, weight); candidates for a need are found by reading only
the rows of the need's concepts, through the (concept, experience, weight) index.
Counts of how many experiences and needs name each concept give the idf.
"""

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import F

from learning.matching import concepts
from learning.models import ConceptFrequency, ExperienceConcept, LearningNeed, NeedConcept
from library.models import Experience, Status

LANGUAGES = concepts.LANGUAGES
CHUNK = 2_000
EXPERIENCE_FIELDS = {
    "title": 2.0,
    "summary": 1.0,
    "problem": 1.0,
    "approach": 0.5,
    "results": 0.5,
    "lessons": 0.5,
}
NEED_FIELDS = {"title": 2.0, "problem": 1.0, "context": 0.5}
TOTAL = ""  # the ConceptFrequency row counting the documents themselves


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _texts(row: dict, fields: dict[str, float]) -> list[tuple[str, str, float]]:
    return [
        (row[f"{name}_{code}"], code, weight)
        for name, weight in fields.items()
        for code in LANGUAGES
        if row.get(f"{name}_{code}")
    ]


def _taxonomies(through, owner: str, ids: list[int]) -> tuple[dict, dict]:
    themes: dict[int, list[str]] = {}
    sdgs: dict[int, list[int]] = {}
    for owner_id, key in (
        through["themes"]
        .objects.filter(**{f"{owner}_id__in": ids})
        .values_list(f"{owner}_id", "theme__key")
    ):
        themes.setdefault(owner_id, []).append(key)
    for owner_id, number in (
        through["sdgs"]
        .objects.filter(**{f"{owner}_id__in": ids})
        .values_list(f"{owner}_id", "sdg__number")
    ):
        sdgs.setdefault(owner_id, []).append(number)
    return themes, sdgs


def experience_counts(ids: list[int], lex) -> dict[int, dict[str, float]]:
    """Concept counts of those of these experiences that are published."""
    result = {}
    columns = [f"{name}_{code}" for name in EXPERIENCE_FIELDS for code in LANGUAGES]
    through = {"themes": Experience.themes.through, "sdgs": Experience.sdgs.through}
    for chunk in _chunks(ids):
        themes, sdgs = _taxonomies(through, "experience", chunk)
        rows = Experience.objects.filter(pk__in=chunk, status=Status.PUBLISHED).values(
            "pk", *columns
        )
        for row in rows:
            result[row["pk"]] = concepts.concept_counts(
                _texts(row, EXPERIENCE_FIELDS),
                lex,
                themes=themes.get(row["pk"], ()),
                sdgs=sdgs.get(row["pk"], ()),
            )
    return result


def need_counts(ids: list[int], lex) -> dict[int, dict[str, float]]:
    result = {}
    columns = [f"{name}_{code}" for name in NEED_FIELDS for code in LANGUAGES]
    through = {"themes": LearningNeed.themes.through, "sdgs": LearningNeed.sdgs.through}
    for chunk in _chunks(ids):
        themes, sdgs = _taxonomies(through, "learningneed", chunk)
        for row in LearningNeed.objects.filter(pk__in=chunk).values("pk", *columns):
            result[row["pk"]] = concepts.concept_counts(
                _texts(row, NEED_FIELDS),
                lex,
                themes=themes.get(row["pk"], ()),
                sdgs=sdgs.get(row["pk"], ()),
            )
    return result


def _adjust_frequencies(column: str, delta: Counter) -> None:
    delta = Counter({key: value for key, value in delta.items() if value})
    if not delta:
        return
    existing = set(
        ConceptFrequency.objects.filter(concept__in=list(delta)).values_list("concept", flat=True)
    )
    ConceptFrequency.objects.bulk_create(
        [ConceptFrequency(concept=key) for key in delta if key not in existing],
        ignore_conflicts=True,
    )
    by_value: dict[int, list[str]] = {}
    for key, value in delta.items():
        by_value.setdefault(value, []).append(key)
    for value, keys in by_value.items():
        ConceptFrequency.objects.filter(concept__in=keys).update(**{column: F(column) + value})


def frequencies(column: str, keys: Iterable[str]) -> tuple[dict[str, int], int]:
    """How many documents name each of these concepts, and how many there are."""
    rows = dict(
        ConceptFrequency.objects.filter(concept__in=[*keys, TOTAL]).values_list("concept", column)
    )
    total = rows.pop(TOTAL, 0)
    return rows, total


def _write(model, owner: str, column: str, counts: dict[int, dict[str, float]], ids) -> None:
    """Replace the postings of `ids` by the vectors of `counts` (ids missing: removed)."""
    old: Counter = Counter()
    removed_documents = 0
    for chunk in _chunks(list(ids)):
        seen = set()
        for owner_id, key in model.objects.filter(**{f"{owner}_id__in": chunk}).values_list(
            f"{owner}_id", "concept"
        ):
            old[key] -= 1
            seen.add(owner_id)
        removed_documents += len(seen)
        model.objects.filter(**{f"{owner}_id__in": chunk}).delete()
    new: Counter = Counter()
    for vector in counts.values():
        for key in vector:
            new[key] += 1
    # Counter's "+" drops negative counts: add the signed values by hand.
    delta = Counter(new)
    for key, value in old.items():
        delta[key] += value
    delta[TOTAL] += len([vector for vector in counts.values() if vector]) - removed_documents
    _adjust_frequencies(column, delta)
    keys = {key for vector in counts.values() for key in vector}
    known, total = frequencies(column, keys)
    # Plain INSERTs: building a model instance per posting would cost more than the rest
    # of the import (a million postings for 100,000 experiences).
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(owner).column)
    # Names from the model, values as parameters.
    sql = f"INSERT INTO {table} ({column}, concept, weight) VALUES (%s, %s, %s)"  # noqa: S608
    rows = []
    with connection.cursor() as cursor:
        for owner_id, vector in counts.items():
            for key, weight in concepts.weigh(vector, known, total).items():
                rows.append((owner_id, key, weight))
            if len(rows) >= 10_000:
                cursor.executemany(sql, rows)
                rows = []
        if rows:
            cursor.executemany(sql, rows)


@transaction.atomic
def index_experiences(ids: list[int], lex=None) -> int:
    """Bring the postings of these experiences up to date (unpublished ones: removed)."""
    lex = lex or concepts.lexicon()
    counts = {pk: vector for pk, vector in experience_counts(list(ids), lex).items() if vector}
    _write(ExperienceConcept, "experience", "experiences", counts, ids)
    return len(counts)


@transaction.atomic
def index_needs(ids: list[int], lex=None) -> int:
    """Bring the postings of these needs up to date."""
    lex = lex or concepts.lexicon()
    counts = {pk: vector for pk, vector in need_counts(list(ids), lex).items() if vector}
    _write(NeedConcept, "need", "needs", counts, ids)
    return len(counts)


def forget_experience_frequencies(ids: list[int]) -> None:
    """An experience is deleted (its postings go with it): uncount its concepts."""
    delta: Counter = Counter()
    seen = set()
    for owner_id, key in ExperienceConcept.objects.filter(experience_id__in=ids).values_list(
        "experience_id", "concept"
    ):
        delta[key] -= 1
        seen.add(owner_id)
    delta[TOTAL] -= len(seen)
    _adjust_frequencies("experiences", delta)


@transaction.atomic
def rebuild(progress=None) -> tuple[int, int]:
    """Index every published experience and every need from scratch."""
    ExperienceConcept.objects.all().delete()
    NeedConcept.objects.all().delete()
    ConceptFrequency.objects.all().delete()
    lex = concepts.lexicon()
    experience_ids = list(
        Experience.objects.filter(status=Status.PUBLISHED).values_list("pk", flat=True)
    )
    need_ids = list(LearningNeed.objects.values_list("pk", flat=True))
    experiences = index_experiences(experience_ids, lex)
    needs = index_needs(need_ids, lex)
    if progress:
        progress(experiences, needs)
    return experiences, needs
