"""The back office for the directory: network administrators only, writes via services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from modeltranslation.admin import TranslationAdmin

from accounts import permissions as roles

from . import services
from .models import Country, Organisation, Person, Region


class NetworkAdminOnly:
    """Every permission of these pages is asked of network.permissions."""

    def has_module_permission(self, request):
        return roles.is_network_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return roles.is_network_admin(request.user)

    def has_add_permission(self, request):
        return roles.is_network_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return roles.is_network_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return roles.is_network_admin(request.user)


@admin.register(Region)
class RegionAdmin(NetworkAdminOnly, TranslationAdmin):
    list_display = ["name", "code", "position"]
    search_fields = ["code", "name_en", "name_fr", "name_es"]

    def save_model(self, request, obj, form, change):
        services.save_region(obj, actor=request.user)


@admin.register(Country)
class CountryAdmin(NetworkAdminOnly, TranslationAdmin):
    list_display = ["name", "code", "alpha3", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["code", "alpha3", "name_en", "name_fr", "name_es"]

    def save_model(self, request, obj, form, change):
        # The country's organisations, needs and parties follow a change of region.
        services.save_country(obj, actor=request.user)


class OrganisationAdminForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name_en",
            "name_fr",
            "name_es",
            "kind",
            "country",
            "population",
            "latitude",
            "longitude",
            "working_languages",
            "membership_status",
            "website",
            "email",
            "external_ref",
        ]

    def _post_clean(self):
        super()._post_clean()
        if self.instance.country_id is None:
            return
        try:
            services.check_organisation(self.instance)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                field = "name_en" if field == "name" else field
                self.add_error(field if field in self.fields else None, messages)


@admin.register(Organisation)
class OrganisationAdmin(NetworkAdminOnly, TranslationAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "kind", "country", "region", "size_class", "membership_status"]
    list_filter = ["kind", "size_class", "membership_status", "region"]
    list_select_related = ["country", "region"]
    # The indexed, accent-free column: a search over 250,000 rows stays quick.
    search_fields = ["search_name", "external_ref"]
    readonly_fields = ["region", "size_class", "created_at", "updated_at"]
    autocomplete_fields = ["country"]
    show_full_result_count = False
    fields = [
        "name",
        "kind",
        "country",
        "region",
        "population",
        "size_class",
        "latitude",
        "longitude",
        "working_languages",
        "membership_status",
        "website",
        "email",
        "external_ref",
        "created_at",
        "updated_at",
    ]

    def save_model(self, request, obj, form, change):
        services.save_organisation(obj, actor=request.user)

    def delete_model(self, request, obj):
        services.delete_organisation(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for organisation in queryset:
            self.delete_model(request, organisation)


@admin.register(Person)
class PersonAdmin(NetworkAdminOnly, admin.ModelAdmin):
    list_display = ["last_name", "first_name", "organisation", "position", "contact_visibility"]
    list_filter = ["contact_visibility", "preferred_language"]
    list_select_related = ["organisation"]
    search_fields = ["last_name", "first_name", "email"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["user"]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        services.save_person(obj, actor=request.user)
