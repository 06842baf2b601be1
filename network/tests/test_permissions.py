import pytest
from django.contrib.auth.models import AnonymousUser

from network import permissions
from network.models import Visibility

from .factories import make_person, make_user

pytestmark = pytest.mark.django_db


def test_network_admin_may_edit_import_and_export(administrator, member_city):
    assert permissions.can_edit_organisation(administrator, member_city)
    assert permissions.can_create_organisation(administrator)
    assert permissions.can_import_organisations(administrator)
    assert permissions.can_export_directory(administrator)
    assert permissions.can_manage_membership(administrator, member_city)


def test_representative_edits_their_own_organisation_only(city_officer, member_city, other_city):
    assert permissions.can_edit_organisation(city_officer, member_city)
    assert not permissions.can_edit_organisation(city_officer, other_city)
    assert not permissions.can_manage_membership(city_officer, member_city)
    assert not permissions.can_create_organisation(city_officer)
    assert not permissions.can_import_organisations(city_officer)


def test_representative_edits_and_adds_people_of_their_organisation_only(
    member_city, other_city, city_officer
):
    colleague = make_person(organisation=member_city)
    stranger = make_person(organisation=other_city)
    assert permissions.can_edit_person(city_officer, colleague)
    assert not permissions.can_edit_person(city_officer, stranger)
    assert permissions.can_create_person(city_officer, member_city)
    assert not permissions.can_create_person(city_officer, other_city)
    assert not permissions.can_create_person(city_officer, None)


def test_secretariat_and_presidency_may_export_but_not_edit_or_import(
    secretariat, presidency, member_city
):
    for user in (secretariat, presidency):
        assert permissions.can_export_directory(user)
        assert not permissions.can_edit_organisation(user, member_city)
        assert not permissions.can_import_organisations(user)
        assert not permissions.can_edit_person(user, make_person(organisation=member_city))


def test_a_person_edits_their_own_entry():
    user = make_user()
    me = make_person(user=user)
    assert permissions.can_edit_person(user, me)
    assert not permissions.can_edit_person(user, make_person())


def test_plain_user_and_anonymous_may_neither_edit_nor_export(outsider, member_city):
    for user in (outsider, AnonymousUser()):
        assert not permissions.can_edit_organisation(user, member_city)
        assert not permissions.can_edit_person(user, make_person(organisation=member_city))
        assert not permissions.can_import_organisations(user)
        assert not permissions.can_export_directory(user)
        assert not permissions.can_create_organisation(user)


def test_contact_details_follow_each_persons_choice(
    other_city,
    member_city,
    secretariat,
    outsider,
    city_officer,
    other_representative,
    administrator,
):
    public = make_person(contact_visibility=Visibility.PUBLIC)
    members = make_person(contact_visibility=Visibility.MEMBERS, organisation=other_city)
    private = make_person(contact_visibility=Visibility.PRIVATE, organisation=member_city)
    anonymous = AnonymousUser()
    assert permissions.can_view_contact_details(anonymous, public)
    assert not permissions.can_view_contact_details(anonymous, members)
    assert permissions.can_view_contact_details(secretariat, members)
    assert not permissions.can_view_contact_details(outsider, members)
    assert not permissions.can_view_contact_details(secretariat, private)
    assert permissions.can_view_contact_details(city_officer, private)
    assert not permissions.can_view_contact_details(other_representative, private)
    assert permissions.can_view_contact_details(administrator, private)
