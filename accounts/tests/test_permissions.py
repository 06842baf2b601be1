"""Every role's allowed and refused cases for the core permission functions.

Personas: Alba administers the network; Sekou runs the secretariat of the planning
commission; Paula holds its presidency; Rui represents Rabat, a member of that
commission; Nora is signed in with no role; anonymous is nobody.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import permissions
from accounts.models import Role
from commissions.tests.factories import make_commission, make_membership
from network import permissions as network_permissions
from network.models import Visibility
from network.tests.factories import make_city, make_person

from .factories import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    planning = make_commission(slug="planning")
    digital = make_commission(slug="digital")
    rabat = make_city(name="Rabat")
    durban = make_city(name="Durban")
    outsider_city = make_city(name="Lyon")
    make_membership(planning, rabat)
    make_membership(planning, durban)
    alba = make_user(email="alba@example.org")
    grant(alba, Role.NETWORK_ADMIN)
    sekou = make_user(email="sekou@example.org")
    grant(sekou, Role.SECRETARIAT, commission=planning)
    paula = make_user(email="paula@example.org")
    grant(paula, Role.PRESIDENCY, commission=planning)
    rui = make_user(email="rui@example.org")
    grant(rui, Role.REPRESENTATIVE, organisation=rabat)
    nora = make_user(email="nora@example.org")
    return SimpleNamespace(
        planning=planning,
        digital=digital,
        rabat=rabat,
        durban=durban,
        lyon=outsider_city,
        alba=alba,
        sekou=sekou,
        paula=paula,
        rui=rui,
        nora=nora,
        anonymous=AnonymousUser(),
    )


def test_only_the_network_administrator_and_superusers_are_network_administrators(world):
    superuser = make_user(is_superuser=True)
    assert permissions.is_network_admin(world.alba)
    assert permissions.is_network_admin(superuser)
    for user in (world.sekou, world.paula, world.rui, world.nora, world.anonymous, None):
        assert not permissions.is_network_admin(user)


def test_a_disabled_account_holds_no_role(world):
    world.alba.is_active = False
    permissions.forget_scopes(world.alba)
    assert not permissions.is_network_admin(world.alba)


def test_secretariat_and_presidency_are_scoped_to_their_own_commission(world):
    assert permissions.is_secretariat_of(world.sekou, world.planning)
    assert not permissions.is_secretariat_of(world.sekou, world.digital)
    assert permissions.is_presidency_of(world.paula, world.planning)
    assert not permissions.is_presidency_of(world.paula, world.digital)
    assert not permissions.is_secretariat_of(world.paula, world.planning)
    for user in (world.alba, world.rui, world.nora, world.anonymous):
        assert not permissions.is_secretariat_of(user, world.planning)
        assert not permissions.is_presidency_of(user, world.planning)


def test_a_representative_represents_only_its_own_organisation(world):
    assert permissions.represents(world.rui, world.rabat)
    assert not permissions.represents(world.rui, world.durban)
    for user in (world.alba, world.sekou, world.paula, world.nora, world.anonymous):
        assert not permissions.represents(user, world.rabat)


def test_roles_are_read_in_one_query_per_user(world, django_assert_num_queries):
    permissions.forget_scopes(world.sekou)
    with django_assert_num_queries(1):
        permissions.is_secretariat_of(world.sekou, world.planning)
        permissions.is_presidency_of(world.sekou, world.planning)
        permissions.represents(world.sekou, world.rabat)


def test_the_roles_of_many_people_are_read_in_one_query(world, django_assert_num_queries):
    from accounts.models import User

    people = list(
        User.objects.filter(
            pk__in=[world.alba.pk, world.sekou.pk, world.rui.pk, world.nora.pk]
        ).order_by("email")
    )
    with django_assert_num_queries(1):
        permissions.remember_scopes(people)
    alba, nora, rui, sekou = people
    with django_assert_num_queries(0):
        assert permissions.is_network_admin(alba)
        assert permissions.is_secretariat_of(sekou, world.planning)
        assert not permissions.is_secretariat_of(sekou, world.digital)
        assert permissions.represents(rui, world.rabat)
        assert not permissions.represents(nora, world.rabat)
        assert not permissions.is_network_admin(nora)


def test_only_network_administrators_read_the_mailbox(world):
    assert permissions.can_read_mailbox(world.alba)
    for user in (world.sekou, world.paula, world.rui, world.nora, world.anonymous):
        assert not permissions.can_read_mailbox(user)


def test_the_back_office_opens_to_administrators_and_secretariats_only(world):
    assert permissions.can_use_admin(world.alba)
    assert permissions.can_use_admin(world.sekou)
    for user in (world.paula, world.rui, world.nora, world.anonymous):
        assert not permissions.can_use_admin(user)
    assert permissions.can_manage_roles(world.alba)
    for user in (world.sekou, world.paula, world.rui, world.nora, world.anonymous):
        assert not permissions.can_manage_roles(user)


# Contact visibility: public / members only / private, seen by each kind of reader.


@pytest.fixture
def contacts(world):
    owner_login = make_user(email="owner@example.org")
    people = {
        visibility: make_person(organisation=world.rabat, contact_visibility=visibility, user=None)
        for visibility in Visibility.values
    }
    return SimpleNamespace(people=people, owner_login=owner_login)


@pytest.mark.parametrize(
    ("reader", "public", "members", "private"),
    [
        ("anonymous", True, False, False),
        ("nora", True, False, False),  # signed in, no role, no directory entry
        ("member", True, True, False),  # signed in with a directory entry elsewhere
        ("paula", True, True, False),  # a presidency is a member, not a manager of Rabat
        ("sekou", True, True, False),
        ("rui", True, True, True),  # represents the person's organisation
        ("alba", True, True, True),
    ],
)
def test_contact_details_follow_the_persons_visibility_choice(
    world, contacts, reader, public, members, private
):
    if reader == "member":
        user = make_user()
        make_person(organisation=world.durban, user=user)
    else:
        user = getattr(world, reader)
    seen = {
        visibility: network_permissions.can_view_contact_details(user, person)
        for visibility, person in contacts.people.items()
    }
    assert seen == {"public": public, "members": members, "private": private}


def test_a_person_always_sees_their_own_private_contact_details(world):
    me = make_user()
    person = make_person(organisation=world.lyon, contact_visibility="private", user=me)
    assert network_permissions.can_view_contact_details(me, person)
    assert not network_permissions.can_view_contact_details(world.nora, person)
    assert not network_permissions.can_view_contact_details(world.rui, person)


# Invitations.


def test_a_network_administrator_may_invite_to_every_role(world):
    alba = world.alba
    assert permissions.can_invite(alba, Role.NETWORK_ADMIN)
    assert permissions.can_invite(alba, Role.SECRETARIAT, commission=world.digital)
    assert permissions.can_invite(alba, Role.PRESIDENCY, commission=world.digital)
    assert permissions.can_invite(alba, Role.REPRESENTATIVE, organisation=world.lyon)


def test_a_secretariat_invites_within_its_own_commission_and_its_members(world):
    sekou = world.sekou
    assert permissions.can_invite(sekou, Role.SECRETARIAT, commission=world.planning)
    assert permissions.can_invite(sekou, Role.PRESIDENCY, commission=world.planning)
    assert permissions.can_invite(sekou, Role.REPRESENTATIVE, organisation=world.rabat)
    assert not permissions.can_invite(sekou, Role.SECRETARIAT, commission=world.digital)
    assert not permissions.can_invite(sekou, Role.REPRESENTATIVE, organisation=world.lyon)
    assert not permissions.can_invite(sekou, Role.NETWORK_ADMIN)


def test_a_representative_invites_colleagues_of_its_own_organisation_only(world):
    rui = world.rui
    assert permissions.can_invite(rui, Role.REPRESENTATIVE, organisation=world.rabat)
    assert not permissions.can_invite(rui, Role.REPRESENTATIVE, organisation=world.durban)
    assert not permissions.can_invite(rui, Role.SECRETARIAT, commission=world.planning)
    assert not permissions.can_invite(rui, Role.NETWORK_ADMIN)


@pytest.mark.parametrize("persona", ["paula", "nora", "anonymous"])
def test_presidencies_plain_users_and_visitors_invite_nobody(world, persona):
    user = getattr(world, persona)
    assert not permissions.can_invite_anyone(user)
    assert not permissions.can_invite(user, Role.REPRESENTATIVE, organisation=world.rabat)
    assert not permissions.can_invite(user, Role.PRESIDENCY, commission=world.planning)
    assert not permissions.can_invite(user, Role.NETWORK_ADMIN)


def test_a_role_with_the_wrong_scope_is_refused_even_to_administrators(world):
    alba = world.alba
    assert not permissions.can_invite(alba, Role.SECRETARIAT)
    assert not permissions.can_invite(alba, Role.SECRETARIAT, organisation=world.rabat)
    assert not permissions.can_invite(alba, Role.REPRESENTATIVE, commission=world.planning)
    assert not permissions.can_invite(alba, Role.NETWORK_ADMIN, commission=world.planning)
    assert not permissions.can_invite(alba, "emperor")


def test_invitable_scopes_match_who_may_invite(world):
    assert set(permissions.invitable_commissions(world.sekou)) == {world.planning}
    assert set(permissions.invitable_organisations(world.sekou)) == {world.rabat, world.durban}
    assert set(permissions.invitable_organisations(world.rui)) == {world.rabat}
    assert not permissions.invitable_commissions(world.rui).exists()
    assert set(permissions.invitable_commissions(world.alba)) == {world.planning, world.digital}
    assert not permissions.invitable_organisations(world.nora).exists()


def test_own_profile_is_editable_by_its_owner_only(world):
    me = make_user()
    person = make_person(user=me)
    assert network_permissions.can_edit_own_profile(me, person)
    for user in (world.alba, world.nora, world.anonymous):
        assert not network_permissions.can_edit_own_profile(user, person)
