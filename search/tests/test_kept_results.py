"""The search results kept for visitors: a change of the index shows at the next request,
a visitor never gets a signed-in reader's results, and the queries stay the same for few
and many entries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from library import services as library_services
from library.models import Status
from library.tests.factories import make_city, make_experience
from meetings.tests.factories import make_meeting
from search import embedded, embedding, searching
from search.services import index_object

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings):
    """Enqueued tasks run at once, in this process (the indexing after a commit)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def search(client, q="water", **params):
    return client.get(reverse("search:search"), {"q": q, **params})


def queries(client, q="water", **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert search(client, q, **params).status_code == 200
    return len(captured)


def test_a_newly_published_experience_is_found_by_the_same_query_at_the_next_request(client):
    index_object("experience", make_experience(title="Water kiosks in informal settlements").pk)
    assert "1 result" in search(client).text
    assert "1 result" in search(client).text  # kept

    # What the indexing task does once the publication commits (no vector yet).
    index_object("experience", make_experience(title="Water harvesting in schools").pk)

    page = search(client)
    assert "2 results" in page.text
    assert "harvesting in schools" in page.text


def test_an_experience_taken_out_of_the_search_is_gone_at_the_next_request(client):
    experience = make_experience(status=Status.IN_REVIEW, title="Water tariffs for the poor")
    library_services.publish_experience(experience, actor=None)
    index_object("experience", experience.pk)
    assert "tariffs for the poor" in search(client).text

    library_services.return_experience(experience, note="Sources?", actor=None)
    index_object("experience", experience.pk)

    assert "tariffs for the poor" not in search(client).text


def test_through_the_background_worker_a_publication_shows_at_the_next_request(
    client, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        experience = make_experience(status=Status.IN_REVIEW, title="Water tariffs for the poor")
    assert "tariffs for the poor" not in search(client).text

    with django_capture_on_commit_callbacks(execute=True):
        library_services.publish_experience(experience, actor=None)
    assert "tariffs for the poor" in search(client).text

    with django_capture_on_commit_callbacks(execute=True):
        library_services.return_experience(experience, note="Sources?", actor=None)
    assert "tariffs for the poor" not in search(client).text


def test_a_visitor_never_gets_the_members_only_results_a_member_saw(client, city_officer):
    public = make_meeting(title="Water forum")
    closed = make_meeting(title="Water board closed session", visibility="members")
    for meeting in (public, closed):
        index_object("meeting", meeting.pk)

    client.force_login(city_officer)
    assert "closed session" in search(client).text
    client.logout()
    visitor = search(client)
    assert "forum" in visitor.text
    assert "closed session" not in visitor.text
    assert "closed session" not in search(client).text
    client.force_login(city_officer)
    assert "closed session" in search(client).text


def test_results_are_kept_per_language_filters_and_page(client):
    for n in range(3):
        experience = make_experience(
            city=make_city(f"Town {n}"), language="fr", title=f"Eau potable {n}"
        )
        index_object("experience", experience.pk)
    assert "3 results" in search(client, "eau").text
    assert (
        "3 résultats"
        in client.get(reverse("search:search"), {"q": "eau"}, HTTP_ACCEPT_LANGUAGE="fr").text
    )
    assert "Page 2 of 3" in search(client, "eau", per_page=1, page=2).text
    assert "Page 3 of 3" in search(client, "eau", per_page=1, page=3).text
    assert "0 results" in search(client, "eau", type="meeting").text
    # The same query typed with other spaces is the same search.
    assert "3 results" in search(client, "  eau ").text


def test_results_that_say_the_meaning_model_is_unavailable_are_not_kept(client, monkeypatch):
    experience = make_experience(title="Water reuse")
    index_object("experience", experience.pk)

    def unavailable(*args, **kwargs):
        raise embedding.ModelUnavailable("not loaded")

    monkeypatch.setattr(searching, "_semantic_rows", unavailable)
    assert "Searching by words only" in search(client).text
    monkeypatch.undo()

    page = search(client)
    assert "reuse" in page.text
    assert "Searching by words only" not in page.text


def test_vectors_written_make_the_next_request_rank_again(client):
    experience = make_experience(title="Water reuse")
    index_object("experience", experience.pk)
    built = queries(client)
    kept = queries(client)
    assert kept < built

    embedded.vectors_changed("experience")

    assert queries(client) > kept
    assert queries(client) == kept


def test_the_queries_are_bounded_and_the_same_for_few_and_many_entries(client, city_officer):
    def costs():
        return queries(client), queries(client)  # built, then kept

    experience = make_experience(title="Water reuse")
    index_object("experience", experience.pk)
    few = costs()
    for n in range(30):
        experience = make_experience(city=make_city(f"Town {n}"), title=f"Water supply {n}")
        index_object("experience", experience.pk)
    many = costs()
    assert few == many
    built, kept = many
    # The index's state (two), the glossary's version, the facets' labels.
    assert kept <= 5
    assert built <= 14


def test_a_renamed_region_shows_in_the_facets_at_the_next_request(client):
    from network import services as network_services

    experience = make_experience(title="Water reuse")
    index_object("experience", experience.pk)
    region = experience.city.region
    assert f">{region.name}</a>" in search(client).text

    region.name_en = "Lands of the rivers"
    network_services.save_region(region, actor=None)

    assert ">Lands of the rivers</a>" in search(client).text
