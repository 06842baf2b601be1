from django.contrib import admin

from accounts import permissions

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the services, never edited by hand."""

    list_display = ["at", "actor", "action", "object_type", "object_repr", "commission"]
    list_filter = ["object_type", "commission"]
    search_fields = ["action", "object_repr", "object_id"]
    date_hierarchy = "at"
    list_select_related = ["actor", "commission"]
    readonly_fields = [field.name for field in AuditEntry._meta.fields]
    show_full_result_count = False  # no COUNT(*) over the whole log on every page

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if permissions.is_network_admin(request.user):
            return queryset
        # A secretariat reads the entries of its own commissions' objects.
        return queryset.filter(commission__in=permissions.scopes(request.user).secretariat)

    def has_view_permission(self, request, obj=None):
        user = request.user
        if permissions.is_network_admin(user):
            return True
        if not permissions.scopes(user).secretariat:
            return False
        return obj is None or obj.commission_id in permissions.scopes(user).secretariat

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
