"""The engine knows no app: a type's entries come from the builder its app registered."""

import pytest

from search import registry, services
from search.searching import run_search

pytestmark = pytest.mark.django_db

NOTES = {1: "Rainwater harvesting on school roofs", 2: "Cool roofs for social housing"}


def note_entries(object_ids):
    return [
        services.EntryData(
            "note",
            object_id,
            original_language="en",
            titles={"en": NOTES[object_id]},
            summaries={"en": "A field note."},
            bodies={"en": NOTES[object_id]},
            url=f"/notes/{object_id}/",
            facets=[("type", "note")],
        )
        for object_id in object_ids
        if object_id in NOTES
    ]


@pytest.fixture
def notes_registered(monkeypatch):
    monkeypatch.setattr(registry, "_batch_builders", dict(registry._batch_builders))
    monkeypatch.setattr(registry, "_all_ids", dict(registry._all_ids))
    registry.register("note", entries=note_entries, all_ids=lambda: list(NOTES))


def test_a_registered_type_is_found_as_its_app_built_it_and_leaves_when_it_is_gone(
    notes_registered, on_commit
):
    on_commit(services.schedule_reindex, "note", 1)
    hit = run_search(None, "rainwater").hits[0]
    assert (hit.entry.object_type, hit.entry.object_id) == ("note", 1)
    assert hit.entry.url == "/notes/1/"
    del NOTES[1]
    try:
        on_commit(services.schedule_reindex, "note", 1)
        assert run_search(None, "rainwater").total == 0
    finally:
        NOTES[1] = "Rainwater harvesting on school roofs"
