"""Actions in the search: found by their texts and workstream, with their status."""

import pytest

from actions import services as action_services
from actions.tests.factories import make_action, make_workstream
from library.tests.factories import make_commission
from search.searching import run_search

pytestmark = pytest.mark.django_db


def found(text, **filters):
    results = run_search(None, text, filters=filters)
    return [(hit.entry.object_type, hit.entry.object_id) for hit in results.hits]


def test_an_action_is_found_by_its_description_and_its_workstream_and_shows_its_status(
    on_commit,
):
    workstream = on_commit(
        make_workstream, commissions=[make_commission()], title="Intermediary cities"
    )
    action = on_commit(
        make_action,
        workstream=workstream,
        title="Collect case studies",
        descriptions={"es": "Reunir estudios de caso sobre vivienda asequible."},
    )
    assert found("case studies", type="action") == [("action", action.pk)]
    assert found("intermediary cities", type="action") == [("action", action.pk)]
    # Through the glossary: "affordable housing" finds the Spanish description.
    assert found("affordable housing") == [("action", action.pk)]
    on_commit(action_services.update_action, action, changes={"status": "done"}, actor=None)
    hit = run_search(None, "case studies", reader_language="en").hits[0]
    assert "Done" in hit.snippet


def test_an_action_written_in_english_shows_its_status_in_the_readers_language(on_commit):
    workstream = on_commit(
        make_workstream, commissions=[make_commission()], title="Intermediary cities"
    )
    action = on_commit(
        make_action,
        workstream=workstream,
        title="Collect case studies",
        descriptions={"en": "Gather case studies on affordable housing."},
    )
    on_commit(action_services.update_action, action, changes={"status": "done"}, actor=None)
    hit = run_search(None, "case studies", reader_language="fr").hits[0]
    assert "Terminée" in hit.snippet
    assert "Done" not in hit.snippet
    assert "affordable housing" in hit.snippet
    assert hit.snippet_language == "fr"


def test_an_update_posted_on_an_action_shows_its_new_status_in_the_search(on_commit):
    workstream = on_commit(
        make_workstream, commissions=[make_commission()], title="Intermediary cities"
    )
    action = on_commit(make_action, workstream=workstream, title="Collect case studies")
    on_commit(action_services.post_update, action, text="All collected.", status="done", actor=None)
    hit = run_search(None, "case studies", reader_language="en").hits[0]
    assert "Done" in hit.snippet
