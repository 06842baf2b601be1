"""What each app gives the search engine; the apps register in their AppConfig.ready().

The engine knows no app: an app registers the entries of its objects (`register`), the
entries of other types that show one of its objects (`register_dependents`), the
labels of the facet values it introduces (`register_facet_labels`) and the concepts a
query may name besides the glossary's (`register_concepts`).
"""

from collections.abc import Callable, Iterable

_batch_builders: dict[str, Callable[[list[int]], list]] = {}
_all_ids: dict[str, Callable[[], Iterable[int]]] = {}
_dependents: dict[str, dict[str, Callable[[int], Iterable[int]]]] = {}
_facet_labels: dict[str, Callable[[list[str]], dict[str, str]]] = {}
_write_one: Callable[[str, int, Callable], None]
_concept_sources: list[tuple[type, Callable[[], Iterable[tuple[str, dict[str, list[str]]]]]]] = []


def register(
    object_type: str,
    *,
    entries: Callable[[list[int]], list],
    all_ids: Callable[[], Iterable[int]],
) -> None:
    """`entries(ids)` builds the `EntryData` of those ids that should be in the search
    (the others are removed); `all_ids()` lists what a rebuild indexes."""
    _batch_builders[object_type] = entries
    _all_ids[object_type] = all_ids


def register_dependents(
    kind: str, object_type: str, ids_showing: Callable[[int], Iterable[int]]
) -> None:
    """The entries of `object_type` show a `kind` (e.g. an organisation's name):
    `ids_showing(kind_id)` lists those that show that one, to re-index when it changes."""
    _dependents.setdefault(kind, {})[object_type] = ids_showing


def register_facet_labels(name: str, labels: Callable[[list[str]], dict[str, str]]) -> None:
    """`labels(values)` gives the readable label of each value of the facet `name`."""
    _facet_labels[name] = labels


def register_concepts(
    model: type, concepts: Callable[[], Iterable[tuple[str, dict[str, list[str]]]]]
) -> None:
    """`concepts()` yields (key, {language: [words]}) for each row of `model`; a word of
    a query that names one of them also finds its words in the other languages. The
    vocabulary is read again when the model's row count or highest id changes."""
    if all(source[0] is not model for source in _concept_sources):
        _concept_sources.append((model, concepts))


def batch_builder_for(object_type: str):
    return _batch_builders.get(object_type)


def use_writer(write_one: Callable[[str, int, Callable], None]) -> None:
    """The engine gives the registry its writer of one entry when it starts
    (`SearchConfig.ready`): the registry imports no module of the engine, so that any
    of them may read it without an import cycle."""
    global _write_one
    _write_one = write_one


def indexer_for(object_type: str) -> Callable[[int], None]:
    """The function that writes or removes one object's entry."""
    builder = _batch_builders[object_type]
    return lambda object_id: _write_one(object_type, object_id, builder)


def all_ids(object_type: str):
    return _all_ids[object_type]()


def object_types() -> list[str]:
    return list(_batch_builders)


def dependents_of(kind: str) -> dict[str, Callable[[int], Iterable[int]]]:
    return _dependents.get(kind, {})


def facet_labels_for(name: str) -> Callable[[list[str]], dict[str, str]] | None:
    return _facet_labels.get(name)


def concept_sources() -> list:
    return list(_concept_sources)
