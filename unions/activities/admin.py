"""Admin of activities and their photos (registered through unions.admin, which Django discovers)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from federation.admin_base import TIMESTAMPS, ScopedAdmin, ScopedTabularInline, federation_subtree_filter
from unions.activities.models import Activity, ActivityPhoto


class ActivityPhotoInline(ScopedTabularInline):
    model = ActivityPhoto
    fields = ("image", "caption")


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    list_display = (
        "title",
        "category",
        "starts_on",
        "ends_on",
        "organiser_name",
        "participants",
        "beneficiaries",
        "spending",
    )
    list_select_related = ("federation", "union")
    list_filter = ("category", federation_subtree_filter("federation", "union__federation"))
    date_hierarchy = "starts_on"
    search_fields = ("title", "place")
    autocomplete_fields = ("federation", "union")
    readonly_fields = ("created_at", "updated_at")
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("title", "category", ("starts_on", "ends_on"), "place")}),
        (_("主办方（联合会或基层工会，二选一）"), {"fields": ("federation", "union")}),
        (_("参与与经费"), {"fields": ("participants", "beneficiaries", "spending", "summary")}),
        TIMESTAMPS,
    )
    inlines = (ActivityPhotoInline,)

    @admin.display(description=_("主办方"))
    def organiser_name(self, obj: Activity) -> str:
        return str(obj.organiser or "")


@admin.register(ActivityPhoto)
class ActivityPhotoAdmin(ScopedAdmin):
    list_display = ("__str__", "activity", "created_at")
    list_select_related = ("activity",)
    search_fields = ("caption", "activity__title")
    raw_id_fields = ("activity",)
    readonly_fields = ("created_at", "updated_at")
