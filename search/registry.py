"""Which function indexes which type of object; apps register theirs in ready()."""

from collections.abc import Callable, Iterable

_indexers: dict[str, Callable[[int], None]] = {}
_all_ids: dict[str, Callable[[], Iterable[int]]] = {}


def register(
    object_type: str, indexer: Callable[[int], None], all_ids: Callable[[], Iterable[int]]
) -> None:
    """`indexer(object_id)` writes or removes the entry; `all_ids()` lists what to index."""
    _indexers[object_type] = indexer
    _all_ids[object_type] = all_ids


def indexer_for(object_type: str) -> Callable[[int], None]:
    return _indexers[object_type]


def all_ids(object_type: str):
    return _all_ids[object_type]()


def object_types() -> list[str]:
    return list(_indexers)
