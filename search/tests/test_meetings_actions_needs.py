"""Meetings, actions and learning needs in the search: indexed as they change, each
seen only by those who may see it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from actions import services as action_services
from actions.tests.factories import make_action, make_workstream
from learning.models import LearningNeed, NeedStatus, NeedVisibility
from library.tests.factories import make_city, make_commission, make_user
from meetings import services as meeting_services
from meetings.tests.factories import make_meeting
from search.searching import run_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(settings, django_capture_on_commit_callbacks):
    """Writes whose on-commit re-indexing runs at once, in this process."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


def found(user, text, **filters):
    results = run_search(user, text, filters=filters)
    return [(hit.entry.object_type, hit.entry.object_id) for hit in results.hits]


def test_a_public_meeting_is_found_in_each_of_its_languages_with_its_host_region(on_commit):
    rabat = make_city("Rabat")
    meeting = on_commit(
        make_meeting,
        commissions=[make_commission("strategic-planning")],
        title="Peer learning on metropolitan governance",
        host=rabat,
        purposes={"fr": "Échanger sur la gouvernance métropolitaine et le foncier."},
    )
    assert found(None, "governance", type="meeting") == [("meeting", meeting.pk)]
    assert found(None, "foncier") == [("meeting", meeting.pk)]
    results = run_search(None, "governance")
    assert ("meeting", 1) in results.facets["type"]
    assert results.facets["region"] == [(rabat.region.code, 1)]


def test_a_members_only_meeting_is_found_by_members_only_and_is_not_counted_for_others(
    on_commit,
):
    meeting = on_commit(make_meeting, title="Closed bureau meeting", visibility="members")
    member = make_user(Role.REPRESENTATIVE, organisation=make_city())
    assert found(member, "bureau") == [("meeting", meeting.pk)]
    assert found(None, "bureau") == []
    assert found(make_user(), "bureau") == []
    anonymous = run_search(None, "bureau")
    assert anonymous.total == 0
    assert anonymous.facets["type"] == []


def test_a_meeting_made_members_only_or_deleted_leaves_the_public_search(on_commit):
    meeting = on_commit(make_meeting, title="Rabat retreat")
    on_commit(
        meeting_services.update_meeting, meeting, changes={"visibility": "members"}, actor=None
    )
    assert found(None, "retreat") == []
    assert found(make_user(Role.NETWORK_ADMIN), "retreat") == [("meeting", meeting.pk)]
    on_commit(meeting.delete)
    assert found(make_user(Role.NETWORK_ADMIN), "retreat") == []


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
    assert found(None, "case studies", type="action") == [("action", action.pk)]
    assert found(None, "intermediary cities", type="action") == [("action", action.pk)]
    # Through the glossary: "affordable housing" finds the Spanish description.
    assert found(None, "affordable housing") == [("action", action.pk)]
    on_commit(action_services.update_action, action, changes={"status": "done"}, actor=None)
    hit = run_search(None, "case studies", reader_language="en").hits[0]
    assert "Done" in hit.snippet


def make_need(city, **overrides) -> LearningNeed:
    values = {
        "city": city,
        "original_language": "fr",
        "title_fr": "Réhabiliter les quartiers informels",
        "problem_fr": "Les quartiers précaires manquent d'eau potable et d'assainissement.",
    }
    values.update(overrides)
    return LearningNeed.objects.create(**values)


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
    need.status = NeedStatus.WITHDRAWN
    on_commit(need.save)
    assert found(admin, "quartiers") == []
    assert run_search(admin, "quartiers").facets["type"] == []


def test_a_past_meeting_is_dated_by_its_start_in_its_own_time_zone(on_commit):
    start = timezone.now() - timedelta(days=400)
    meeting = on_commit(make_meeting, title="Annual retreat", starts_at=start)
    hit = run_search(None, "retreat").hits[0]
    assert hit.entry.object_id == meeting.pk
    assert hit.entry.date == meeting.local_start.date()


def test_saving_a_need_with_its_themes_and_sdgs_indexes_it_once_after_commit(
    settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from learning.needs import services as services_needs
    from library.models import SDG, Theme

    theme = Theme.objects.create(key="housing", label_en="Housing")
    sdg = SDG.objects.get_or_create(number=11, defaults={"name_en": "Sustainable cities"})[0]
    with django_capture_on_commit_callbacks(execute=True):
        need = services_needs.create_need(
            city=make_city("Thiès"),
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


def test_a_need_written_in_french_shows_its_status_in_the_readers_language(on_commit):
    need = on_commit(make_need, make_city("Dakar"))
    hit = run_search(None, "dakar", reader_language="es").hits[0]
    assert hit.entry.object_id == need.pk
    assert "Abierta" in hit.snippet
    assert "Dakar" in hit.snippet
    assert "eau potable" in hit.snippet
    assert hit.snippet_language == "es"
