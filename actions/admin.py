"""Back office for the action plan, read-only: writes go through the services and pages."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from entrevilles.admin import ReadOnlyAdmin

from .models import Action, ActionUpdate, Workstream


@admin.register(Workstream)
class WorkstreamAdmin(TranslationAdmin, ReadOnlyAdmin):
    list_display = ["title", "position", "opened_by"]


@admin.register(Action)
class ActionAdmin(TranslationAdmin, ReadOnlyAdmin):
    list_display = ["title", "workstream", "due_date", "status", "progress", "priority"]
    list_filter = ["status", "priority", "workstream"]
    list_select_related = ["workstream"]
    search_fields = ["title_en", "title_fr", "title_es"]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(ReadOnlyAdmin):
    list_display = ["action", "created_at", "progress", "status_after"]
    list_select_related = ["action"]
