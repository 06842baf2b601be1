from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts import permissions as roles

from .models import AuditEntry
from .presentation import action_label, describe, object_kind


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the services, never edited by hand."""

    list_display = ["at", "actor", "what", "kind", "object_repr", "commission"]
    list_filter = ["object_type", "commission"]
    search_fields = ["action", "object_repr", "object_id"]
    date_hierarchy = "at"
    list_select_related = ["actor", "commission"]
    # Codes and raw values stay in the database; the page shows them in words.
    fields = ["at", "actor", "what", "kind", "object_repr", "commission", "changes"]
    readonly_fields = fields
    show_full_result_count = False  # no COUNT(*) over the whole log on every page

    @admin.display(description=pgettext_lazy("audit log", "what"))
    def what(self, entry):
        return action_label(entry)

    @admin.display(description=pgettext_lazy("audit log", "kind of object"))
    def kind(self, entry):
        return object_kind(entry)

    @admin.display(description=pgettext_lazy("audit log", "changes"))
    def changes(self, entry):
        rows = describe([entry])[0].changes
        if not rows:
            return "—"
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            pgettext_lazy("audit log", "field"),
            _("before"),
            _("after"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                ((row.label, row.before or "—", row.after or "—") for row in rows),
            ),
        )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if roles.is_network_admin(request.user):
            return queryset
        # A secretariat reads the entries of its own commissions' objects.
        return queryset.filter(commission__in=roles.scopes(request.user).secretariat)

    def has_view_permission(self, request, obj=None):
        user = request.user
        if roles.is_network_admin(user):
            return True
        if not roles.scopes(user).secretariat:
            return False
        return obj is None or obj.commission_id in roles.scopes(user).secretariat

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
