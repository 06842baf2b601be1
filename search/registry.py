"""Which function indexes which type of object; apps register theirs in ready()."""

from collections.abc import Callable, Iterable

_indexers: dict[str, Callable[[int], None]] = {}
_all_ids: dict[str, Callable[[], Iterable[int]]] = {}
_batch_builders: dict[str, Callable[[list[int]], list]] = {}


def register(
    object_type: str,
    indexer: Callable[[int], None],
    all_ids: Callable[[], Iterable[int]],
    batch: Callable[[list[int]], list] | None = None,
) -> None:
    """`indexer(object_id)` writes or removes the entry; `all_ids()` lists what to index;
    `batch(ids)` builds the `EntryData` of those ids that should be in the search
    (the others are removed), for indexing many objects at once."""
    _indexers[object_type] = indexer
    _all_ids[object_type] = all_ids
    if batch is not None:
        _batch_builders[object_type] = batch


def batch_builder_for(object_type: str):
    return _batch_builders.get(object_type)


def indexer_for(object_type: str) -> Callable[[int], None]:
    return _indexers[object_type]


def all_ids(object_type: str):
    return _all_ids[object_type]()


def object_types() -> list[str]:
    return list(_indexers)
