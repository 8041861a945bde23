"""Admin of members, their membership history and transfers, hardship cases and aid.

Nothing here is deletable ("nothing is lost"), and what carries rules is written through
members.services: a member joins through member_join (which writes the 入会 entry), a transfer is
requested through transfer_request, a case is opened and its figures updated through the hardship
services, aid is recorded through aid_record_create. Statuses, reviews and the transfer workflow are
read-only here: the staff UI drives them through the same services.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from federation.admin_base import (
    BIG_TABLE_PAGE,
    TIMESTAMPS,
    ReadOnlyInlineMixin,
    ScopedAdmin,
    ScopedTabularInline,
    federation_subtree_filter,
)
from federation.identifiers import mask_id_number, mask_phone
from members import flows, services
from members.choices import CaseStatus, HardshipCause
from members.models import (
    AidRecord,
    CaseDocument,
    CaseReview,
    HardshipCase,
    HouseholdMember,
    JoinApplication,
    JoinLink,
    Member,
    MemberHonour,
    MembershipChange,
    MembershipTransfer,
)
from members.models.applications import JOINING_FIELDS
from members.services.aid import AID_FIELDS
from members.services.hardship import FIGURE_FIELDS

BY_UNION_SUBTREE = federation_subtree_filter("union__federation")


def _all_fields(model) -> list[str]:
    return [f.name for f in model._meta.get_fields() if f.concrete and not f.auto_created]


# --- Members --------------------------------------------------------------------------------------


class MembershipChangeInline(ReadOnlyInlineMixin, ScopedTabularInline):
    model = MembershipChange
    fk_name = "member"
    fields = ("change_type", "changed_on", "reason", "union", "counterpart_union", "notes", "recorded_by")
    readonly_fields = fields
    verbose_name_plural = _("会籍变化（由业务办理自动记录）")


class MemberHonourInline(ScopedTabularInline):
    model = MemberHonour
    fields = ("title", "title_other", "level", "year", "awarded_by")


@admin.register(Member)
class MemberAdmin(ScopedAdmin):
    masked_fields = {"id_number": mask_id_number, "mobile": mask_phone}
    deletable = False
    list_display = (
        "name",
        "gender",
        "id_number",
        "mobile",
        "union",
        "status",
        "joined_on",
        "is_cadre",
        "is_migrant_worker",
    )
    list_select_related = ("union",)
    list_filter = (
        "status",
        "gender",
        "is_migrant_worker",
        "is_cadre",
        "employment_status",
        BY_UNION_SUBTREE,
    )
    search_fields = ("name", "=id_number", "=member_number")
    autocomplete_fields = ("union",)
    # Newest first, by the primary key: no sort over a join of 200 000 rows.
    ordering = ("-pk",)
    show_full_result_count = False
    list_per_page = BIG_TABLE_PAGE
    readonly_fields = ("status", "left_on", "created_at", "updated_at")
    fieldsets = (
        (
            _("基本信息"),
            {
                "fields": (
                    "union",
                    "name",
                    ("gender", "ethnicity"),
                    "birth_date",
                    ("id_type", "id_number"),
                    "mobile",
                )
            },
        ),
        (
            _("学历与就业"),
            {"fields": ("education", "political_status", "employment_status", "skill_grade", "job")},
        ),
        (_("户籍"), {"fields": ("hukou_type", "hukou_place", "is_migrant_worker")}),
        (_("会籍"), {"fields": ("joined_on", "member_number", "is_cadre", "status", "left_on")}),
        TIMESTAMPS,
    )
    inlines = (MembershipChangeInline, MemberHonourInline)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # Moving a member is a transfer; the join date is the date of its 入会 entry.
            readonly += ["union", "joined_on"]
        return readonly

    def save_through_service(self, request, form, change):
        if change:
            return None
        data = form.cleaned_data
        member = form.instance  # normalised by Member.clean (ID number upper-cased, phone stripped)
        fields = {name: getattr(member, name) for name in data if name not in ("union", "joined_on")}
        return services.member_join(
            union=data["union"], by=request.user, joined_on=data["joined_on"], **fields
        )

    def save_model(self, request, obj, form, change):
        # An administrator's correction of the gender, or a change of 农民工 / 工会干部, moves the
        # member's history between the columns of the membership flow.
        before = Member.objects.filter(pk=obj.pk).values(*flows.FACT_FIELDS).first() if change else None
        super().save_model(request, obj, form, change)
        if before is not None:
            flows.record_member_facts({obj.pk: flows.Facts.of(before)}, {obj.pk: flows.Facts.of(obj)})


@admin.register(MembershipChange)
class MembershipChangeAdmin(ScopedAdmin):
    """The history every status change writes. Only the reason and notes may be corrected here."""

    deletable = False
    list_display = (
        "member",
        "change_type",
        "changed_on",
        "reason",
        "union",
        "counterpart_union",
        "recorded_by",
    )
    list_select_related = ("member", "union", "counterpart_union", "recorded_by")
    list_filter = ("change_type", "reason", BY_UNION_SUBTREE)
    date_hierarchy = "changed_on"
    search_fields = ("member__name", "=member__id_number")
    ordering = ("-changed_on", "-pk")
    show_full_result_count = False
    list_per_page = BIG_TABLE_PAGE
    fields = (
        "member",
        "union",
        "change_type",
        "changed_on",
        "reason",
        "counterpart_union",
        "transfer",
        "notes",
        "recorded_by",
        "created_at",
        "updated_at",
    )
    readonly_fields = tuple(f for f in fields if f not in ("reason", "notes"))

    def has_add_permission(self, request):
        return False


@admin.register(MembershipTransfer)
class MembershipTransferAdmin(ScopedAdmin):
    """会籍转接. A request is opened here through transfer_request; approving, accepting, refusing
    and cancelling belong to the staff UI, so a transfer is read-only once opened."""

    deletable = False
    list_display = (
        "member",
        "from_union",
        "to_union",
        "status",
        "requested_on",
        "approved_on",
        "accepted_on",
    )
    list_select_related = ("member", "from_union", "to_union")
    list_filter = ("status", federation_subtree_filter("from_union__federation", "to_union__federation"))
    date_hierarchy = "requested_on"
    search_fields = ("member__name", "=member__id_number")
    raw_id_fields = ("member",)
    autocomplete_fields = ("to_union",)
    add_fields = ("member", "to_union", "reason", "requested_on")

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else _all_fields(MembershipTransfer)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else _all_fields(MembershipTransfer)

    def save_through_service(self, request, form, change):
        if change:
            return None
        data = form.cleaned_data
        return services.transfer_request(
            member=data["member"],
            to_union=data["to_union"],
            by=request.user,
            reason=data["reason"],
            requested_on=data["requested_on"],
        )


@admin.register(MemberHonour)
class MemberHonourAdmin(ScopedAdmin):
    list_display = ("member", "title", "title_other", "level", "year", "awarded_by")
    list_select_related = ("member",)
    list_filter = ("title", "level", "year", federation_subtree_filter("member__union__federation"))
    search_fields = ("member__name", "=member__id_number", "awarded_by")
    raw_id_fields = ("member",)
    readonly_fields = ("created_at", "updated_at")


# --- Hardship cases -------------------------------------------------------------------------------


class HardshipCaseForm(forms.ModelForm):
    secondary_causes = forms.MultipleChoiceField(
        label=_("次要致困原因"),
        choices=HardshipCause.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("最多选择3项，不含主要致困原因。"),
    )

    class Meta:
        model = HardshipCase
        fields = ("secondary_causes",)  # the admin adds the rest from its fieldsets


class HouseholdMemberInline(ScopedTabularInline):
    model = HouseholdMember
    fields = ("name", "relation", "annual_income", "health_status", "school_or_work")


class CaseReviewInline(ReadOnlyInlineMixin, ScopedTabularInline):
    model = CaseReview
    fields = ("kind", "reviewed_on", "reviewed_by", "notes")
    readonly_fields = fields
    verbose_name_plural = _("审核记录（初审、终审、复核/回访在业务界面办理）")


@admin.register(HardshipCase)
class HardshipCaseAdmin(ScopedAdmin):
    form = HardshipCaseForm
    deletable = False
    list_display = (
        "member",
        "union",
        "category",
        "primary_cause",
        "monthly_income_per_head",
        "opened_on",
        "last_reviewed_on",
        "status",
    )
    list_select_related = ("member", "union")
    list_filter = ("status", "category", "primary_cause", BY_UNION_SUBTREE)
    date_hierarchy = "opened_on"
    search_fields = ("member__name", "=member__id_number")
    raw_id_fields = ("member",)
    show_full_result_count = False
    list_per_page = BIG_TABLE_PAGE
    readonly_fields = (
        "union",
        "suggested_category",
        "monthly_income_per_head",
        "created_by",
        "initial_reviewed_on",
        "initial_reviewed_by",
        "final_reviewed_on",
        "final_reviewed_by",
        "last_reviewed_on",
        "status",
        "closed_on",
        "close_reason",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("member", "union", "opened_on", "created_by")}),
        (
            _("困难类别与原因"),
            {
                "fields": (
                    ("category", "suggested_category"),
                    "category_override_reason",
                    "primary_cause",
                    "secondary_causes",
                ),
                "description": _("新建档案时困难类别可留空，由系统按收入和当地低保标准建议。"),
            },
        ),
        (
            _("家庭经济状况"),
            {
                "fields": (
                    ("health_status", "disability_grade"),
                    "housing",
                    "household_size",
                    "annual_household_income",
                    ("rigid_medical", "rigid_schooling"),
                    "accident_costs",
                    "monthly_income_per_head",
                    "description",
                )
            },
        ),
        (
            _("审核"),
            {
                "fields": (
                    ("initial_reviewed_on", "initial_reviewed_by"),
                    ("final_reviewed_on", "final_reviewed_by"),
                    "last_reviewed_on",
                )
            },
        ),
        (_("档案状态"), {"fields": ("status", "closed_on", "close_reason")}),
        TIMESTAMPS,
    )
    inlines = (HouseholdMemberInline, CaseReviewInline)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += ["member", "opened_on"]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and "category" in form_class.base_fields:
            # Left empty, the service takes the category the figures suggest.
            form_class.base_fields["category"].required = False
        return form_class

    def has_change_permission(self, request, obj=None):
        # A closed case is kept as it was closed.
        if obj is not None and obj.status != CaseStatus.OPEN:
            return False
        return super().has_change_permission(request, obj)

    def save_through_service(self, request, form, change):
        data = form.cleaned_data
        figures = {name: data[name] for name in FIGURE_FIELDS if name in data}
        if change:
            return services.hardship_case_update_figures(
                case=form.instance,
                by=request.user,
                category=data["category"],
                category_override_reason=data["category_override_reason"],
                primary_cause=data["primary_cause"],
                **figures,
            )
        return services.hardship_case_open(
            member=data["member"],
            by=request.user,
            opened_on=data["opened_on"],
            primary_cause=data["primary_cause"],
            category=data.get("category") or None,
            category_override_reason=data["category_override_reason"],
            **figures,
        )


@admin.register(HouseholdMember)
class HouseholdMemberAdmin(ScopedAdmin):
    list_display = ("name", "relation", "case", "annual_income", "health_status", "school_or_work")
    list_select_related = ("case__member",)
    search_fields = ("name", "case__member__name", "=case__member__id_number")
    raw_id_fields = ("case",)
    readonly_fields = ("created_at", "updated_at")


@admin.register(CaseDocument)
class CaseDocumentAdmin(ScopedAdmin):
    """证明材料: uploaded and removed on the case page (checked by content there); shown here."""

    deletable = False
    list_display = ("case", "kind", "file_name", "uploaded_by", "created_at")
    list_select_related = ("case__member", "uploaded_by")
    list_filter = ("kind", federation_subtree_filter("case__union__federation"))
    search_fields = ("case__member__name", "=case__member__id_number", "file_name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CaseReview)
class CaseReviewAdmin(ScopedAdmin):
    """初审 / 终审 / 复核: written by hardship_case_review only; shown here."""

    deletable = False
    list_display = ("case", "kind", "reviewed_on", "reviewed_by")
    list_select_related = ("case__member", "reviewed_by")
    list_filter = ("kind", federation_subtree_filter("case__union__federation"))
    date_hierarchy = "reviewed_on"
    search_fields = ("case__member__name", "=case__member__id_number")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- Aid ------------------------------------------------------------------------------------------


@admin.register(AidRecord)
class AidRecordAdmin(ScopedAdmin):
    deletable = False
    list_display = (
        "aid_on",
        "member",
        "union",
        "kind",
        "amount",
        "goods_value",
        "students_helped",
        "fund_source",
        "handled_by",
    )
    list_select_related = ("member", "union")
    list_filter = ("kind", "fund_source", BY_UNION_SUBTREE)
    date_hierarchy = "aid_on"
    search_fields = ("member__name", "=member__id_number", "handled_by")
    raw_id_fields = ("member", "hardship_case")
    show_full_result_count = False
    list_per_page = BIG_TABLE_PAGE
    readonly_fields = ("union", "recorded_by", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("member", "hardship_case", "union", "aid_on", "kind")}),
        (
            _("金额与实物"),
            {"fields": ("amount", ("goods_description", "goods_value"), "students_helped", "fund_source")},
        ),
        (_("经办"), {"fields": ("handled_by", "notes", "recorded_by")}),
        TIMESTAMPS,
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += ["member", "hardship_case"]
        return readonly

    def save_through_service(self, request, form, change):
        if change:
            return None
        data = form.cleaned_data
        return services.aid_record_create(
            member=data["member"],
            by=request.user,
            aid_on=data["aid_on"],
            kind=data["kind"],
            amount=data["amount"],
            hardship_case=data.get("hardship_case"),
            **{name: data[name] for name in AID_FIELDS if name in data},
        )


# --- 入会申请 ---------------------------------------------------------------------------------------


@admin.register(JoinLink)
class JoinLinkAdmin(ScopedAdmin):
    """入会申请链接: created, printed and revoked on the staff pages (入会二维码); read-only here."""

    deletable = False
    list_display = ("union", "note", "created_at", "expires_on", "revoked_at", "created_by")
    list_select_related = ("union", "created_by")
    list_filter = (BY_UNION_SUBTREE,)
    search_fields = ("union__name", "note")
    fields = (
        "union",
        "note",
        "expires_on",
        "created_by",
        "revoked_at",
        "revoked_by",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


@admin.register(JoinApplication)
class JoinApplicationAdmin(ScopedAdmin):
    """入会申请: reviewed on the staff pages (members.services.applications); read-only here, and
    deleted only by the periodic clean-up (rejected or stale for 90 days)."""

    masked_fields = {"id_number": mask_id_number, "mobile": mask_phone}
    deletable = False
    list_display = ("name", "id_number", "union", "status", "created_at", "decided_at")
    list_select_related = ("union",)
    list_filter = ("status", BY_UNION_SUBTREE)
    search_fields = ("name", "=id_number", "=receipt")
    ordering = ("-pk",)
    fields = (
        "union",
        "link",
        "receipt",
        *JOINING_FIELDS,
        "employer",
        "consented_at",
        "status",
        "decided_at",
        "decided_by",
        "reject_reason",
        "member",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
