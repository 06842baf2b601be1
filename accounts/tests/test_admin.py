"""The back office: open to network administrators, and to secretariats for their own
commissions; logins, roles and invitations are for network administrators only."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, RoleAssignment
from audit.models import AuditEntry
from commissions.tests.factories import make_commission
from conftest import current_code, enrol_second_factor
from network.tests.factories import make_city

from .factories import PASSWORD, grant, make_network_admin, make_user

pytestmark = pytest.mark.django_db


def test_a_network_administrator_without_the_staff_flag_uses_the_back_office(client):
    admin = make_network_admin()
    assert not admin.is_staff
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/accounts/roleassignment/add/").status_code == 200
    assert client.get(f"/admin/accounts/user/{admin.pk}/change/").status_code == 200


def test_a_network_administrator_logs_in_on_the_back_office_login_page_then_gives_a_code(
    client,
):
    admin = make_network_admin(email="alba@example.org")
    enrol_second_factor(admin)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "alba@example.org", "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    # The back office's own login page checks the password only: the code comes next.
    asked = client.get("/admin/")
    assert asked.status_code == 302
    assert asked["Location"].startswith("/accounts/two-factor/verify/")
    device = TOTPDevice.objects.get(user=admin)
    client.post(asked["Location"], {"code": current_code(device)})
    assert client.get("/admin/").status_code == 200


def test_the_back_office_login_page_refuses_people_without_access(client):
    make_user(email="nora@example.org")
    response = client.post("/admin/login/", {"username": "nora@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "no access to the back office" in response.text


def test_granting_a_role_in_the_back_office_is_audited(client):
    admin = make_network_admin()
    officer = make_user()
    commission = make_commission()
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/roleassignment/add/",
        {"user": officer.pk, "role": Role.SECRETARIAT, "commission": commission.pk},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(
        user=officer, role=Role.SECRETARIAT, commission=commission
    ).exists()
    entry = AuditEntry.objects.get(action="accounts.role.granted")
    assert entry.actor == admin
    assert entry.commission == commission


def test_a_role_with_the_wrong_scope_is_refused_with_a_message(client):
    client.force_login(make_network_admin())
    response = client.post(
        "/admin/accounts/roleassignment/add/",
        {"user": make_user().pk, "role": Role.REPRESENTATIVE, "commission": make_commission().pk},
    )
    assert response.status_code == 200
    assert "This role needs an organisation." in response.text
    assert "This role has no commission." in response.text
    assert not RoleAssignment.objects.filter(role=Role.REPRESENTATIVE).exists()


def test_withdrawing_a_role_in_the_back_office_is_audited(client):
    admin = make_network_admin()
    user = grant(make_user(), Role.REPRESENTATIVE, organisation=make_city())
    assignment = user.role_assignments.get()
    client.force_login(admin)
    response = client.post(
        f"/admin/accounts/roleassignment/{assignment.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEntry.objects.filter(action="accounts.role.withdrawn").exists()


def test_a_secretariat_enters_the_back_office_but_not_the_role_screens(client):
    secretariat = make_user()
    grant(secretariat, Role.SECRETARIAT, commission=make_commission())
    client.force_login(secretariat)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 403
    assert client.get("/admin/accounts/roleassignment/add/").status_code == 403
    response = client.post(
        "/admin/accounts/roleassignment/add/",
        {"user": secretariat.pk, "role": Role.NETWORK_ADMIN},
    )
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(role=Role.NETWORK_ADMIN).exists()


@pytest.mark.parametrize("role", [None, Role.PRESIDENCY, Role.REPRESENTATIVE])
def test_presidencies_representatives_and_plain_users_are_kept_out(client, role):
    user = make_user()
    if role == Role.PRESIDENCY:
        grant(user, role, commission=make_commission())
    elif role == Role.REPRESENTATIVE:
        grant(user, role, organisation=make_city())
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get("/admin/accounts/user/").status_code == 302


def test_visitors_are_sent_to_the_back_office_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# CommissionScopedAdmin, as the commissions and meetings apps use it.


def _scoped_presidency_admin():
    from django.contrib.admin import AdminSite, ModelAdmin

    from accounts.admin import CommissionScopedAdmin
    from commissions.models import Presidency

    class PresidencyAdmin(CommissionScopedAdmin, ModelAdmin):
        pass

    return PresidencyAdmin(Presidency, AdminSite(name="scoped-test"))


def _request(rf, user):
    request = rf.get("/admin/")
    request.user = user
    return request


def test_a_secretariat_sees_and_edits_only_its_own_commissions_rows(rf):
    from commissions.models import Presidency

    planning, digital = make_commission(), make_commission()
    ours = Presidency.objects.create(
        commission=planning, organisation=make_city(), role="president"
    )
    theirs = Presidency.objects.create(
        commission=digital, organisation=make_city(), role="president"
    )
    secretariat = make_user()
    grant(secretariat, Role.SECRETARIAT, commission=planning)
    model_admin = _scoped_presidency_admin()
    request = _request(rf, secretariat)

    assert list(model_admin.get_queryset(request)) == [ours]
    assert model_admin.has_change_permission(request, ours)
    assert not model_admin.has_change_permission(request, theirs)
    assert not model_admin.has_delete_permission(request, theirs)
    field = model_admin.formfield_for_foreignkey(Presidency._meta.get_field("commission"), request)
    assert list(field.queryset) == [planning]


def test_a_network_administrator_sees_every_commissions_rows(rf):
    from commissions.models import Presidency

    for _ in range(2):
        Presidency.objects.create(
            commission=make_commission(), organisation=make_city(), role="president"
        )
    model_admin = _scoped_presidency_admin()
    request = _request(rf, make_network_admin())
    assert model_admin.get_queryset(request).count() == 2
    assert model_admin.has_change_permission(request, Presidency.objects.first())


@pytest.mark.parametrize("role", [None, Role.PRESIDENCY])
def test_scoped_admins_stay_closed_to_people_without_back_office_access(rf, role):
    user = make_user()
    if role:
        grant(user, role, commission=make_commission())
    model_admin = _scoped_presidency_admin()
    request = _request(rf, user)
    assert not model_admin.has_module_permission(request)
    assert not model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert model_admin.get_queryset(request).count() == 0


def test_a_network_administrator_creates_a_login_by_email_in_the_back_office(client):
    from accounts.models import User

    client.force_login(make_network_admin())
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "New.Officer@example.org",
            "usable_password": "true",
            "password1": "Durban-2026-planning",
            "password2": "Durban-2026-planning",
        },
    )
    assert response.status_code == 302, response.text
    user = User.objects.get(email__iexact="new.officer@example.org")
    assert user.check_password("Durban-2026-planning")


def test_roles_granted_on_a_users_page_go_through_the_audited_service(client):
    admin = make_network_admin()
    officer = make_user(email="officer@example.org")
    commission = make_commission()
    client.force_login(admin)
    response = client.post(
        f"/admin/accounts/user/{officer.pk}/change/",
        {
            "email": "officer@example.org",
            "first_name": "Ana",
            "last_name": "Officer",
            "preferred_language": "en",
            "is_active": "on",
            "role_assignments-TOTAL_FORMS": "1",
            "role_assignments-INITIAL_FORMS": "0",
            "role_assignments-0-role": Role.PRESIDENCY,
            "role_assignments-0-commission": commission.pk,
            "role_assignments-0-organisation": "",
        },
    )
    assert response.status_code == 302, response.text
    assert officer.role_assignments.get().commission == commission
    entry = AuditEntry.objects.get(action="accounts.role.granted")
    assert entry.actor == admin
