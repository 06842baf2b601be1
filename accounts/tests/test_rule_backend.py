"""Django's has_perm answered by each app's own rules, never widening model permissions."""

import pytest
from django.template import Context, Template

from accounts.models import Role
from learning.groups.tests.factories import make_partnership
from library.tests.factories import make_city, make_user

pytestmark = pytest.mark.django_db


def test_has_perm_asks_the_owning_app_s_rule_for_an_object():
    city, partner, outsider_city = make_city(), make_city(), make_city()
    partnership = make_partnership(parties=[partner, city], status="active")
    officer = make_user(Role.REPRESENTATIVE, organisation=city)
    outsider = make_user(Role.REPRESENTATIVE, organisation=outsider_city)

    assert officer.has_perm("learning.can_file_report", partnership)
    assert not outsider.has_perm("learning.can_file_report", partnership)


def test_a_template_asks_a_rule_without_an_object_through_perms():
    template = Template("{% if perms.meetings.can_create_meeting %}New meeting{% endif %}")
    admin, visitor = make_user(Role.NETWORK_ADMIN), make_user()

    assert template.render(Context({"perms": _perms(admin)})) == "New meeting"
    assert template.render(Context({"perms": _perms(visitor)})) == ""


def test_model_permissions_and_unknown_names_are_never_granted_through_the_rules():
    admin_of_nothing = make_user()
    assert not admin_of_nothing.has_perm("meetings.view_meeting")
    assert not admin_of_nothing.has_perm("meetings.can_no_such_rule")
    assert not admin_of_nothing.has_perm("nowhere.can_view_meeting")


def _perms(user):
    from django.contrib.auth.context_processors import PermWrapper

    return PermWrapper(user)
