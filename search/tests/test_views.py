import pytest
from django.urls import reverse

from library.tests.factories import make_city, make_experience
from search.services import index_object

pytestmark = pytest.mark.django_db


def test_the_search_page_shows_highlighted_results_and_facets(
    client, django_assert_max_num_queries
):
    for n in range(3):
        experience = make_experience(
            city=make_city(f"Town {n}"), language="es", title=f"Movilidad urbana {n}"
        )
        index_object("experience", experience.pk)
    # 13: the words' statements, and one reading which sentence embeddings are stored.
    with django_assert_max_num_queries(13):
        response = client.get(
            reverse("search:search"), {"q": "mobilité urbaine"}, HTTP_ACCEPT_LANGUAGE="fr"
        )
    assert response.status_code == 200
    assert "<mark>Movilidad</mark> <mark>urbana</mark> 2" in response.text
    assert "3 résultats" in response.text


@pytest.mark.parametrize(
    "params",
    [{"q": "x" * 10_000}, {"q": '"(NEAR*'}, {"page": "abc"}, {"per_page": "-5"}, {"sdg": "zzz"}],
)
def test_bad_input_never_breaks_the_page(client, params):
    assert client.get(reverse("search:search"), params).status_code == 200


def test_the_search_api_answers_anonymous_readers(client):
    experience = make_experience(language="fr", title="Logement social à Rabat")
    index_object("experience", experience.pk)
    data = client.get("/api/search/", {"q": "vivienda social"}).json()
    assert data["total"] == 1
    assert data["results"][0]["id"] == experience.pk
    assert data["results"][0]["original_language"] == "fr"


def test_publishing_indexes_the_experience_through_a_task_after_commit(
    django_capture_on_commit_callbacks, client, settings
):
    from library import services
    from library.models import Status

    # The immediate backend runs the enqueued task at once, in this process.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    experience = make_experience(status=Status.IN_REVIEW, title="Bus rapid transit corridors")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.publish_experience(experience, actor=None)
    assert client.get("/api/search/", {"q": "corridors"}).json()["total"] == 0
    for callback in callbacks:
        callback()
    assert client.get("/api/search/", {"q": "corridors"}).json()["total"] == 1


def test_the_search_page_reads_in_french_and_spanish_for_every_type(client):
    from meetings.tests.factories import make_meeting

    meeting = make_meeting(title="Rabat joint meeting")
    index_object("meeting", meeting.pk)
    french = client.get(reverse("search:search"), {"q": "rabat"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert ">Réunion</a>" in french.text
    assert "Meeting</a>" not in french.text
    spanish = client.get(reverse("search:search"), {"q": "rabat"}, HTTP_ACCEPT_LANGUAGE="es")
    assert ">Reunión</a>" in spanish.text


def test_a_translated_hit_names_its_original_language_in_the_readers_words(client):
    experience = make_experience(city=make_city("Tétouan"), language="en", title="Craft schools")
    experience.title_fr = "Les écoles d'artisanat"
    experience.save()
    index_object("experience", experience.pk)
    french = client.get(reverse("search:search"), {"q": "artisanat"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "traduit\u00a0; original en anglais" in french.text
