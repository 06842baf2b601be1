"""Writing the search index and the glossary.

Index entries are derived data, rebuilt from the objects at any time, so writing
them is not audited; glossary changes are, since the secretariat makes them.
"""

import datetime

from django.db import transaction

from audit.services import record, snapshot

from . import backends, registry
from .models import EntryVisibility, GlossaryTerm, SearchEntry, SearchFacet


@transaction.atomic
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
    titles = {code: text for code, text in titles.items() if text}
    entry, _created = SearchEntry.objects.update_or_create(
        object_type=object_type,
        object_id=object_id,
        defaults={
            "original_language": original_language,
            "titles": titles,
            "summaries": {code: text[:600] for code, text in summaries.items() if text},
            "url": url,
            "visibility": visibility,
            "date": date,
        },
    )
    SearchFacet.objects.filter(entry=entry).delete()
    SearchFacet.objects.bulk_create(
        [
            SearchFacet(entry=entry, name=name, value=str(value)[:60])
            for name, value in dict.fromkeys(facets)
        ]
    )
    backends.current().write(entry.pk, titles, {c: t for c, t in bodies.items() if t})
    return entry


@transaction.atomic
def remove_entry(object_type: str, object_id: int) -> None:
    """Take an object out of the search (unpublished, deleted)."""
    for entry_id in SearchEntry.objects.filter(
        object_type=object_type, object_id=object_id
    ).values_list("id", flat=True):
        backends.current().delete(entry_id)
    SearchEntry.objects.filter(object_type=object_type, object_id=object_id).delete()


def index_object(object_type: str, object_id: int) -> None:
    """Bring one object's entry up to date (written, replaced or removed)."""
    registry.indexer_for(object_type)(object_id)


def schedule_reindex(object_type: str, object_id: int) -> None:
    """Re-index an object in the background once the current transaction commits."""
    from .tasks import reindex_object

    transaction.on_commit(lambda: reindex_object.enqueue(object_type, object_id))


def rebuild(object_type: str, *, progress=None) -> int:
    """Re-index every object of a type; returns how many were looked at."""
    count = 0
    for object_id in registry.all_ids(object_type):
        index_object(object_type, object_id)
        count += 1
        if progress is not None and count % 500 == 0:
            progress(count)
    stale = SearchEntry.objects.filter(object_type=object_type).exclude(
        object_id__in=registry.all_ids(object_type)
    )
    for object_id in stale.values_list("object_id", flat=True):
        remove_entry(object_type, object_id)
    return count


@transaction.atomic
def save_glossary_term(
    *,
    key: str,
    terms_en: str,
    terms_fr: str,
    terms_es: str,
    actor,
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
def delete_glossary_term(term: GlossaryTerm, *, actor) -> None:
    record("search.glossaryterm.deleted", term, actor=actor, before=snapshot(term))
    term.delete()
