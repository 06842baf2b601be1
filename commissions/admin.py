"""The back office for commissions.

Network administrators manage every commission; a secretariat sees and changes only its
own commissions. Every save goes through the services, so the audit log stays complete.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from accounts import permissions as roles
from commissions import permissions

from . import services
from .models import Commission, CommissionMembership, Presidency, Secretariat


class _ScopedInline(admin.TabularInline):
    extra = 0

    def has_view_permission(self, request, obj=None):
        return obj is None or permissions.can_edit_commission(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return obj is not None and permissions.can_edit_commission(request.user, obj)

    has_change_permission = has_add_permission
    has_delete_permission = has_add_permission


class PresidencyInline(_ScopedInline):
    model = Presidency
    fields = ["role", "organisation", "person", "start_date", "end_date"]
    raw_id_fields = ["organisation", "person"]


class SecretariatForm(forms.ModelForm):
    class Meta:
        model = Secretariat
        fields = ["organisation", "email", "contacts"]

    def clean(self):
        data = super().clean()
        organisation = data.get("organisation")
        for person in data.get("contacts") or []:
            if organisation is not None and person.organisation_id != organisation.pk:
                self.add_error(
                    "contacts",
                    _("%(person)s does not belong to %(organisation)s.")
                    % {"person": person.full_name, "organisation": organisation},
                )
        return data


class SecretariatInline(_ScopedInline):
    model = Secretariat
    form = SecretariatForm
    fields = ["organisation", "email", "contacts"]
    raw_id_fields = ["organisation", "contacts"]


@admin.register(Commission)
class CommissionAdmin(TabbedTranslationAdmin):
    list_display = ["name", "kind", "is_active", "slug"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    fields = ["slug", "name", "kind", "mandate", "email", "is_active"]
    inlines = [PresidencyInline, SecretariatInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=permissions.commissions_editable_by(request.user).values("pk"))
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not roles.is_network_admin(request.user):
            return ["slug", "kind", "is_active"]
        return ["slug"] if obj is not None else []

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if obj is None else {}

    def has_module_permission(self, request):
        return permissions.can_use_commission_back_office(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return permissions.can_use_commission_back_office(request.user)
        return permissions.can_edit_commission(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request):
        return permissions.can_create_commission(request.user)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return roles.is_network_admin(request.user)
        return permissions.can_delete_commission(request.user, obj)

    def save_model(self, request, obj, form, change):
        names = form.changed_data if change else form.cleaned_data
        fields = {
            name: form.cleaned_data[name] for name in names if name in services.EDITABLE_FIELDS
        }
        if change:
            fresh = Commission.objects.get(pk=obj.pk)
            services.update_commission(fresh, actor=request.user, **fields)
        else:
            created = services.create_commission(
                slug=form.cleaned_data["slug"], actor=request.user, **fields
            )
            obj.pk = created.pk
            obj._state.adding = False
            obj._state.db = created._state.db

    def delete_model(self, request, obj):
        services.delete_commission(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for commission in queryset:
            self.delete_model(request, commission)

    def save_formset(self, request, form, formset, change):
        commission = form.instance
        # The admin's change message reads these; the services do the saving.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is Presidency:
            self._save_presidencies(request, commission, formset)
        elif formset.model is Secretariat:
            self._save_secretariats(request, commission, formset)
        else:  # pragma: no cover - every inline is handled above
            super().save_formset(request, form, formset, change)

    def _save_presidencies(self, request, commission, formset):
        for inline_form in formset.deleted_forms:
            if inline_form.instance.pk:
                services.end_presidency(inline_form.instance, actor=request.user)
                formset.changed_objects.append((inline_form.instance, ["end_date"]))
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            data = inline_form.cleaned_data
            if not data:
                continue
            existing = inline_form.instance if inline_form.instance.pk else None
            if existing is not None:
                existing = Presidency.objects.get(pk=existing.pk)
            saved = services.set_presidency(
                commission,
                role=data["role"],
                organisation=data["organisation"],
                person=data.get("person"),
                start_date=data.get("start_date"),
                end_date=data.get("end_date"),
                presidency=existing,
                actor=request.user,
            )
            if existing is None:
                formset.new_objects.append(saved)
            else:
                formset.changed_objects.append((saved, inline_form.changed_data))

    def _save_secretariats(self, request, commission, formset):
        for inline_form in formset.deleted_forms:
            if inline_form.instance.pk:
                formset.deleted_objects.append(inline_form.instance)
                services.remove_secretariat(inline_form.instance, actor=request.user)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            data = inline_form.cleaned_data
            if not data:
                continue
            if inline_form.instance.pk:
                # The form has already changed the instance; compare with what is stored.
                stored = Secretariat.objects.get(pk=inline_form.instance.pk)
                if stored.organisation_id != data["organisation"].pk:
                    # Pointed at another organisation: that is another secretariat.
                    services.remove_secretariat(stored, actor=request.user)
            secretariat = services.set_secretariat(
                commission, data["organisation"], email=data.get("email", ""), actor=request.user
            )
            if inline_form.instance.pk:
                formset.changed_objects.append((secretariat, inline_form.changed_data))
            else:
                formset.new_objects.append(secretariat)
            wanted = {person.pk: person for person in data.get("contacts", [])}
            for person in secretariat.contacts.all():
                if person.pk not in wanted:
                    services.remove_secretariat_contact(secretariat, person, actor=request.user)
            for person in wanted.values():
                services.add_secretariat_contact(secretariat, person, actor=request.user)


@admin.register(CommissionMembership)
class CommissionMembershipAdmin(admin.ModelAdmin):
    """Members are managed from the commission page; this list serves bulk look-ups."""

    list_display = ["organisation", "commission", "joined_on"]
    list_filter = ["commission"]
    list_select_related = ["organisation", "commission"]
    raw_id_fields = ["organisation"]
    search_fields = ["organisation__search_name"]
    fields = ["commission", "organisation"]
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(commission__in=permissions.commissions_editable_by(request.user))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "commission":
            kwargs["queryset"] = permissions.commissions_editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return permissions.can_use_commission_back_office(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return permissions.can_use_commission_back_office(request.user)
        return permissions.can_manage_commission_members(request.user, obj.commission)

    def has_add_permission(self, request):
        return permissions.can_use_commission_back_office(request.user)

    def has_change_permission(self, request, obj=None):
        # A membership is added or removed, never re-pointed.
        return False

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not permissions.can_manage_commission_members(request.user, obj.commission):
            raise PermissionDenied
        membership, _created = services.add_member(
            obj.commission, obj.organisation, actor=request.user
        )
        obj.pk = membership.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.remove_member(obj.commission, obj.organisation, actor=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("commission", "organisation"):
            self.delete_model(request, membership)
