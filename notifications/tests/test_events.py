"""Who hears of what: for each kind of event, the followers who may see it, and nobody else."""

import pytest

from accounts.models import Role
from actions import services as actions
from learning.models import PartyRole
from learning.partnerships.tests.factories import World
from library.tests.factories import make_experience
from meetings import services as meetings
from meetings.models import MeetingStatus, MeetingVisibility
from meetings.tests.factories import make_meeting
from network.models import Person
from notifications import fanout, services
from notifications.models import Event, EventKind, Follow, Notification, TargetType

from .factories import (
    follows,
    make_city,
    make_commission,
    make_theme,
    make_user,
    officer_of,
    run_worker,
)

pytestmark = pytest.mark.django_db


def kinds_heard_by(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_a_new_experience_on_a_followed_theme_reaches_its_followers_only():
    housing = make_theme("housing")
    reader, other, secretariat = make_user(), make_user(), make_user()
    follows(reader, TargetType.THEME, housing.pk)
    follows(secretariat, TargetType.THEME, housing.pk)

    make_experience(themes=[housing], title="Social housing in Medellín")
    run_worker()

    assert kinds_heard_by(reader) == [EventKind.EXPERIENCE_PUBLISHED]
    assert kinds_heard_by(other) == []
    # Drafts and reviews notify nobody: only the publication does.
    assert Event.objects.filter(kind=EventKind.EXPERIENCE_PUBLISHED).count() == 1


def test_the_person_who_did_it_is_not_notified_of_it():
    housing = make_theme("housing")
    publisher = make_user(Role.NETWORK_ADMIN)
    follows(publisher, TargetType.THEME, housing.pk)
    experience = make_experience(themes=[housing], status="in_review")
    from library import services as library

    library.publish_experience(experience, actor=publisher)
    run_worker()
    assert kinds_heard_by(publisher) == []


def test_a_partnership_proposal_reaches_its_parties_but_not_a_follower_who_may_not_see_it():
    world = World()
    # Olga follows the facilitating commission but is no party: proposals are not hers to see.
    follows(world.olga, TargetType.COMMISSION, world.commission.pk)
    follows(world.ursula, TargetType.COMMISSION, world.commission.pk)

    partnership = world.propose()
    run_worker()

    # Parties' officers follow their partnership automatically and hear of the proposal.
    assert Follow.objects.filter(
        user=world.lucia, target_type=TargetType.PARTNERSHIP, target_id=partnership.pk
    ).exists()
    assert kinds_heard_by(world.lucia) == [EventKind.PARTNERSHIP_PROPOSED]
    assert kinds_heard_by(world.mandla) == [EventKind.PARTNERSHIP_PROPOSED]
    assert kinds_heard_by(world.olga) == []
    assert kinds_heard_by(world.ursula) == []

    learner = partnership.parties.get(role=PartyRole.LEARNER)
    from learning.partnerships import services as services_partnerships

    services_partnerships.respond_to_partnership(learner, accept=True, actor=world.lucia)
    run_worker()
    assert sorted(kinds_heard_by(world.mandla)) == [
        EventKind.PARTNERSHIP_ANSWERED,
        EventKind.PARTNERSHIP_PROPOSED,
    ]
    assert EventKind.PARTNERSHIP_ANSWERED not in kinds_heard_by(world.lucia)


def test_a_members_only_meeting_change_reaches_members_and_not_a_visitor_account():
    commission = make_commission()
    meeting = make_meeting(commissions=[commission], visibility=MeetingVisibility.MEMBERS)
    member, outsider = make_user(), make_user()
    Person.objects.create(first_name="Ana", last_name="Member", user=member)
    follows(member, TargetType.MEETING, meeting.pk)
    follows(outsider, TargetType.COMMISSION, commission.pk)

    meetings.update_meeting(meeting, changes={"status": MeetingStatus.CANCELLED}, actor=None)
    run_worker()

    assert kinds_heard_by(member) == [EventKind.MEETING_CANCELLED]
    assert kinds_heard_by(outsider) == []


def test_registered_participants_follow_the_meeting_and_hear_of_its_minutes():
    meeting = make_meeting(visibility=MeetingVisibility.PUBLIC)
    user = make_user()
    person = Person.objects.create(first_name="Ana", last_name="Delegate", user=user)
    meetings.register(meeting, person, actor=user)
    meetings.save_minutes(meeting, "We met.", actor=None)
    meetings.approve_minutes(meeting, actor=None)
    meetings.record_decision(meeting, texts={"en": "Do it."}, actor=None)
    run_worker()
    assert sorted(kinds_heard_by(user)) == [
        EventKind.DECISION_RECORDED,
        EventKind.MINUTES_APPROVED,
    ]


def test_an_action_owner_follows_it_hears_of_updates_and_can_stop():
    city = make_city()
    officer = officer_of(city)
    action = actions.create_action(
        titles={"en": "Map informal settlements"}, owner_organisations=[city], actor=None
    )
    actions.post_update(action, text="Half done.", progress=50, actor=None)
    run_worker()
    assert sorted(kinds_heard_by(officer)) == [EventKind.ACTION_ASSIGNED, EventKind.ACTION_UPDATED]

    services.unfollow(TargetType.ACTION, action.pk, actor=officer)
    # A later change of owners does not bring the automatic follow back.
    actions.update_action(action, changes={}, owner_organisations=[city, make_city()], actor=None)
    actions.post_update(action, text="Done.", progress=100, actor=None)
    run_worker()
    assert len(kinds_heard_by(officer)) == 2


def test_fan_out_goes_in_batches_and_a_second_run_adds_nothing(monkeypatch):
    monkeypatch.setattr(fanout, "BATCH_SIZE", 2)
    commission = make_commission()
    followers = [make_user() for _ in range(5)]
    for user in followers:
        follows(user, TargetType.COMMISSION, commission.pk)
    make_user()  # follows nothing
    meeting = make_meeting(commissions=[commission], visibility=MeetingVisibility.PUBLIC)
    meetings.record_decision(meeting, texts={"en": "Decided."}, actor=None)
    event = Event.objects.get(kind=EventKind.DECISION_RECORDED)

    assert fanout.fan_out(event.pk) is True
    assert fanout.fan_out(event.pk) is False
    assert Notification.objects.filter(event=event).count() == 5
    event.refresh_from_db()
    assert event.fanned_out_at is not None


def test_a_rolled_back_change_records_no_event():
    city = make_city()
    with pytest.raises(Exception):  # noqa: B017, PT011 - any validation error
        actions.create_action(titles={"en": ""}, owner_organisations=[city], actor=None)
    assert Event.objects.count() == 0


def test_a_need_s_city_officers_follow_it():
    from learning.needs.tests.factories import make_need

    city = make_city()
    officer = officer_of(city)
    need = make_need(city)
    assert Follow.objects.filter(
        user=officer, target_type=TargetType.NEED, target_id=need.pk, automatic=True
    ).exists()


def test_owners_hear_once_of_an_action_a_week_before_it_is_due_and_the_day_after():
    import datetime

    from actions.notifying import record_due_actions

    city = make_city()
    officer = officer_of(city)
    day = datetime.date(2026, 12, 7)
    soon = actions.create_action(
        titles={"en": "Due next week"},
        owner_organisations=[city],
        due_date=day + datetime.timedelta(days=7),
        actor=None,
    )
    actions.create_action(
        titles={"en": "Due in three days"},
        owner_organisations=[city],
        due_date=day + datetime.timedelta(days=3),
        actor=None,
    )
    late = actions.create_action(
        titles={"en": "Due yesterday"},
        owner_organisations=[city],
        due_date=day - datetime.timedelta(days=1),
        actor=None,
    )
    assert record_due_actions(day) == 2
    assert record_due_actions(day) == 0
    run_worker()
    due = Notification.objects.filter(user=officer, kind=EventKind.ACTION_DUE)
    assert sorted(due.values_list("event__subject_id", flat=True)) == sorted([soon.pk, late.pk])


def test_a_published_document_reaches_the_followers_of_its_commission():
    from library import services as library
    from library.models import DocumentFile, DocumentVersion

    commission = make_commission()
    follower = make_user()
    follows(follower, TargetType.COMMISSION, commission.pk)
    document = library.create_document(
        original_language="en",
        title="Framework for local action",
        kind="report",
        commissions=[commission],
        actor=None,
    )
    version = DocumentVersion.objects.create(document=document, number=1)
    DocumentFile.objects.create(version=version, language="en", file="x.pdf")
    library.publish_document(document, actor=None)
    run_worker()
    assert kinds_heard_by(follower) == [EventKind.DOCUMENT_PUBLISHED]


def test_a_members_only_group_s_conclusion_reaches_its_followers_who_may_see_it_only():
    from learning.groups import services as services_groups
    from learning.groups.tests.factories import make_group
    from learning.models import GroupVisibility

    commission = make_commission()
    group = make_group(commission=commission, visibility=GroupVisibility.MEMBERS)
    secretariat = make_user(Role.SECRETARIAT, commission=commission)
    outsider = make_user()
    follows(secretariat, TargetType.GROUP, group.pk)
    follows(outsider, TargetType.COMMISSION, commission.pk)
    services_groups.add_conclusion(group, texts={"en": "Plan with the residents."}, actor=None)
    run_worker()
    assert kinds_heard_by(secretariat) == [EventKind.GROUP_CONCLUSION]
    assert kinds_heard_by(outsider) == []


def test_a_city_officer_hears_of_new_suggestions_for_the_city_s_need():
    from learning.needs.tests.factories import make_need

    city = make_city()
    officer = officer_of(city)
    make_need(
        city,
        title="Reduce flooding in informal settlements",
        problem="Heavy rains flood the informal settlements along the river every year.",
    )
    make_experience(
        make_city(),
        title="Flood protection for informal settlements",
        summary="Drainage and early warning reduced flooding in riverside informal settlements.",
    )
    run_worker()
    run_worker()
    assert EventKind.NEED_SUGGESTIONS in kinds_heard_by(officer)


def test_only_the_officers_of_a_need_the_new_experience_answers_in_meaning_hear_of_it():
    """Both needs share a concept with the experience (informal settlements); only the
    flooding one asks for what it describes."""
    from learning.needs.tests.factories import make_need
    from search import embedded
    from search.services import index_object

    flooded, trading = make_city(), make_city()
    flooded_officer, trading_officer = officer_of(flooded), officer_of(trading)
    needs = [
        make_need(
            flooded,
            title="Reduce flooding in informal settlements",
            problem="Heavy rains flood the informal settlements along the river every year.",
        ),
        make_need(
            trading,
            title="Street vendors in informal settlements",
            problem="Traders in the informal settlements have no market hall and sell on "
            "the road, where the police chase them.",
        ),
    ]
    for need in needs:
        index_object("need", need.pk)
    embedded.embed_objects("need", [need.pk for need in needs])
    experience = make_experience(
        make_city(),
        title="Flood protection for informal settlements",
        summary="Drainage and early warning reduced flooding in riverside informal settlements.",
    )
    index_object("experience", experience.pk)
    run_worker()
    run_worker()
    assert EventKind.NEED_SUGGESTIONS in kinds_heard_by(flooded_officer)
    assert EventKind.NEED_SUGGESTIONS not in kinds_heard_by(trading_officer)


def test_parties_hear_a_week_before_a_monitoring_report_is_due():
    import datetime

    from learning.models import Partnership
    from learning.partnerships.notifying import record_due_reports

    world = World()
    partnership = world.active(starts_on=datetime.date.today() - datetime.timedelta(days=30))
    partnership.refresh_from_db()
    due_on = partnership.next_report_due_on
    Partnership.objects.filter(pk=partnership.pk).update(next_report_due_on=due_on)
    assert record_due_reports(due_on - datetime.timedelta(days=7)) == 1
    assert record_due_reports(due_on - datetime.timedelta(days=7)) == 0
    run_worker()
    assert EventKind.REPORT_DUE in kinds_heard_by(world.lucia)
    assert EventKind.REPORT_DUE not in kinds_heard_by(world.olga)
