"""The partnership pages: who sees what, the proposal from a suggestion, answers, status."""

import pytest
from django.urls import reverse
from django.utils import translation

from learning.models import LearningNeed, Partnership
from learning.partnerships.tests.factories import World, make_organisation
from library.tests.factories import make_experience

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def _get(client, user, url, **extra):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url, **extra)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("nadia", 200),
        ("sofia", 200),
        ("lucia", 200),
        ("mandla", 200),
        ("other_secretariat", 404),
        ("olga", 404),
        ("ursula", 404),
        (None, 404),
    ],
)
def test_a_proposal_is_seen_by_its_parties_and_its_secretariat_only(client, world, persona, status):
    partnership = world.propose()
    user = getattr(world, persona) if persona else None
    response = _get(client, user, partnership.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert "Solid waste management" in response.content.decode()


def test_an_agreed_partnership_is_public_without_its_reports(client, world):
    partnership = world.active()
    response = _get(client, None, partnership.get_absolute_url())
    assert response.status_code == 200
    assert "Otjiwarongo" in response.content.decode()
    assert "File a report" not in response.content.decode()
    assert "Monitoring" not in response.content.decode()


def test_the_proposal_form_is_prefilled_from_a_need_and_an_experience(client, world):
    need = LearningNeed.objects.create(
        city=world.learner, title="Collect waste in informal areas", problem="No collection."
    )
    experience = make_experience(world.mentor, title="Durban's waste pickers")
    url = reverse("learning:partnership_propose") + f"?need={need.pk}&experience={experience.pk}"
    response = _get(client, world.sofia, url)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["learners"] == [world.learner.pk]
    assert form.initial["mentors"] == [world.mentor.pk]
    assert form.initial["title"] == "Collect waste in informal areas"
    page = response.content.decode()
    assert "Otjiwarongo" in page and "Durban" in page
    assert "Durban&#x27;s waste pickers" in page


def test_the_proposal_form_takes_a_peer_organisation_as_mentor(client, world):
    need = LearningNeed.objects.create(city=world.learner, title="Budget", problem="No budget.")
    url = (
        reverse("learning:partnership_propose") + f"?need={need.pk}&organisation={world.mentor.pk}"
    )
    response = _get(client, world.sofia, url)
    assert response.context["form"].initial["mentors"] == [world.mentor.pk]


def test_posting_the_proposal_creates_it_with_its_need_and_experience(client, world):
    need = LearningNeed.objects.create(city=world.learner, title="Waste", problem="No collection.")
    experience = make_experience(world.mentor, title="Waste pickers")
    client.force_login(world.sofia)
    response = client.post(
        reverse("learning:partnership_propose"),
        {
            "title": "Waste collection",
            "original_language": "en",
            "learners": [world.learner.pk],
            "mentors": [world.mentor.pk],
            "commission": world.commission.pk,
            "needs": [need.pk],
            "experiences": [experience.pk],
            "reporting_every_months": 3,
        },
    )
    partnership = Partnership.objects.get()
    assert response.status_code == 302
    assert list(partnership.needs.all()) == [need]
    assert list(partnership.experiences.all()) == [experience]


def test_a_proposal_with_one_organisation_twice_is_refused_in_french(client, world):
    client.force_login(world.sofia)
    with translation.override("fr"):
        response = client.post(
            reverse("learning:partnership_propose"),
            {
                "title": "Waste",
                "original_language": "en",
                "learners": [world.learner.pk],
                "mentors": [world.learner.pk],
                "commission": world.commission.pk,
                "reporting_every_months": 3,
            },
            HTTP_ACCEPT_LANGUAGE="fr",
        )
    assert response.status_code == 400
    assert "ni à la fois apprenante et mentor" in response.content.decode()
    assert Partnership.objects.count() == 0


def test_a_city_officer_cannot_propose_a_partnership_between_other_cities(client, world):
    third = make_organisation(name="Third")
    client.force_login(world.olga)
    response = client.post(
        reverse("learning:partnership_propose"),
        {
            "title": "Forged",
            "original_language": "en",
            "learners": [third.pk],
            "mentors": [world.mentor.pk],
            "reporting_every_months": 3,
        },
    )
    assert response.status_code == 403
    assert Partnership.objects.count() == 0


def test_plain_users_and_presidencies_cannot_open_the_proposal_form(client, world):
    assert _get(client, world.ursula, reverse("learning:partnership_propose")).status_code == 403
    assert _get(client, world.pierre, reverse("learning:partnership_propose")).status_code == 403
    assert _get(client, None, reverse("learning:partnership_propose")).status_code == 302


def test_a_party_accepts_and_the_last_acceptance_agrees_the_partnership(client, world):
    partnership = world.propose()
    learner = partnership.parties.get(organisation=world.learner)
    mentor = partnership.parties.get(organisation=world.mentor)
    client.force_login(world.lucia)
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "Aceptar la alianza" in page  # Lucia reads Spanish
    client.post(
        reverse("learning:partnership_respond", args=[partnership.pk, learner.pk]),
        {"answer": "accept"},
    )
    client.force_login(world.mandla)
    client.post(
        reverse("learning:partnership_respond", args=[partnership.pk, mentor.pk]),
        {"answer": "accept"},
    )
    partnership.refresh_from_db()
    assert partnership.status == "agreed"


def test_a_representative_cannot_answer_for_another_party(client, world):
    partnership = world.propose()
    mentor = partnership.parties.get(organisation=world.mentor)
    client.force_login(world.lucia)
    response = client.post(
        reverse("learning:partnership_respond", args=[partnership.pk, mentor.pk]),
        {"answer": "accept"},
    )
    assert response.status_code == 403
    mentor.refresh_from_db()
    assert mentor.response == "pending"


def test_a_party_of_another_partnership_cannot_reach_this_one(client, world):
    partnership = world.propose()
    party = partnership.parties.get(organisation=world.mentor)
    client.force_login(world.olga)
    response = client.post(
        reverse("learning:partnership_respond", args=[partnership.pk, party.pk]),
        {"answer": "decline"},
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("persona", "status", "expected"),
    [
        ("sofia", 302, "active"),
        ("nadia", 302, "active"),
        ("other_secretariat", 403, "agreed"),
        ("pierre", 403, "agreed"),
        ("lucia", 403, "agreed"),
        ("ursula", 403, "agreed"),
    ],
)
def test_only_the_facilitating_secretariat_starts_a_partnership(
    client, world, persona, status, expected
):
    partnership = world.agreed()
    client.force_login(getattr(world, persona))
    response = client.post(
        reverse("learning:partnership_status", args=[partnership.pk]), {"to": "active"}
    )
    assert response.status_code == status
    partnership.refresh_from_db()
    assert partnership.status == expected


def test_a_status_change_not_allowed_now_is_refused_with_a_message(client, world):
    partnership = world.propose()
    client.force_login(world.sofia)
    response = client.post(
        reverse("learning:partnership_status", args=[partnership.pk]),
        {"to": "completed"},
        follow=True,
    )
    assert "Ce changement de statut" in response.content.decode()  # Sofia reads French
    partnership.refresh_from_db()
    assert partnership.status == "proposed"


def test_a_party_plans_an_activity_with_people_of_the_parties(client, world):
    from learning.partnerships.tests.factories import make_person

    partnership = world.agreed()
    person = make_person(organisation=world.mentor)
    client.force_login(world.mandla)
    response = client.post(
        reverse("learning:activity_add", args=[partnership.pk]),
        {
            "kind": "study_visit",
            "title": "Visit of the landfill",
            "starts_on": "2026-03-01",
            "ends_on": "2026-03-03",
            "place": "Durban",
            "participants": [person.pk],
        },
    )
    assert response.status_code == 302
    activity = partnership.activities.get()
    assert list(activity.participants.all()) == [person]
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "Visit of the landfill" in page


def test_an_outsider_cannot_plan_an_activity(client, world):
    partnership = world.agreed()
    client.force_login(world.olga)
    response = client.post(
        reverse("learning:activity_add", args=[partnership.pk]),
        {"kind": "webinar", "title": "Forged", "starts_on": "2026-03-01"},
    )
    assert response.status_code == 403
    assert partnership.activities.count() == 0


def test_the_list_and_the_detail_pages_use_few_queries(
    client, world, django_assert_max_num_queries
):
    for number in range(5):
        partnership = world.active(title=f"Partnership {number}")
    client.force_login(world.sofia)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("learning:partnerships"))
    assert response.content.decode().count("Otjiwarongo") == 5
    with django_assert_max_num_queries(25):
        client.get(partnership.get_absolute_url())
