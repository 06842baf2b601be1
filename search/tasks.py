"""Indexing in the background: tasks take ids and may run any number of times."""

from django.tasks import task

from . import services


@task()
def reindex_object(object_type: str, object_id: int) -> None:
    services.index_object(object_type, object_id)


@task()
def rebuild_index(object_type: str) -> int:
    return services.rebuild(object_type)


@task()
def reindex_dependents(kind: str, object_id: int) -> int:
    return services.reindex_dependents(kind, object_id)


@task()
def embed_objects(object_type: str, object_ids: list[int]) -> int:
    """Embed what changed among these objects (the semantic layer). Without a model
    nothing is embedded: the search works by words and /healthz says why."""
    from . import embedded, embedding

    try:
        return embedded.embed_objects(object_type, object_ids)
    except embedding.ModelUnavailable:
        return 0


@task()
def reindex_objects(object_type: str, object_ids: list[int]) -> int:
    return services.index_objects(object_type, object_ids)
