"""Writing the search index and the glossary.

Index entries are derived data, rebuilt from the objects at any time, so writing
them is not audited; glossary changes are, since the secretariat makes them.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import TYPE_CHECKING

from django.db import transaction

from audit.services import record, snapshot

from . import backends, embedded, registry
from .models import EntryVisibility, GlossaryTerm, SearchEntry, SearchFacet

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from accounts.models import User


@dataclasses.dataclass
class EntryData:
    """Everything the search keeps of one object, built by its type's indexer."""

    object_type: str
    object_id: int
    original_language: str
    titles: dict[str, str]
    summaries: dict[str, str]
    bodies: dict[str, str]
    url: str
    facets: list[tuple[str, str]]
    visibility: str = EntryVisibility.PUBLIC
    date: datetime.date | None = None
    # What its meaning is read from (`search.semantic`): by default the title and
    # summary in the original language; `quotable` the text whose sentences may be quoted.
    semantic_text: str = ""
    quotable_text: str = ""

    def semantic_texts(self) -> tuple[str, str]:
        code = self.original_language
        text = self.semantic_text or "\n".join(
            part for part in (self.titles.get(code, ""), self.summaries.get(code, "")) if part
        )
        return text, self.quotable_text or text


def write_entry(
    object_type: str,
    object_id: int,
    *,
    original_language: str,
    titles: dict[str, str],
    summaries: dict[str, str],
    bodies: dict[str, str],
    url: str,
    facets: list[tuple[str, str]],
    visibility: str = EntryVisibility.PUBLIC,
    date: datetime.date | None = None,
) -> SearchEntry:
    """Create or replace the entry of one object: display text, facets and full text."""
    data = EntryData(
        object_type,
        object_id,
        original_language,
        titles,
        summaries,
        bodies,
        url,
        facets,
        visibility,
        date,
    )
    write_entries([data])
    return SearchEntry.objects.get(object_type=object_type, object_id=object_id)


@transaction.atomic
def write_entries(entries: list[EntryData]) -> int:
    """Create or replace the entries of many objects at once (a few statements per batch).

    The old rows of these objects are deleted and new ones inserted: entry ids are
    internal to the search, nothing else refers to them.
    """
    if not entries:
        return 0
    backend = backends.current()
    by_type: dict[str, list[int]] = {}
    for data in entries:
        by_type.setdefault(data.object_type, []).append(data.object_id)
    for object_type, object_ids in by_type.items():
        old = SearchEntry.objects.filter(object_type=object_type, object_id__in=object_ids)
        backend.delete_many(list(old.values_list("id", flat=True)))
        old.delete()
    # Each entry's facets, once each, as they are stored (values cut to the column).
    facets = [
        list(
            dict.fromkeys((name, str(value)[:60].replace("\n", " ")) for name, value in data.facets)
        )
        for data in entries
    ]
    rows = []
    for data, entry_facets in zip(entries, facets, strict=True):
        rows.append(
            SearchEntry(
                object_type=data.object_type,
                object_id=data.object_id,
                original_language=data.original_language,
                titles={code: text for code, text in data.titles.items() if text},
                summaries={code: text[:600] for code, text in data.summaries.items() if text},
                url=data.url,
                visibility=data.visibility,
                date=data.date,
                facet_keys="\n".join(f"{name}={value}" for name, value in entry_facets),
            )
        )
    created = SearchEntry.objects.bulk_create(rows)
    SearchFacet.objects.bulk_create(
        [
            SearchFacet(entry_id=row.pk, name=name, value=value)
            for row, entry_facets in zip(created, facets, strict=True)
            for name, value in entry_facets
        ],
        batch_size=2_000,
    )
    backend.write_many(
        [
            (
                row.pk,
                row.titles,
                {code: text for code, text in data.bodies.items() if text},
                backends.entry_keys(
                    row.visibility, row.facet_keys.split("\n") if row.facet_keys else []
                ),
            )
            for row, data in zip(created, entries, strict=True)
        ]
    )
    for object_type, object_ids in by_type.items():
        schedule_embedding(object_type, object_ids)
    return len(created)


@transaction.atomic
def remove_entry(object_type: str, object_id: int) -> None:
    """Take an object out of the search (unpublished, deleted)."""
    remove_entries(object_type, [object_id])


@transaction.atomic
def remove_entries(object_type: str, object_ids: Iterable[int]) -> None:
    object_ids = list(object_ids)
    old = SearchEntry.objects.filter(object_type=object_type, object_id__in=object_ids)
    backends.current().delete_many(list(old.values_list("id", flat=True)))
    old.delete()
    embedded.forget(object_type, object_ids)


def index_object(object_type: str, object_id: int) -> None:
    """Bring one object's entry up to date (written, replaced or removed)."""
    registry.indexer_for(object_type)(object_id)


def index_objects(object_type: str, object_ids: list[int]) -> int:
    """Bring many objects' entries up to date in one batch; returns how many were written."""
    builder = registry.batch_builder_for(object_type)
    if builder is None:
        for object_id in object_ids:
            index_object(object_type, object_id)
        return len(object_ids)
    with transaction.atomic():
        entries = builder(object_ids)
        written = {data.object_id for data in entries}
        remove_entries(object_type, [i for i in object_ids if i not in written])
        return write_entries(entries)


def schedule_reindex(object_type: str, object_id: int) -> None:
    """Re-index an object in the background once the current transaction commits, once
    however many times it is asked in that transaction (a need saved with its themes
    and SDGs asks three times): of the callbacks for one object, the last one enqueues."""
    from django.db import connection

    from .tasks import reindex_object

    key = (object_type, object_id)
    batch = connection.run_on_commit  # the transaction's callbacks, run in order

    def enqueue() -> None:
        position = next((n for n, entry in enumerate(batch) if entry[1] is enqueue), -1)
        if any(getattr(entry[1], "reindexes", None) == key for entry in batch[position + 1 :]):
            return  # a later callback of this transaction re-indexes it
        reindex_object.enqueue(object_type, object_id)

    enqueue.reindexes = key  # type: ignore[attr-defined]  # a mark the later callbacks read
    transaction.on_commit(enqueue)


def schedule_embedding(object_type: str, object_ids: list[int]) -> None:
    """Embed these objects in the background once the current transaction commits (only
    the types the semantic layer knows)."""
    if object_type not in embedded.SEMANTIC_TYPES or not object_ids:
        return
    from .tasks import embed_objects

    ids = list(object_ids)
    transaction.on_commit(lambda: embed_objects.enqueue(object_type, ids))


def schedule_rebuild(object_type: str) -> None:
    """Re-index every object of a type in the background once the transaction commits.

    For bulk writes (a CSV import of thousands of rows) where one task per object
    would flood the queue.
    """
    from .tasks import rebuild_index

    transaction.on_commit(lambda: rebuild_index.enqueue(object_type))


def schedule_dependents(kind: str, object_id: int) -> None:
    """Re-index, in the background once the transaction commits, the entries that show
    a commission's or an organisation's name (its meetings, a city's experiences...)."""
    from .tasks import reindex_dependents

    transaction.on_commit(lambda: reindex_dependents.enqueue(kind, object_id))


def schedule_removal(object_type: str, object_id: int) -> None:
    """Before an object is deleted: its entry, and those of the objects that show it
    (deleted with it or not), are brought up to date once the transaction commits.

    The dependents are listed now, while the rows that point to the object still exist.
    """
    from .tasks import reindex_object, reindex_objects

    found = dependents(object_type, object_id)

    def enqueue() -> None:
        reindex_object.enqueue(object_type, object_id)
        for dependent_type, object_ids in found.items():
            for start in range(0, len(object_ids), BATCH_SIZE):
                reindex_objects.enqueue(dependent_type, object_ids[start : start + BATCH_SIZE])

    transaction.on_commit(enqueue)


def dependents(kind: str, object_id: int) -> dict[str, list[int]]:
    """{object type: ids} of the objects whose entries show this commission or
    organisation (or any kind an app registered dependents for)."""
    return {
        object_type: sorted(ids_showing(object_id))
        for object_type, ids_showing in registry.dependents_of(kind).items()
    }


def reindex_dependents(kind: str, object_id: int, *, batch_size: int = 1_000) -> int:
    """Bring up to date, in batches, the entries showing this commission or organisation."""
    count = 0
    for object_type, object_ids in dependents(kind, object_id).items():
        for start in range(0, len(object_ids), batch_size):
            count += index_objects(object_type, sorted(object_ids)[start : start + batch_size])
    return count


BATCH_SIZE = 1_000


def rebuild(
    object_type: str,
    *,
    progress: Callable[[int], object] | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Re-index every object of a type in batches; returns how many were looked at."""
    all_ids = sorted(registry.all_ids(object_type))
    count = 0
    for start in range(0, len(all_ids), batch_size):
        chunk = all_ids[start : start + batch_size]
        index_objects(object_type, chunk)
        count += len(chunk)
        if progress is not None:
            progress(count)
    current = set(all_ids)
    stale = [
        object_id
        for object_id in SearchEntry.objects.filter(object_type=object_type).values_list(
            "object_id", flat=True
        )
        if object_id not in current
    ]
    for start in range(0, len(stale), batch_size):
        remove_entries(object_type, stale[start : start + batch_size])
    return count


@transaction.atomic
def save_glossary_term(
    *,
    key: str,
    terms_en: str,
    terms_fr: str,
    terms_es: str,
    actor: User | None,
    term: GlossaryTerm | None = None,
) -> GlossaryTerm:
    """Create a glossary concept, or change the words of an existing one."""
    # The back office hands over the edited object: read what it was from the database.
    before = snapshot(GlossaryTerm.objects.get(pk=term.pk)) if term and term.pk else None
    if term is None:
        term = GlossaryTerm(key=key)
    term.key = key
    term.terms_en, term.terms_fr, term.terms_es = terms_en, terms_fr, terms_es
    term.full_clean()
    term.save()
    record(
        "search.glossaryterm.created" if before is None else "search.glossaryterm.changed",
        term,
        actor=actor,
        before=before,
        after=snapshot(term),
    )
    return term


@transaction.atomic
def delete_glossary_term(term: GlossaryTerm, *, actor: User | None) -> None:
    record("search.glossaryterm.deleted", term, actor=actor, before=snapshot(term))
    term.delete()
