"""Back office of partnership monitoring: the criteria partnerships score themselves on
and the indicators they report, in the three languages. Rows are retired (not in use)
rather than deleted, since filed reports refer to them."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from learning.models import AssessmentCriterion, Indicator
from learning.partnerships import permissions, services


class MonitoringReferenceAdmin(TranslationAdmin):
    def has_module_permission(self, request):
        return permissions.can_manage_monitoring_criteria(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_monitoring_criteria(request.user)

    has_add_permission = has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.save_monitoring_reference(obj, actor=request.user)


@admin.register(AssessmentCriterion)
class AssessmentCriterionAdmin(MonitoringReferenceAdmin):
    list_display = ("name_en", "name_fr", "name_es", "position", "is_active")
    list_editable = ("position", "is_active")


@admin.register(Indicator)
class IndicatorAdmin(MonitoringReferenceAdmin):
    list_display = ("name_en", "name_fr", "name_es", "unit", "position", "is_active")
