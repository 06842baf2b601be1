"""Entries showing a commission's or a city's name follow it when it is renamed, and a
meeting's entry follows its commissions."""

import pytest

from accounts.models import Role
from commissions import services as commission_services
from library.tests.factories import make_city, make_commission, make_experience, make_user
from meetings import services as meeting_services
from meetings.tests.factories import make_meeting
from network import services as network_services
from search import services
from search.searching import run_search

pytestmark = pytest.mark.django_db


def found(text, **filters):
    results = run_search(None, text, filters=filters)
    return [(hit.entry.object_type, hit.entry.object_id) for hit in results.hits]


def test_a_meeting_is_found_by_the_new_name_of_its_commission(on_commit):
    commission = make_commission(slug="planning")
    meeting = on_commit(make_meeting, commissions=[commission], title="Spring session")
    on_commit(
        commission_services.update_commission,
        commission,
        actor=make_user(Role.NETWORK_ADMIN),
        name_en="Territorial foresight",
    )
    assert found("foresight", type="meeting") == [("meeting", meeting.pk)]
    # The old name is no longer shown.
    assert ("meeting", meeting.pk) not in found("planning", type="meeting")


def test_a_meeting_and_an_experience_are_found_by_the_new_name_of_their_city(on_commit):
    city = make_city("Oldtown")
    meeting = on_commit(make_meeting, title="Autumn session", host=city)
    experience = on_commit(make_experience, city, title="Street lighting")
    on_commit(
        network_services.update_organisation,
        city,
        actor=make_user(Role.NETWORK_ADMIN),
        name="Newharbour",
    )
    assert sorted(found("newharbour")) == sorted(
        [("meeting", meeting.pk), ("experience", experience.pk), ("organisation", city.pk)]
    )
    assert found("oldtown") == []


def test_a_meeting_is_found_by_the_name_of_a_commission_it_is_given(on_commit):
    meeting = on_commit(
        make_meeting, commissions=[make_commission(slug="housing", name="Housing")], title="Forum"
    )
    on_commit(
        meeting_services.update_meeting,
        meeting,
        changes={},
        commissions=[make_commission(slug="waterfront", name="Waterfront")],
        actor=None,
    )
    assert found("waterfront", type="meeting") == [("meeting", meeting.pk)]
    assert found("housing", type="meeting") == []


def test_changing_a_commission_but_not_its_name_leaves_its_meetings_alone(
    django_capture_on_commit_callbacks,
):
    from django_tasks_db.models import DBTaskResult

    commission = make_commission(slug="mobility")
    make_meeting(commissions=[commission])
    admin = make_user(Role.NETWORK_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        commission_services.update_commission(commission, actor=admin, mandate_en="Transport")
    with django_capture_on_commit_callbacks(execute=True):
        commission_services.update_commission(commission, actor=admin, name_fr="Mobilité")
    queued = [
        (task.task_path, task.args_kwargs["args"])
        for task in DBTaskResult.objects.filter(task_path__startswith="search.tasks.")
    ]
    assert queued == [
        ("search.tasks.reindex_object", ["commission", commission.pk]),
        ("search.tasks.reindex_object", ["commission", commission.pk]),
        ("search.tasks.reindex_dependents", ["commission", commission.pk]),
    ]


def test_the_dependents_of_a_city_are_its_meetings_experiences_needs_and_documents():
    city = make_city()
    meeting = make_meeting(host=city)
    experience = make_experience(city)
    assert services.dependents("organisation", city.pk) == {
        "meeting": [meeting.pk],
        "experience": [experience.pk],
        "need": [],
        "document": [],
    }
