"""Automatic follows for what existed before: at installation and when a role is given."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from accounts import services as accounts
from accounts.models import Role
from actions.tests.factories import make_action, make_workstream
from learning.groups.tests.factories import make_partnership
from learning.needs.tests.factories import make_need
from meetings.models import Participation, ParticipationStatus
from meetings.tests.factories import make_meeting, make_person
from notifications.models import Follow, TargetType

from .factories import make_city, make_commission, make_user, officer_of

pytestmark = pytest.mark.django_db

installation = importlib.import_module(
    "notifications.migrations.0003_automatic_follows_for_existing_data"
)


def following_page(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("notifications:following")).content.decode()


def test_the_installation_makes_owners_parties_officers_and_participants_follow_what_exists(
    client,
):
    city, partner = make_city(name="Chefchaouen"), make_city(name="Saint-Louis")
    officer = officer_of(city)
    need = make_need(city, title="Managing the waste of the medina")
    partnership = make_partnership(parties=[partner, city], title="Medina waste exchange")
    action = make_action(
        workstream=make_workstream(commissions=[make_commission()]),
        title="Map the collection points",
        owner_organisations=[city],
    )
    participant = make_user()
    meeting = make_meeting(title="Rabat joint meeting")
    Participation.objects.create(
        meeting=meeting, person=make_person(user=participant), status=ParticipationStatus.ATTENDED
    )
    cancelled = make_user()
    Participation.objects.create(
        meeting=meeting, person=make_person(user=cancelled), status=ParticipationStatus.CANCELLED
    )
    # The data existed before notifications did: nobody follows anything yet.
    Follow.objects.all().delete()

    installation.forwards(apps, None)

    page = following_page(client, officer)
    assert need.title in page
    assert partnership.title in page
    assert action.title in page
    assert "Rabat joint meeting" in following_page(client, participant)
    assert "Rabat joint meeting" not in following_page(client, cancelled)
    assert set(Follow.objects.values_list("automatic", flat=True)) == {True}


def test_a_follow_someone_switched_off_stays_off_when_the_installation_runs_again(client):
    city = make_city()
    officer = officer_of(city)
    need = make_need(city, title="Informal settlement upgrading")
    Follow.objects.filter(user=officer).update(active=False)

    installation.forwards(apps, None)

    assert need.title not in following_page(client, officer)
    assert Follow.objects.get(user=officer, target_type=TargetType.NEED).active is False


def test_a_new_city_officer_follows_the_needs_and_partnerships_of_their_city():
    city, partner, elsewhere = make_city(), make_city(), make_city()
    need = make_need(city)
    partnership = make_partnership(parties=[partner, city])
    other_need = make_need(elsewhere)
    newcomer = make_user()

    accounts.grant_role(newcomer, Role.REPRESENTATIVE, organisation=city, actor=None)

    followed = set(
        Follow.objects.filter(user=newcomer, active=True).values_list("target_type", "target_id")
    )
    assert (TargetType.NEED, need.pk) in followed
    assert (TargetType.PARTNERSHIP, partnership.pk) in followed
    assert (TargetType.NEED, other_need.pk) not in followed


def test_a_new_secretariat_follows_the_actions_its_commission_owns():
    commission = make_commission()
    action = make_action(
        workstream=make_workstream(commissions=[commission]), owner_commissions=[commission]
    )
    secretariat = make_user()

    accounts.grant_role(secretariat, Role.SECRETARIAT, commission=commission, actor=None)

    assert Follow.objects.filter(
        user=secretariat, target_type=TargetType.ACTION, target_id=action.pk, automatic=True
    ).exists()
