"""Admin of federations, their yearly figures and accounts, and of import and export records."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from federation import scoping
from federation.admin_base import (
    TIMESTAMPS,
    HistoryAdmin,
    IdentifierMaskingMixin,
    ScopedAdmin,
    ScopedAdminMixin,
    ScopedTabularInline,
    federation_subtree_filter,
)
from federation.identifiers import mask_phone
from federation.models import (
    ExportJob,
    Federation,
    FederationYear,
    ImportBatch,
    User,
)
from federation.permission_names import PermissionPickerMixin


class FederationYearInline(ScopedTabularInline):
    model = FederationYear
    fields = (
        "year",
        "employers_should_unionise",
        "employees_in_jurisdiction",
        "min_living_standard",
        "notes",
    )


@admin.register(Federation)
class FederationAdmin(ScopedAdmin):
    masked_fields = {"contact_phone": mask_phone}
    list_display = ("name", "short_name", "level", "parent", "chair_name", "contact_phone", "established_on")
    list_select_related = ("parent",)
    list_filter = ("level",)
    search_fields = ("name", "short_name")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "short_name", "level", "parent", "path")}),
        (_("联系信息"), {"fields": ("address", "chair_name", "contact_phone", "established_on")}),
        TIMESTAMPS,
    )
    inlines = (FederationYearInline,)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # Staff keep the federations below their own; their own federation stays where it hangs.
        if (
            obj is not None
            and not scoping.is_administrator(request.user)
            and obj.pk == request.user.federation_id
        ):
            readonly.append("parent")
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent" and not scoping.is_administrator(request.user):
            # A federation without a parent is a new tree: only administrators start one.
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(FederationYear)
class FederationYearAdmin(ScopedAdmin):
    list_display = (
        "federation",
        "year",
        "employers_should_unionise",
        "employees_in_jurisdiction",
        "min_living_standard",
    )
    list_select_related = ("federation",)
    list_filter = ("year", "federation__level", federation_subtree_filter("federation"))
    search_fields = ("federation__name",)
    autocomplete_fields = ("federation",)
    readonly_fields = ("created_at", "updated_at")
    ordering = ("-year", "federation__path")


@admin.register(User)
class UserAdmin(PermissionPickerMixin, IdentifierMaskingMixin, HistoryAdmin, DjangoUserAdmin):
    """Accounts, roles and bindings: administrators only. The permission 可查看完整身份证号和手机号
    (federation.view_full_identifiers) is granted here, directly or through a group."""

    masked_fields = {"phone": mask_phone}
    list_display = (
        "username",
        "last_name",
        "first_name",
        "role",
        "federation",
        "union",
        "phone",
        "is_active",
        "is_staff",
        "last_login",
    )
    list_select_related = ("federation", "union")
    list_filter = (
        "role",
        ("federation", admin.RelatedOnlyFieldListFilter),
        "is_active",
        "is_staff",
        "groups",
    )
    search_fields = ("username", "last_name", "first_name", "email", "phone")
    autocomplete_fields = ("federation", "union")
    role_fieldset = (_("角色与归属"), {"fields": ("role", "federation", "union", "phone")})
    fieldsets = (*DjangoUserAdmin.fieldsets[:2], role_fieldset, *DjangoUserAdmin.fieldsets[2:])
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, role_fieldset)

    def _administrator(self, request) -> bool:
        return scoping.is_administrator(request.user)

    def has_module_permission(self, request):
        return self._administrator(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._administrator(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self._administrator(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._administrator(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._administrator(request) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only a superuser makes another superuser.
            readonly.append("is_superuser")
        return readonly


class ReadOnlyAdminMixin:
    """A record made elsewhere (the staff pages, the CLI): shown, never added, changed or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """The record of every import (read-only: imports are made in the staff pages or the CLI)."""

    list_display = ("file_name", "kind", "status", "union", "federation", "created_by", "created_at")
    list_select_related = ("union", "federation", "created_by")
    list_filter = ("kind", "status")
    search_fields = ("file_name", "sha256", "union__name", "federation__name")
    fields = (
        "kind",
        "status",
        "federation",
        "union",
        "year",
        "created_by",
        "file_name",
        "file_size",
        "sha256",
        "rows_total",
        "rows_created",
        "rows_updated",
        "rows_unchanged",
        "rows_rejected",
        "conflicts",
        "message",
        "created_at",
        "committed_at",
    )
    readonly_fields = fields


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Background list exports (read-only: made from the lists' ?format=xlsx; the file is not linked)."""

    list_display = ("title", "status", "rows_total", "created_by", "created_at", "finished_at")
    list_select_related = ("created_by",)
    list_filter = ("status",)
    fields = (
        "kind",
        "title",
        "status",
        "created_by",
        "query",
        "rows_done",
        "rows_total",
        "file_name",
        "created_at",
        "finished_at",
    )
    readonly_fields = fields


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(PermissionPickerMixin, DjangoGroupAdmin):
    """Django's, with the permissions in Chinese and the privacy permission first."""
