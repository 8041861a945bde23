"""Admin of grassroots unions, their yearly figures, elections, honours and collective contracts; the
activities' admin is in unions.activities.admin, registered by importing it here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

import unions.activities.admin  # noqa: F401 (registers the Activity and ActivityPhoto admins)
from federation.admin_base import (
    TIMESTAMPS,
    ReadOnlyInlineMixin,
    ScopedAdmin,
    ScopedTabularInline,
    federation_subtree_filter,
)
from federation.identifiers import mask_phone
from unions.models import CollectiveContract, Election, GrassrootsUnion, UnionHonour, UnionYear
from unions.services import election_record


class UnionYearInline(ScopedTabularInline):
    model = UnionYear
    fields = ("year", "employees", "women_employees", "migrant_employees")


class ElectionInline(ReadOnlyInlineMixin, ScopedTabularInline):
    """Shown on the union; an election is recorded on its own page, where election_record also
    starts the new term."""

    model = Election
    fields = ("held_on", "chair_name", "term_years", "notes", "recorded_by")
    readonly_fields = fields


class UnionHonourInline(ScopedTabularInline):
    model = UnionHonour
    fields = ("title", "title_other", "level", "year", "awarded_by")


@admin.register(GrassrootsUnion)
class GrassrootsUnionAdmin(ScopedAdmin):
    masked_fields = {"chair_phone": mask_phone}
    list_display = (
        "name",
        "employer_name",
        "federation",
        "union_type",
        "employer_nature",
        "status",
        "established_on",
        "chair_name",
        "chair_phone",
        "election_due_on",
    )
    list_select_related = ("federation",)
    list_filter = (
        "status",
        "union_type",
        "employer_nature",
        "industry",
        "full_time_chair",
        federation_subtree_filter("federation"),
    )
    date_hierarchy = "established_on"
    search_fields = ("name", "employer_name", "=credit_code")
    autocomplete_fields = ("federation",)
    readonly_fields = ("election_due_on", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("federation", "name", "employer_name", "credit_code")}),
        (
            _("单位情况"),
            {
                "fields": (
                    ("union_type", "covered_employers"),
                    ("employer_nature", "economic_type"),
                    "industry",
                    "area",
                    "address",
                )
            },
        ),
        (_("建会与状态"), {"fields": ("established_on", ("status", "status_changed_on"))}),
        (
            _("工会主席与工作人员"),
            {
                "fields": (
                    ("chair_name", "chair_phone"),
                    "full_time_chair",
                    ("full_time_staff", "part_time_staff"),
                    ("term_years", "term_started_on"),
                    "election_due_on",
                )
            },
        ),
        (
            _("组织建设"),
            {
                "fields": (
                    "has_women_committee",
                    "has_mediation_committee",
                    "has_audit_committee",
                    "has_labour_supervision",
                    "has_workers_congress",
                    "has_open_affairs",
                )
            },
        ),
        TIMESTAMPS,
    )
    inlines = (UnionYearInline, ElectionInline, UnionHonourInline)

    def get_readonly_fields(self, request, obj=None):
        # An existing union is dissolved or merged through unions.closing (撤销/合并 on its staff
        # page), which checks its members, transfers and cases first: never by editing the status.
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += ["status", "status_changed_on"]
        return readonly


@admin.register(UnionYear)
class UnionYearAdmin(ScopedAdmin):
    list_display = ("union", "year", "employees", "women_employees", "migrant_employees")
    list_select_related = ("union",)
    list_filter = ("year", federation_subtree_filter("union__federation"))
    search_fields = ("union__name",)
    autocomplete_fields = ("union",)
    readonly_fields = ("created_at", "updated_at")
    ordering = ("-year", "union__name")


@admin.register(Election)
class ElectionAdmin(ScopedAdmin):
    """换届选举, recorded through election_record: the union's chair, term length and the date its
    next election falls due follow from it. Afterwards only the notes may be corrected."""

    list_display = ("union", "held_on", "chair_name", "term_years", "recorded_by")
    list_select_related = ("union", "recorded_by")
    list_filter = ("term_years", federation_subtree_filter("union__federation"))
    date_hierarchy = "held_on"
    search_fields = ("union__name", "chair_name")
    autocomplete_fields = ("union",)
    fields = (
        "union",
        "held_on",
        "chair_name",
        "term_years",
        "notes",
        "recorded_by",
        "created_at",
        "updated_at",
    )
    readonly_fields = ("recorded_by", "created_at", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += ["union", "held_on", "chair_name", "term_years"]
        return readonly

    def save_through_service(self, request, form, change):
        if change:
            return None
        data = form.cleaned_data
        return election_record(
            union=data["union"],
            held_on=data["held_on"],
            chair_name=data["chair_name"],
            term_years=data["term_years"],
            notes=data["notes"],
            by=request.user,
        )


@admin.register(UnionHonour)
class UnionHonourAdmin(ScopedAdmin):
    list_display = ("union", "title", "title_other", "level", "year", "awarded_by")
    list_select_related = ("union",)
    list_filter = ("title", "level", "year", federation_subtree_filter("union__federation"))
    search_fields = ("union__name", "title_other", "awarded_by")
    autocomplete_fields = ("union",)
    readonly_fields = ("created_at", "updated_at")


@admin.register(CollectiveContract)
class CollectiveContractAdmin(ScopedAdmin):
    list_display = (
        "title",
        "kind",
        "scope",
        "party",
        "signed_on",
        "starts_on",
        "ends_on",
        "status",
        "covered_employees",
        "wage_increase_pct",
    )
    list_select_related = ("union", "federation")
    list_filter = (
        "kind",
        "scope",
        "status",
        federation_subtree_filter("union__federation", "federation"),
    )
    date_hierarchy = "signed_on"
    search_fields = ("title", "union__name", "federation__name")
    autocomplete_fields = ("union", "federation", "covered_unions")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "kind", "scope", "status")}),
        (
            _("签订方"),
            {
                "fields": ("union", "federation", "covered_unions"),
                "description": _("单独签订填写签订工会；区域性、行业性填写签订联合会和覆盖的基层工会。"),
            },
        ),
        (
            _("期限与内容"),
            {
                "fields": (
                    "signed_on",
                    ("starts_on", "ends_on"),
                    "covered_employees",
                    "wage_increase_pct",
                    "filed_on",
                    "scan",
                )
            },
        ),
        TIMESTAMPS,
    )

    @admin.display(description=_("签订方"))
    def party(self, obj: CollectiveContract) -> str:
        return str(obj.union or obj.federation or "")
