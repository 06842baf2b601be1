"""The glossary is extended by the secretariat in the back office."""

from django.contrib import admin

from search import permissions

from . import services
from .models import GlossaryTerm


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    list_display = ("key", "terms_en", "terms_fr", "terms_es", "updated_at")
    search_fields = ("key", "terms_en", "terms_fr", "terms_es")

    def has_module_permission(self, request):
        return permissions.can_manage_glossary(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_glossary(request.user)

    def has_add_permission(self, request):
        return permissions.can_manage_glossary(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_manage_glossary(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_manage_glossary(request.user)

    def save_model(self, request, obj, form, change):
        services.save_glossary_term(
            key=obj.key,
            terms_en=obj.terms_en,
            terms_fr=obj.terms_fr,
            terms_es=obj.terms_es,
            term=obj if change else None,
            actor=request.user,
        )

    def delete_model(self, request, obj):
        services.delete_glossary_term(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for term in queryset:
            services.delete_glossary_term(term, actor=request.user)
