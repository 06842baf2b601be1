"""The lifecycle of a partnership through its services: proposal, answers, status, plan."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from audit.models import AuditEntry
from learning.models import Partnership, PartnershipStatus, PartyResponse
from learning.partnerships import services
from learning.partnerships.tests.factories import World, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def test_a_proposal_has_a_learner_and_a_mentor_awaiting_their_answers(world):
    partnership = world.propose()
    assert partnership.status == PartnershipStatus.PROPOSED
    assert {(p.organisation.name, p.role, p.response) for p in partnership.parties.all()} == {
        ("Otjiwarongo", "learner", "pending"),
        ("Durban", "mentor", "pending"),
    }
    assert [c.to_status for c in partnership.status_changes.all()] == ["proposed"]
    assert AuditEntry.objects.filter(action="learning.partnership.proposed").count() == 1


def test_a_proposal_with_one_party_is_refused_and_nothing_is_saved(world):
    with pytest.raises(ValidationError) as error:
        world.propose(mentors=[])
    assert "mentors" in error.value.error_dict
    assert Partnership.objects.count() == 0


def test_the_same_organisation_twice_is_refused_with_a_translated_message(world):
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        world.propose(mentors=[world.learner])
    assert "Une organisation ne peut pas" in str(error.value.error_dict["mentors"])
    assert Partnership.objects.count() == 0


def test_dates_out_of_order_are_refused(world):
    with pytest.raises(ValidationError) as error:
        world.propose(starts_on=datetime.date(2026, 5, 1), ends_on=datetime.date(2026, 4, 1))
    assert "ends_on" in error.value.error_dict


def test_a_city_can_be_mentor_in_one_partnership_and_learner_in_another(world):
    world.propose()
    third = make_organisation(name="Mzuzu")
    other = world.propose(learners=[world.mentor], mentors=[third], title="Budgeting")
    assert other.parties.get(organisation=world.mentor).role == "learner"


def test_when_every_party_accepts_the_partnership_is_agreed_by_the_last_one(world):
    partnership = world.propose()
    learner, mentor = partnership.parties.order_by("role")
    services.respond_to_partnership(learner, accept=True, actor=world.lucia)
    partnership.refresh_from_db()
    assert partnership.status == "proposed"
    services.respond_to_partnership(mentor, accept=True, actor=world.mandla)
    partnership.refresh_from_db()
    assert partnership.status == "agreed"
    last = partnership.status_changes.last()
    assert (last.to_status, last.changed_by) == ("agreed", world.mandla)


def test_a_declined_proposal_stays_proposed_until_the_secretariat_closes_it(world):
    partnership = world.propose()
    party = partnership.parties.get(organisation=world.mentor)
    services.respond_to_partnership(party, accept=False, actor=world.mandla)
    partnership.refresh_from_db()
    assert partnership.status == "proposed"
    assert partnership.parties.get(pk=party.pk).response == PartyResponse.DECLINED
    services.change_partnership_status(partnership, "closed_early", actor=world.sofia)
    partnership.refresh_from_db()
    assert partnership.status == "closed_early"


def test_answers_are_refused_once_the_proposal_is_settled(world):
    partnership = world.agreed()
    party = partnership.parties.first()
    with pytest.raises(ValidationError):
        services.respond_to_partnership(party, accept=False, actor=world.lucia)


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("proposed", "active"),
        ("proposed", "completed"),
        ("agreed", "completed"),
        ("agreed", "agreed"),
    ],
)
def test_status_changes_not_allowed_from_the_current_status_are_refused(world, start, target):
    partnership = world.propose() if start == "proposed" else world.agreed()
    changes = partnership.status_changes.count()
    with translation.override("es"), pytest.raises(ValidationError) as error:
        services.change_partnership_status(partnership, target, actor=world.sofia)
    assert "no puede pasar" in error.value.messages[0]
    partnership.refresh_from_db()
    assert partnership.status == start
    assert partnership.status_changes.count() == changes


def test_starting_a_partnership_sets_its_first_report_due_date(world):
    partnership = world.active(starts_on=datetime.date(2026, 1, 1))
    assert partnership.status == "active"
    assert partnership.next_report_due_on == datetime.date(2026, 3, 31)
    assert [c.to_status for c in partnership.status_changes.all()] == [
        "proposed",
        "agreed",
        "active",
    ]


def test_activities_need_an_agreed_partnership_and_dates_in_order(world):
    proposed = world.propose()
    with pytest.raises(ValidationError):
        services.plan_activity(
            proposed,
            kind="webinar",
            title="Kick-off",
            starts_on=datetime.date(2026, 3, 1),
            actor=world.sofia,
        )
    partnership = world.agreed(title="Second")
    with pytest.raises(ValidationError) as error:
        services.plan_activity(
            partnership,
            kind="study_visit",
            title="Visit",
            starts_on=datetime.date(2026, 3, 5),
            ends_on=datetime.date(2026, 3, 1),
            actor=world.mandla,
        )
    assert "ends_on" in error.value.error_dict
    activity = services.plan_activity(
        partnership,
        kind="study_visit",
        title="Visit of the landfill",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 4),
        place="Durban",
        actor=world.mandla,
    )
    assert activity.title == "Visit of the landfill"
