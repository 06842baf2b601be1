"""The back office for logins, roles and invitations.

Who enters the admin site is decided by accounts.permissions.can_use_admin: network
administrators, and commission secretariats. Django's `is_staff` flag is not needed.
Network administrators hold every Django permission (accounts.backends), so every
model admin works for them. Secretariats see only the admins built on CommissionScopedAdmin
below, limited to their own commissions' rows. The screens below belong to network administrators alone; their writes go
through accounts.services so that each one is audited.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from . import authentication, permissions, services
from .forms import EmailAuthenticationForm
from .models import Invitation, RoleAssignment, User


def _admin_site_has_permission(request) -> bool:
    return permissions.can_use_admin(request.user)


class RecentCheckForRoles:
    """Pages that change roles ask for the password (and code) again when the last
    confirmation is older than settings.REAUTHENTICATION_MINUTES."""

    def _check(self, request):
        if not authentication.recently_checked(request):
            return redirect(authentication.confirm_url(request))
        return None

    def changeform_view(self, request, *args, **kwargs):
        return self._check(request) or super().changeform_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._check(request) or super().delete_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        if request.method == "POST":  # bulk actions, such as deleting assignments
            refused = self._check(request)
            if refused:
                return refused
        return super().changelist_view(request, *args, **kwargs)


class BackOfficeLoginForm(EmailAuthenticationForm):
    """The admin's own login page, asking accounts.permissions instead of `is_staff`."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not permissions.can_use_admin(user):
            raise ValidationError(
                _("This account has no access to the back office."), code="no_back_office"
            )


admin.site.has_permission = _admin_site_has_permission
admin.site.login_form = BackOfficeLoginForm
admin.site.site_header = _("Entrevilles back office")
admin.site.site_title = _("Entrevilles back office")
admin.site.index_title = _("Administration")


class NetworkAdminOnly:
    """Every action on these screens is for network administrators."""

    def has_module_permission(self, request):
        return permissions.can_manage_roles(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_roles(request.user)

    def has_add_permission(self, request):
        return permissions.can_manage_roles(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_manage_roles(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_manage_roles(request.user)


class CommissionScopedAdmin:
    """Mixin for the admin of a model that belongs to a commission.

    Network administrators see every row; a secretariat sees, edits and adds only the
    rows of its own commissions, and may pick only those commissions in forms, so a
    forged post for another commission fails validation. `commission_path` is the
    lookup from the model to its commission id ("commission_id", "meeting__commission_id",
    or "id" for the Commission model itself). Writes should still go through the app's
    services (override save_model/delete_model).
    """

    commission_path = "commission_id"

    def _commission_id_of(self, obj):
        value = obj
        for part in self.commission_path.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        managed = permissions.back_office_commission_ids(request.user)
        if managed is None:
            return queryset
        return queryset.filter(**{f"{self.commission_path}__in": managed})

    def has_module_permission(self, request):
        return permissions.can_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return permissions.can_use_admin(request.user)
        return permissions.can_manage_commission_in_back_office(
            request.user, self._commission_id_of(obj)
        )

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def has_add_permission(self, request, *args):
        return permissions.can_use_admin(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        managed = permissions.back_office_commission_ids(request.user)
        if managed is not None and db_field.related_model._meta.label == "commissions.Commission":
            kwargs["queryset"] = db_field.related_model.objects.filter(pk__in=managed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RoleAssignmentInline(NetworkAdminOnly, admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ["role", "commission", "organisation", "granted_at"]
    readonly_fields = ["granted_at"]
    raw_id_fields = ["organisation"]

    def has_add_permission(self, request, obj=None):
        return permissions.can_manage_roles(request.user)

    def has_change_permission(self, request, obj=None):
        # A role is granted or withdrawn, never edited in place, so every change is
        # one audited grant or withdrawal.
        return False


class EmailUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(RecentCheckForRoles, NetworkAdminOnly, DjangoUserAdmin):
    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "preferred_language", "is_active"]
    list_filter = ["is_active", "preferred_language", "role_assignments__role"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [RoleAssignmentInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal information"), {"fields": ["first_name", "last_name", "preferred_language"]}),
        (_("Access"), {"fields": ["is_active"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "usable_password", "password1", "password2"],
            },
        )
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_inlines(self, request, obj):
        # Roles are granted once the login exists, on its change page.
        return self.inlines if obj is not None else []

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        assignments = formset.save(commit=False)
        for assignment in formset.deleted_objects:
            services.withdraw_role(assignment, actor=request.user)
        for assignment in assignments:
            services.grant_role(
                form.instance,
                assignment.role,
                commission=assignment.commission,
                organisation=assignment.organisation,
                actor=request.user,
            )
        return None


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(RecentCheckForRoles, NetworkAdminOnly, admin.ModelAdmin):
    list_display = ["user", "role", "commission", "organisation", "granted_at"]
    list_filter = ["role", "commission"]
    search_fields = ["user__email", "user__last_name", "organisation__search_name"]
    list_select_related = ["user", "commission", "organisation"]
    raw_id_fields = ["user", "organisation"]
    fields = ["user", "role", "commission", "organisation"]

    def has_change_permission(self, request, obj=None):
        # Viewing yes, editing in place no: withdraw and grant instead.
        return False

    def save_model(self, request, obj, form, change):
        assignment = services.grant_role(
            obj.user,
            obj.role,
            commission=obj.commission,
            organisation=obj.organisation,
            actor=request.user,
        )
        obj.pk = assignment.pk

    def delete_model(self, request, obj):
        services.withdraw_role(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for assignment in queryset.select_related("user", "commission"):
            services.withdraw_role(assignment, actor=request.user)


@admin.register(Invitation)
class InvitationAdmin(NetworkAdminOnly, admin.ModelAdmin):
    list_display = ["email", "role", "commission", "organisation", "created_at", "status"]
    list_filter = ["role"]
    search_fields = ["email"]
    list_select_related = ["commission", "organisation"]
    readonly_fields = [
        field.name for field in Invitation._meta.fields if field.name not in ("id", "token")
    ]
    exclude = ["token"]
    actions = ["revoke"]

    @admin.display(description=_("status"))
    def status(self, obj):
        return obj.get_status_display()

    def has_add_permission(self, request):
        # Invitations are sent from the invitation page, which mails them.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected invitations"))
    def revoke(self, request, queryset):
        for invitation in queryset.filter(accepted_at=None, revoked_at=None):
            services.revoke_invitation(invitation, actor=request.user)
