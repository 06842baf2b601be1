"""Who reads, states, edits and moves learning needs; who adopts agenda priorities."""

import pytest
from django.contrib.auth.models import AnonymousUser

from learning import permissions
from learning.models import NeedStatus, NeedVisibility
from learning.needs.tests.factories import make_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs(member_city, other_city):
    return {
        "rabat_published": make_need(member_city, title="Rabat published"),
        "rabat_private": make_need(
            member_city, title="Rabat private", visibility=NeedVisibility.PRIVATE
        ),
        "rabat_withdrawn": make_need(
            member_city, title="Rabat withdrawn", status=NeedStatus.WITHDRAWN
        ),
        "other_private": make_need(
            other_city, title="Other private", visibility=NeedVisibility.PRIVATE
        ),
        "other_met": make_need(other_city, title="Other met", status=NeedStatus.MET),
    }


def _visible(user, needs) -> set[str]:
    ids = set(permissions.visible_learning_needs(user).values_list("pk", flat=True))
    return {name for name, need in needs.items() if need.pk in ids}


def test_the_network_administrator_and_any_secretariat_see_every_need(
    needs, administrator, secretariat
):
    assert _visible(administrator, needs) == set(needs)
    assert _visible(secretariat, needs) == set(needs)


def test_a_city_officer_sees_its_own_needs_and_the_published_ones_not_another_citys_private(
    needs, city_officer, other_representative
):
    assert _visible(city_officer, needs) == {
        "rabat_published",
        "rabat_private",
        "rabat_withdrawn",
        "other_met",
    }
    assert _visible(other_representative, needs) == {
        "rabat_published",
        "other_private",
        "other_met",
    }


@pytest.mark.parametrize("who", ["presidency", "outsider", "anonymous"])
def test_the_presidency_a_plain_user_and_the_public_see_published_needs_only(needs, who, request):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    assert _visible(user, needs) == {"rabat_published", "other_met"}


def test_only_the_city_and_the_secretariat_edit_translate_and_move_a_need(
    needs, administrator, secretariat, city_officer, other_representative, presidency, outsider
):
    need = needs["rabat_published"]
    allowed = [administrator, secretariat, city_officer]
    refused = [other_representative, presidency, outsider, AnonymousUser()]
    for check in (
        permissions.can_edit_learning_need,
        permissions.can_translate_learning_need,
        permissions.can_change_learning_need_status,
    ):
        assert all(check(user, need) for user in allowed)
        assert not any(check(user, need) for user in refused)


def test_a_city_officer_states_needs_for_its_own_city_only(
    needs, city_officer, member_city, other_city, secretariat, presidency, outsider
):
    assert permissions.can_create_learning_need(city_officer, member_city)
    assert not permissions.can_create_learning_need(city_officer, other_city)
    assert permissions.can_create_learning_need(secretariat, other_city)
    assert not permissions.can_create_learning_need(presidency, member_city)
    assert not permissions.can_state_learning_needs(outsider)
    assert not permissions.can_state_learning_needs(AnonymousUser())


def test_only_the_commissions_secretariat_and_administrators_adopt_its_priorities(
    needs, administrator, commission, secretariat, presidency, city_officer, outsider
):
    from commissions.tests.factories import make_commission

    other = make_commission()
    assert permissions.can_adopt_agenda_priority(administrator, commission)
    assert permissions.can_adopt_agenda_priority(secretariat, commission)
    assert not permissions.can_adopt_agenda_priority(secretariat, other)
    for user in (presidency, city_officer, outsider, AnonymousUser()):
        assert not permissions.can_adopt_agenda_priority(user, commission)


def test_names_in_a_needs_history_are_for_members_and_private_demand_for_the_secretariat(
    needs, city_officer, secretariat
):
    assert permissions.can_see_who_changed_learning_needs(city_officer)
    assert not permissions.can_see_who_changed_learning_needs(AnonymousUser())
    assert permissions.can_see_private_learning_demand(secretariat)
    assert not permissions.can_see_private_learning_demand(city_officer)
