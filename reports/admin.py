"""Admin of the summary drafts and the finalised versions (read-only: a version is frozen)."""

from django.contrib import admin

from federation.admin_base import ScopedAdmin, ScopedAdminMixin
from reports import services
from reports.models import SummaryDraft, SummaryVersion


@admin.register(SummaryDraft)
class SummaryDraftAdmin(ScopedAdmin):
    list_display = ("federation", "union", "year", "period", "updated_by", "updated_at")
    list_select_related = ("federation", "union", "updated_by")
    list_filter = ("year", "period")
    search_fields = ("federation__name", "union__name")
    autocomplete_fields = ("federation", "union")
    readonly_fields = ("updated_by", "created_at", "updated_at")

    def has_change_permission(self, request, obj=None):
        """A finalised summary's text is locked here as on the summary's edit page (until 重新打开)."""
        if obj is not None and services.current_version(obj.subject, obj.year, obj.period) is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and services.current_version(obj.subject, obj.year, obj.period) is not None:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(SummaryVersion)
class SummaryVersionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "federation",
        "union",
        "year",
        "period",
        "number",
        "finalised_by",
        "created_at",
        "reopened_at",
    )
    list_select_related = ("federation", "union", "finalised_by")
    list_filter = ("year", "period")
    search_fields = ("federation__name", "union__name")
    fields = (
        "federation",
        "union",
        "year",
        "period",
        "number",
        "pdf_sha256",
        "finalised_by",
        "created_at",
        "reopened_at",
        "reopened_by",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
