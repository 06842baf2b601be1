"""What visitors see of the search results, rendered once and kept.

A search costs the query's embedding, the ranking and the rendering. Visitors (not signed
in) all see the same public entries: the results of a query are rendered once per
normalised query, filters, page, page size and language, and kept
(entrevilles.fragments). Signed-in readers may see members-only entries: theirs are built
for them on each request.

What is kept is never served once the search index has changed:
- entries written: `services.write_entries` deletes an object's rows and inserts new ones
  in bulk, which sends no signal; entry ids only grow, so the highest id is part of the
  key, read on each request with the rest of the index's state (`index_state`);
- entries deleted: each deletion forgets the kept results (a receiver of post_delete,
  once per transaction and again at its commit, registered by `register()`);
- vectors written or deleted: `embedded.vectors_changed` moves `semantic.versions()`,
  part of the key, so results ranked while an entry's vector was still missing are not
  served once it is written;
- the glossary and the concepts a query may name: their version is part of the key;
- the facets' labels (themes, SDGs, regions): their rows' signals forget the results.
Results that say the meaning model could not be loaded are not kept at all.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, connections, transaction
from django.db.models.signals import post_delete

from entrevilles import fragments

RESULTS = "search:results"

# Results no change has touched are still built again after this long.
KEPT_SECONDS = 600

# The rows the facets' labels are read from (search.registry.register_facet_labels).
LABEL_MODELS = ("library.Theme", "library.SDG", "network.Region")


def normalised(text: str) -> str:
    """The query as searched: its words separated by single spaces."""
    return " ".join(text.split())


def index_state() -> str:
    """What identifies the state of the index, in one statement: the highest entry id,
    the changes of each type's vectors (as `semantic.versions()` reads them), and the
    version of the glossary and of the concepts a query may name (as `query.vocabulary()`
    reads it)."""
    from . import registry
    from .embedded import SEMANTIC_TYPES
    from .models import GlossaryTerm, SearchEntry, SemanticVectorChanges

    # Table names come from the models, the types are parameters.
    entries = SearchEntry._meta.db_table
    glossary = GlossaryTerm._meta.db_table
    changes = SemanticVectorChanges._meta.db_table
    columns = [
        f"(SELECT max(id) FROM {entries})",  # noqa: S608
        f"(SELECT count(*) FROM {glossary})",  # noqa: S608
        f"(SELECT max(updated_at) FROM {glossary})",  # noqa: S608
    ]
    for _type in SEMANTIC_TYPES:
        columns.append(f"(SELECT changes FROM {changes} WHERE object_type = %s)")  # noqa: S608
        columns.append(f"(SELECT epoch FROM {changes} WHERE object_type = %s)")  # noqa: S608
    for model, _concepts in registry.concept_sources():
        table = model._meta.db_table
        columns.append(f"(SELECT count(*) FROM {table})")  # noqa: S608
        columns.append(f"(SELECT max(id) FROM {table})")  # noqa: S608
    parameters = [object_type for object_type in SEMANTIC_TYPES for _column in (1, 2)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), parameters)  # noqa: S608
        state = cursor.fetchone()
    return "|".join(str(value) for value in state)


def for_visitors[T](
    request, build: Callable[[], T], keep: Callable[[T], bool], *parts: object
) -> T:
    """`build()` for a signed-in reader; for a visitor, the results kept for `parts` (the
    normalised query, filters, page) in the reader's language and the index's present
    state, or built now and kept when `keep(value)`."""
    if request.user.is_authenticated:
        return build()
    refused: list[T] = []

    def kept_or_none() -> T | None:
        value = build()
        if keep(value):
            return value
        # fragments keep what they are given; None reads as absent, so it is built again.
        refused.append(value)
        return None

    value = fragments.for_visitors(
        request, RESULTS, kept_or_none, index_state(), *parts, timeout=KEPT_SECONDS
    )
    return refused[0] if refused else value  # type: ignore[return-value]  # None only when refused


def _forget_results() -> None:
    fragments.forget(RESULTS)


def _entries_deleted(sender, using, **kwargs) -> None:
    """Forget the results when entries are deleted: once in the transaction (every
    deletion of a batch sends its own signal), and again when it commits, so that
    results built meanwhile from the rows not yet deleted elsewhere are not kept."""
    pending = connections[using].run_on_commit
    if any(callback is _forget_results for _savepoints, callback, _robust in pending):
        return
    _forget_results()
    transaction.on_commit(_forget_results, using=using)


def register() -> None:
    from django.apps import apps

    from .models import SearchEntry

    post_delete.connect(
        _entries_deleted, sender=SearchEntry, weak=False, dispatch_uid="search:results:deleted"
    )
    # The facets' labels are read from the rows of the apps that registered them; named
    # here, not imported, so that the engine depends on none of them.
    fragments.forget_when_changed(
        RESULTS,
        [apps.get_model(label) for label in LABEL_MODELS if apps.is_installed(label.split(".")[0])],
    )
