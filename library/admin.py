"""Back office of the knowledge base: the taxonomies are edited here (through the
services, so each change is audited); experiences and documents are shown read-only,
since their pages carry the review and publication workflow."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from accounts import permissions as roles
from entrevilles import admin as entrevilles_admin
from search import permissions as search_permissions

from . import services
from .models import SDG, Document, Experience, PlanningPrinciple, Theme


class TaxonomyAdmin(TranslationAdmin):
    def has_module_permission(self, request):
        return search_permissions.can_manage_glossary(request.user)

    def has_view_permission(self, request, obj=None):
        return search_permissions.can_manage_glossary(request.user)

    has_add_permission = has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        # Tagged content refers to these rows; retire a label by renaming it.
        return False

    def save_model(self, request, obj, form, change):
        services.save_taxonomy_entry(obj, actor=request.user)


@admin.register(Theme)
class ThemeAdmin(TaxonomyAdmin):
    list_display = ("key", "label_en", "label_fr", "label_es", "position")
    search_fields = ("key", "label_en", "label_fr", "label_es")


@admin.register(SDG)
class SDGAdmin(TaxonomyAdmin):
    list_display = ("number", "title_en", "title_fr", "title_es")


@admin.register(PlanningPrinciple)
class PlanningPrincipleAdmin(TaxonomyAdmin):
    list_display = ("number", "title_en", "title_fr", "title_es")


class AdministratorsReadOnly(entrevilles_admin.ReadOnlyAdmin):
    """Shown to the network's administrators only."""

    def has_module_permission(self, request):
        return roles.is_network_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return roles.is_network_admin(request.user)


@admin.register(Experience)
class ExperienceAdmin(AdministratorsReadOnly):
    list_display = ("title", "city", "original_language", "status", "published_at")
    list_filter = ("status", "original_language")
    list_select_related = ("city",)
    search_fields = ("title_en", "title_fr", "title_es")
    raw_id_fields = ("city", "contact")


@admin.register(Document)
class DocumentAdmin(AdministratorsReadOnly):
    list_display = ("title", "kind", "date", "status", "visibility")
    list_filter = ("kind", "status", "visibility")
    search_fields = ("title_en", "title_fr", "title_es")
