"""Learning needs in the search: published needs only, found from any language."""

import pytest

from accounts.models import Role
from learning.models import NeedStatus, NeedVisibility
from learning.needs import services as services_needs
from library.tests.factories import make_city, make_user
from search.searching import run_search

pytestmark = pytest.mark.django_db


def found(user, text, **filters):
    results = run_search(user, text, filters=filters)
    return [(hit.entry.object_type, hit.entry.object_id) for hit in results.hits]


def make_need(city, **overrides):
    return services_needs.create_need(
        city=city,
        original_language="fr",
        texts={
            "title": "Réhabiliter les quartiers informels",
            "problem": "Les quartiers précaires manquent d'eau potable et d'assainissement.",
        },
        actor=None,
        **overrides,
    )


def test_a_city_officers_published_need_is_found_from_another_language(on_commit):
    need = on_commit(make_need, make_city("Dakar"))
    assert found(None, "informal settlements") == [("need", need.pk)]
    assert found(None, "dakar", type="need") == [("need", need.pk)]


def test_private_and_withdrawn_needs_are_never_in_the_search(on_commit):
    city = make_city()
    on_commit(make_need, city, visibility=NeedVisibility.PRIVATE)
    need = on_commit(make_need, city)
    admin = make_user(Role.NETWORK_ADMIN)
    assert found(admin, "quartiers") == [("need", need.pk)]
    on_commit(services_needs.change_need_status, need, status=NeedStatus.WITHDRAWN, actor=admin)
    assert found(admin, "quartiers") == []
    assert run_search(admin, "quartiers").facets["type"] == []


def test_a_need_translated_later_is_found_by_its_translation(on_commit):
    need = on_commit(make_need, make_city("Dakar"))
    on_commit(
        services_needs.translate_need,
        need,
        language="es",
        texts={"title": "Barrios precarios", "problem": "Faltan agua y saneamiento."},
        actor=None,
    )
    assert found(None, "saneamiento") == [("need", need.pk)]


def test_saving_a_need_with_its_themes_and_sdgs_indexes_it_once_after_commit(
    django_capture_on_commit_callbacks,
):
    from django_tasks_db.models import DBTaskResult

    from library.models import SDG, Theme

    theme = Theme.objects.create(key="housing", label_en="Housing")
    sdg = SDG.objects.get_or_create(number=11, defaults={"name_en": "Sustainable cities"})[0]
    city = make_city("Thiès")
    with django_capture_on_commit_callbacks(execute=True):
        need = services_needs.create_need(
            city=city,
            original_language="fr",
            texts={"title": "Logement abordable", "problem": "Les loyers montent trop vite."},
            actor=None,
            themes=[theme],
            sdgs=[sdg],
        )
    queued = [
        task.args_kwargs["args"]
        for task in DBTaskResult.objects.filter(task_path="search.tasks.reindex_object")
    ]
    assert queued == [["need", need.pk]]


def test_a_need_written_in_french_shows_its_status_in_the_readers_language(on_commit):
    need = on_commit(make_need, make_city("Dakar"))
    hit = run_search(None, "dakar", reader_language="es").hits[0]
    assert hit.entry.object_id == need.pk
    assert "Abierta" in hit.snippet
    assert "Dakar" in hit.snippet
    assert "eau potable" in hit.snippet
    assert hit.snippet_language == "es"
