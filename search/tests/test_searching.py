import pytest
from django.db import connection

from library import services as library_services
from library.models import DocumentVisibility, Status, Theme
from library.tests.factories import make_city, make_experience
from network.tests.factories import make_country, make_region
from search import language
from search.searching import run_search
from search.services import index_object

pytestmark = pytest.mark.django_db


def indexed_experience(**kwargs):
    experience = make_experience(**kwargs)
    index_object("experience", experience.pk)
    return experience


def titles(results):
    return [hit.entry.titles[hit.entry.original_language] for hit in results.hits]


def test_a_french_query_finds_a_spanish_experience():
    experience = indexed_experience(
        city=make_city("Medellín"),
        language="es",
        title="Movilidad urbana y metrocable",
        summary="La ciudad conectó los barrios altos con el transporte público.",
    )
    indexed_experience(title="Waste collection in Durban")
    results = run_search(None, "mobilité urbaine", reader_language="fr")
    assert [hit.entry.object_id for hit in results.hits] == [experience.pk]
    assert results.total == 1


def test_an_english_query_finds_french_and_spanish_items_through_the_glossary():
    french = indexed_experience(language="fr", title="Le logement social à Rabat")
    spanish = indexed_experience(language="es", title="Vivienda social en Porto Alegre")
    results = run_search(None, "social housing")
    assert {hit.entry.object_id for hit in results.hits} == {french.pk, spanish.pk}


def test_each_language_is_stemmed_with_its_own_rules():
    assert language.stem("logements", "fr") == language.stem("logement", "fr")
    assert language.stem("barrios", "es") == language.stem("barrio", "es")
    assert language.stem("cities", "en") == language.stem("city", "en")
    # Without its language's rules a word is not reduced: English rules leave French alone.
    assert language.stem("mobilités", "fr") == language.stem("mobilité", "fr") == "mobil"
    assert language.stem("mobilité", "en") != "mobil"
    plural = indexed_experience(language="fr", title="Les marchés des quartiers")
    results = run_search(None, "marché quartier")
    assert [hit.entry.object_id for hit in results.hits] == [plural.pk]


def test_results_are_shown_and_highlighted_in_the_readers_language_when_translated():
    experience = make_experience(language="es", title="Presupuesto participativo")
    library_services.update_experience(
        experience, language="fr", texts={"title": "Budget participatif"}, actor=None
    )
    index_object("experience", experience.pk)
    hit = run_search(None, "budget participatif", reader_language="fr").hits[0]
    assert hit.language == "fr"
    assert "<mark>Budget</mark>" in hit.title
    assert hit.is_translation
    hit = run_search(None, "budget participatif", reader_language="en").hits[0]
    assert hit.language == "es"
    assert "<mark>Presupuesto</mark>" in hit.title


def test_drafts_and_experiences_in_review_never_appear(administrator, city_officer):
    draft = make_experience(status=Status.DRAFT, title="Secret draft about housing")
    in_review = make_experience(status=Status.IN_REVIEW, title="Housing under review")
    for experience in (draft, in_review):
        index_object("experience", experience.pk)
    for user in (None, administrator, city_officer):
        results = run_search(user, "housing")
        assert results.hits == []
        assert results.total == 0
        assert results.facets["type"] == []


def test_unpublishing_removes_an_experience_from_the_index():
    experience = indexed_experience(title="Flood resilience plan")
    assert run_search(None, "flood").total == 1
    library_services.return_experience(experience, note="", actor=None)
    index_object("experience", experience.pk)
    assert run_search(None, "flood").total == 0


def test_members_only_documents_are_hidden_from_the_public_in_results_and_facets(
    tmp_path, settings, outsider, city_officer, secretariat, administrator
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    document = library_services.create_document(
        kind="report",
        original_language="en",
        title="Internal report on land value capture",
        visibility=DocumentVisibility.MEMBERS,
        actor=None,
    )
    library_services.add_document_file(
        document,
        version_number=1,
        language="en",
        uploaded_file=SimpleUploadedFile("report.txt", b"Land value capture in three cities."),
        actor=None,
    )
    library_services.publish_document(document, actor=None)
    index_object("document", document.pk)
    for user in (None, outsider):
        results = run_search(user, "land value")
        assert results.total == 0 and results.facets["type"] == []
    for user in (city_officer, secretariat, administrator):
        assert run_search(user, "land value").total == 1


def test_facets_count_and_filter_results():
    europe = make_region(code="europe")
    bilbao = make_city("Bilbao", country=make_country(code="ES", region=europe), population=345_000)
    durban = make_city("Durban", population=3_900_000)
    mobility = Theme.objects.get(key="mobility")
    indexed_experience(city=bilbao, title="Cycling lanes", themes=[mobility])
    indexed_experience(city=durban, title="Cycling to school")
    results = run_search(None, "cycling")
    assert results.total == 2
    assert ("europe", 1) in results.facets["region"]
    assert ("mobility", 1) in results.facets["theme"]
    assert sorted(results.facets["size_class"]) == [("intermediary", 1), ("metropolis", 1)]
    filtered = run_search(None, "cycling", filters={"theme": "mobility"})
    assert filtered.total == 1
    assert "Bilbao" in filtered.hits[0].entry.titles["en"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        '"unbalanced',
        "housing*",
        "NEAR(housing water)",
        "((housing",
        "a" * 10_000,
        "AND OR NOT",
        "😀",
    ],
)
def test_odd_queries_give_a_sensible_answer(text):
    indexed_experience(title="Housing and water")
    results = run_search(None, text)
    assert results.total in (0, 1)


def test_an_empty_query_lists_everything_published_newest_first():
    first = indexed_experience(title="First")
    second = indexed_experience(title="Second")
    results = run_search(None, "")
    assert [hit.entry.object_id for hit in results.hits] == [second.pk, first.pk]


def test_facets_of_a_very_large_match_count_the_best_results_and_say_so(monkeypatch):
    from search import searching

    monkeypatch.setattr(searching, "FACET_SAMPLE", 3)
    for word in ("amber", "blue", "cold", "dim", "early"):
        indexed_experience(title=f"Street lighting {word}")
    first = run_search(None, "lighting", per_page=2)
    assert first.total == 5
    assert first.facets_partial
    assert first.facets["type"] == [("experience", 3)]
    # A page beyond the counted sample is still served, from the full ranking.
    last = run_search(None, "lighting", per_page=2, page=3)
    assert len(last.hits) == 1
    seen = {
        hit.entry.pk
        for p in (1, 2, 3)
        for hit in run_search(None, "lighting", per_page=2, page=p).hits
    }
    assert len(seen) == 5
    # Several words rank rather than filter: the one matching both comes first.
    both = run_search(None, "lighting amber")
    assert titles(both)[0].startswith("Street lighting amber")
    assert both.total == 5


def test_facets_without_a_query_follow_the_index_as_it_changes():
    experience = indexed_experience(title="Flood maps")
    assert run_search(None, "").facets["type"] == [("experience", 1)]
    second = indexed_experience(title="Heat maps")
    assert run_search(None, "").facets["type"] == [("experience", 2)]
    from search.services import remove_entry

    remove_entry("experience", experience.pk)
    remove_entry("experience", second.pk)
    assert run_search(None, "").facets["type"] == []


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the ranking pool is the SQLite backend's"
)
def test_on_sqlite_the_newest_matches_are_ranked_and_older_ones_follow_newest_first(
    monkeypatch,
):
    from search.backends import SQLiteBackend

    monkeypatch.setattr(SQLiteBackend, "RANK_POOL", 3)
    oldest = indexed_experience(title="Lighting lighting lighting")
    older = indexed_experience(title="Street lighting in the old town and the new districts")
    pooled = [
        indexed_experience(title="Lighting of a long avenue by the harbour and the station"),
        indexed_experience(title="Lighting"),
        indexed_experience(title="Lighting of parks near the river"),
    ]
    order = [
        hit.entry.object_id
        for page in (1, 2, 3)
        for hit in run_search(None, "lighting", per_page=2, page=page).hits
    ]
    # The newest three are ranked (the shortest title first); the others follow.
    assert order[:3] == [pooled[1].pk, pooled[2].pk, pooled[0].pk]
    assert order[3:] == [older.pk, oldest.pk]
    assert run_search(None, "lighting").total == 5


def test_the_year_facet_counts_the_years_an_experience_ran_not_when_it_was_entered():
    from library import services as library_services

    experience = make_experience(title="Participatory budgeting")
    library_services.update_experience(
        experience,
        language="en",
        texts={"title": "Participatory budgeting"},
        details={"start_year": 2013, "end_year": 2015},
        actor=None,
    )
    index_object("experience", experience.pk)
    years = dict(run_search(None, "budgeting").facets["year"])
    assert years == {"2013": 1, "2014": 1, "2015": 1}
    assert run_search(None, "budgeting", filters={"year": "2014"}).total == 1
