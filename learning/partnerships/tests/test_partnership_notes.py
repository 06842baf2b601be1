"""The end of a partnership: evaluations, the learning note published to the knowledge base
(searchable, as PDF in the reader's language) and roadmap items turned into actions."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from actions.tests.factories import make_workstream
from learning.models import Evaluation, LearningNote
from learning.partnerships import services
from learning.partnerships.tests.factories import World
from library.models import DocumentFile, DocumentKind
from search.searching import run_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def _note(world, partnership, **overrides):
    values = {
        "original_language": "en",
        "texts": {
            "title": "Planning with a metropolitan mentor",
            "context": "Otjiwarongo had no long-term plan.",
            "challenges": "Small planning units.",
            "reflections": "A mentor learns by explaining.",
            "lessons": "Start with a study visit; tie the plan to the budget.",
        },
        "translations": {
            "fr": {
                "title": "Planifier avec une métropole pour mentor",
                "context": "Otjiwarongo n'avait pas de plan à long terme.",
                "lessons": "Commencer par une visite d'étude ; lier le plan au budget.",
            }
        },
        "roadmap": ["Train the planning unit", "Publish a yearly monitoring report"],
        "actor": world.sofia,
    }
    values.update(overrides)
    return services.save_learning_note(partnership, **values)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_each_party_evaluates_a_finished_partnership_once(client, world):
    partnership = world.completed()
    client.force_login(world.lucia)
    url = reverse("learning:evaluation", args=[partnership.pk])
    data = {"organisation": world.learner.pk, "rating": 5, "what_worked": "The visit."}
    assert client.post(url, data).status_code == 302
    data["rating"] = 4
    assert client.post(url, data).status_code == 302
    assert Evaluation.objects.get().rating == 4


def test_an_evaluation_for_another_party_or_an_active_partnership_is_refused(client, world):
    active = world.active()
    client.force_login(world.lucia)
    assert client.get(reverse("learning:evaluation", args=[active.pk])).status_code == 403
    finished = world.completed(title="Finished")
    response = client.post(
        reverse("learning:evaluation", args=[finished.pk]),
        {"organisation": world.mentor.pk, "rating": 5, "what_worked": "Forged"},
    )
    assert response.status_code == 400
    assert Evaluation.objects.count() == 0
    with pytest.raises(ValidationError):
        services.save_evaluation(
            finished, organisation=world.learner, rating=9, what_worked="x", actor=world.lucia
        )


def test_the_note_is_written_once_the_partnership_has_ended(world):
    with pytest.raises(ValidationError):
        _note(world, world.active())
    assert LearningNote.objects.count() == 0


def test_publishing_the_note_puts_it_in_the_knowledge_base_where_search_finds_it(
    client, world, tasks_run_on_enqueue, django_capture_on_commit_callbacks
):
    partnership = world.completed()
    note = _note(world, partnership)
    client.force_login(world.sofia)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("learning:note_publish", args=[partnership.pk]))
    assert response.status_code == 302
    note.refresh_from_db()
    document = note.document
    assert (document.kind, document.status) == (DocumentKind.LEARNING_NOTE, "published")
    assert set(document.authors.all()) == {world.learner, world.mentor}
    files = {f.language: f for f in DocumentFile.objects.filter(version__document=document)}
    assert set(files) == {"en", "fr"}
    assert "tie the plan to the budget" in files["en"].extracted_text
    assert "lier le plan au budget" in files["fr"].extracted_text
    hits = run_search(None, "metropolitan mentor").hits
    assert [hit.entry.object_id for hit in hits] == [document.pk]


@pytest.mark.parametrize("persona", ["lucia", "pierre", "other_secretariat", "olga"])
def test_only_the_facilitating_secretariat_publishes_the_note(client, world, persona):
    partnership = world.completed()
    _note(world, partnership)
    client.force_login(getattr(world, persona))
    response = client.post(reverse("learning:note_publish", args=[partnership.pk]))
    assert response.status_code in (403, 404)
    assert LearningNote.objects.get().status == "draft"


def test_a_draft_note_is_hidden_from_outsiders_and_a_published_one_is_public(client, world):
    partnership = world.completed()
    _note(world, partnership)
    url = reverse("learning:note", args=[partnership.pk])
    assert client.get(url).status_code == 404
    client.force_login(world.lucia)
    assert client.get(url).status_code == 200
    services.publish_learning_note(LearningNote.objects.get(), actor=world.sofia)
    client.logout()
    assert client.get(url).status_code == 200


def test_the_pdf_is_rendered_in_the_readers_language(client, world):
    partnership = world.completed()
    note = _note(world, partnership)
    services.publish_learning_note(note, actor=world.sofia)
    response = client.get(
        reverse("learning:note_pdf", args=[partnership.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Note d'apprentissage" in text
    assert "Planifier avec une métropole pour mentor" in text
    assert "Enseignements" in text
    assert "lier le plan au budget" in text
    # Untranslated parts fall back to the note's own language.
    assert "A mentor learns by explaining." in text
    english = _pdf_text(
        client.get(reverse("learning:note_pdf", args=[partnership.pk]) + "?lang=en").content
    )
    assert "Lessons learned" in english and "Train the planning unit" in english


def test_a_roadmap_item_becomes_an_action_owned_by_the_parties(client, world):
    partnership = world.completed()
    note = _note(world, partnership)
    services.publish_learning_note(note, actor=world.sofia)
    workstream = make_workstream(commissions=[world.commission])
    item = note.roadmap.first()
    client.force_login(world.sofia)
    response = client.post(
        reverse("learning:roadmap_action", args=[partnership.pk, item.pk]),
        {"workstream": workstream.pk, "due_date": "2027-01-31"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    action = item.action
    assert action.title == "Train the planning unit"
    assert action.workstream == workstream
    assert set(action.owner_organisations.all()) == {world.learner, world.mentor}
    # Its description names the partnership without freezing the platform's address.
    assert partnership.title in action.description_fr
    assert "http" not in action.description_en + action.description_fr + action.description_es
    page = client.get(reverse("learning:note", args=[partnership.pk])).content.decode()
    assert reverse("actions:detail", args=[action.pk]) in page
    again = client.post(
        reverse("learning:roadmap_action", args=[partnership.pk, item.pk]),
        {"workstream": workstream.pk},
    )
    assert again.status_code == 302
    assert partnership.parties.count() == 2
    from actions.models import Action

    assert Action.objects.count() == 1


def test_a_party_cannot_turn_roadmap_items_into_actions(client, world):
    partnership = world.completed()
    note = _note(world, partnership)
    services.publish_learning_note(note, actor=world.sofia)
    workstream = make_workstream(commissions=[world.commission])
    client.force_login(world.lucia)
    response = client.post(
        reverse("learning:roadmap_action", args=[partnership.pk, note.roadmap.first().pk]),
        {"workstream": workstream.pk},
    )
    assert response.status_code == 403
    assert note.roadmap.filter(action__isnull=False).count() == 0


def test_the_note_form_saves_the_text_its_translations_and_roadmap(client, world):
    partnership = world.completed()
    client.force_login(world.mandla)
    response = client.post(
        reverse("learning:note_edit", args=[partnership.pk]),
        {
            "original_language": "en",
            "roadmap": "First action\nSecond action\n",
            "en-title": "What we learned",
            "en-context": "Context.",
            "es-title": "Lo que aprendimos",
        },
    )
    assert response.status_code == 302
    note = LearningNote.objects.get()
    assert (note.title_en, note.title_es) == ("What we learned", "Lo que aprendimos")
    assert [i.text for i in note.roadmap.all()] == ["First action", "Second action"]
    missing = client.post(
        reverse("learning:note_edit", args=[partnership.pk]),
        {"original_language": "en", "en-title": "No context"},
    )
    assert missing.status_code == 400


def test_the_pdf_prints_every_citys_name_as_it_is_written(client, world):
    partnership = world.completed()
    world.learner.name_en = "Łódź"
    world.learner.save()
    world.mentor.name_en = "Đà Nẵng"
    world.mentor.save()
    note = _note(world, partnership, roadmap=["Visit İstanbul’s planning office"])
    services.publish_learning_note(note, actor=world.sofia)
    text = _pdf_text(
        client.get(reverse("learning:note_pdf", args=[partnership.pk]) + "?lang=en").content
    )
    assert "Łódź" in text
    assert "Đà Nẵng" in text
    assert "Visit İstanbul’s planning office" in text
    assert "?" not in text
