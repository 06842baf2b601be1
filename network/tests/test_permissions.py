import pytest
from django.contrib.auth.models import AnonymousUser

from network import permissions
from network.models import Visibility

from .factories import make_person, make_user
from .personas import make_personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return make_personas()


def test_network_admin_may_edit_import_and_export(people):
    assert permissions.can_edit_organisation(people.admin, people.rabat)
    assert permissions.can_create_organisation(people.admin)
    assert permissions.can_import_organisations(people.admin)
    assert permissions.can_export_directory(people.admin)
    assert permissions.can_manage_membership(people.admin, people.rabat)


def test_representative_edits_their_own_organisation_only(people):
    assert permissions.can_edit_organisation(people.representative, people.rabat)
    assert not permissions.can_edit_organisation(people.representative, people.other_city)
    assert not permissions.can_manage_membership(people.representative, people.rabat)
    assert not permissions.can_create_organisation(people.representative)
    assert not permissions.can_import_organisations(people.representative)


def test_representative_edits_and_adds_people_of_their_organisation_only(people):
    colleague = make_person(organisation=people.rabat)
    stranger = make_person(organisation=people.other_city)
    assert permissions.can_edit_person(people.representative, colleague)
    assert not permissions.can_edit_person(people.representative, stranger)
    assert permissions.can_create_person(people.representative, people.rabat)
    assert not permissions.can_create_person(people.representative, people.other_city)
    assert not permissions.can_create_person(people.representative, None)


def test_secretariat_and_presidency_may_export_but_not_edit_or_import(people):
    for user in (people.secretariat, people.presidency):
        assert permissions.can_export_directory(user)
        assert not permissions.can_edit_organisation(user, people.rabat)
        assert not permissions.can_import_organisations(user)
        assert not permissions.can_edit_person(user, make_person(organisation=people.rabat))


def test_a_person_edits_their_own_entry(people):
    user = make_user()
    me = make_person(user=user)
    assert permissions.can_edit_person(user, me)
    assert not permissions.can_edit_person(user, make_person())


def test_plain_user_and_anonymous_may_neither_edit_nor_export(people):
    for user in (people.plain_user, AnonymousUser()):
        assert not permissions.can_edit_organisation(user, people.rabat)
        assert not permissions.can_edit_person(user, make_person(organisation=people.rabat))
        assert not permissions.can_import_organisations(user)
        assert not permissions.can_export_directory(user)
        assert not permissions.can_create_organisation(user)


def test_contact_details_follow_each_persons_choice(people):
    public = make_person(contact_visibility=Visibility.PUBLIC)
    members = make_person(contact_visibility=Visibility.MEMBERS, organisation=people.other_city)
    private = make_person(contact_visibility=Visibility.PRIVATE, organisation=people.rabat)
    anonymous = AnonymousUser()
    assert permissions.can_view_contact_details(anonymous, public)
    assert not permissions.can_view_contact_details(anonymous, members)
    assert permissions.can_view_contact_details(people.secretariat, members)
    assert not permissions.can_view_contact_details(people.plain_user, members)
    assert not permissions.can_view_contact_details(people.secretariat, private)
    assert permissions.can_view_contact_details(people.representative, private)
    assert not permissions.can_view_contact_details(people.other_representative, private)
    assert permissions.can_view_contact_details(people.admin, private)
