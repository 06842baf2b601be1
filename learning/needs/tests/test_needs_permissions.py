"""Who reads, states, edits and moves learning needs; who adopts agenda priorities."""

import pytest
from django.contrib.auth.models import AnonymousUser

from learning import permissions
from learning.models import NeedStatus, NeedVisibility
from learning.needs.tests.factories import make_need
from network.tests.personas import make_personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    people = make_personas()
    needs = {
        "rabat_published": make_need(people.rabat, title="Rabat published"),
        "rabat_private": make_need(
            people.rabat, title="Rabat private", visibility=NeedVisibility.PRIVATE
        ),
        "rabat_withdrawn": make_need(
            people.rabat, title="Rabat withdrawn", status=NeedStatus.WITHDRAWN
        ),
        "other_private": make_need(
            people.other_city, title="Other private", visibility=NeedVisibility.PRIVATE
        ),
        "other_met": make_need(people.other_city, title="Other met", status=NeedStatus.MET),
    }
    return people, needs


def _visible(user, needs) -> set[str]:
    ids = set(permissions.visible_learning_needs(user).values_list("pk", flat=True))
    return {name for name, need in needs.items() if need.pk in ids}


def test_the_network_administrator_and_any_secretariat_see_every_need(world):
    people, needs = world
    assert _visible(people.admin, needs) == set(needs)
    assert _visible(people.secretariat, needs) == set(needs)


def test_a_city_officer_sees_its_own_needs_and_the_published_ones_not_another_citys_private(world):
    people, needs = world
    assert _visible(people.representative, needs) == {
        "rabat_published",
        "rabat_private",
        "rabat_withdrawn",
        "other_met",
    }
    assert _visible(people.other_representative, needs) == {
        "rabat_published",
        "other_private",
        "other_met",
    }


@pytest.mark.parametrize("who", ["presidency", "plain_user", "anonymous"])
def test_the_presidency_a_plain_user_and_the_public_see_published_needs_only(world, who):
    people, needs = world
    user = AnonymousUser() if who == "anonymous" else getattr(people, who)
    assert _visible(user, needs) == {"rabat_published", "other_met"}


def test_only_the_city_and_the_secretariat_edit_translate_and_move_a_need(world):
    people, needs = world
    need = needs["rabat_published"]
    allowed = [people.admin, people.secretariat, people.representative]
    refused = [people.other_representative, people.presidency, people.plain_user, AnonymousUser()]
    for check in (
        permissions.can_edit_learning_need,
        permissions.can_translate_learning_need,
        permissions.can_change_learning_need_status,
    ):
        assert all(check(user, need) for user in allowed)
        assert not any(check(user, need) for user in refused)


def test_a_city_officer_states_needs_for_its_own_city_only(world):
    people, _needs = world
    assert permissions.can_create_learning_need(people.representative, people.rabat)
    assert not permissions.can_create_learning_need(people.representative, people.other_city)
    assert permissions.can_create_learning_need(people.secretariat, people.other_city)
    assert not permissions.can_create_learning_need(people.presidency, people.rabat)
    assert not permissions.can_state_learning_needs(people.plain_user)
    assert not permissions.can_state_learning_needs(AnonymousUser())


def test_only_the_commissions_secretariat_and_administrators_adopt_its_priorities(world):
    people, _needs = world
    from network.tests.factories import make_commission

    other = make_commission()
    assert permissions.can_adopt_agenda_priority(people.admin, people.commission)
    assert permissions.can_adopt_agenda_priority(people.secretariat, people.commission)
    assert not permissions.can_adopt_agenda_priority(people.secretariat, other)
    for user in (people.presidency, people.representative, people.plain_user, AnonymousUser()):
        assert not permissions.can_adopt_agenda_priority(user, people.commission)


def test_names_in_a_needs_history_are_for_members_and_private_demand_for_the_secretariat(world):
    people, _needs = world
    assert permissions.can_see_who_changed_learning_needs(people.representative)
    assert not permissions.can_see_who_changed_learning_needs(AnonymousUser())
    assert permissions.can_see_private_learning_demand(people.secretariat)
    assert not permissions.can_see_private_learning_demand(people.representative)
