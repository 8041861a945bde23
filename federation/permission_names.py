"""Permissions as the admin shows them: in Chinese, the privacy permission first.

Django names a model's permissions once, when it creates them, from the model's untranslated name
("Can add 会员", "Can view log entry"), and never renames them. `name_permissions_in_chinese` runs after
every `migrate` (post_migrate, after Django has created the permissions) and renames each model's
default permissions 「可添加会员」「可查看日志记录」 from its Chinese name — so a database made before
gets the Chinese names at its next migrate too. Custom permissions are named in Chinese by their
models already.
"""

from __future__ import annotations

from django import forms
from django.apps import AppConfig, apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The permissions that let a person see what is otherwise masked: shown first, and marked.
PRIVACY_PERMISSIONS = (("federation", "view_full_identifiers"),)

NAME_MAX_LENGTH = Permission._meta.get_field("name").max_length


def default_permission_name(action: str, model_verbose_name: str) -> str:
    names = {
        "add": _("可添加%(model)s"),
        "change": _("可修改%(model)s"),
        "delete": _("可删除%(model)s"),
        "view": _("可查看%(model)s"),
    }
    template = names.get(action)
    if template is None:
        return ""
    return (template % {"model": model_verbose_name})[:NAME_MAX_LENGTH]


def name_permissions_in_chinese(*, app_config: AppConfig, using: str = "default", **kwargs) -> None:
    """Rename the default permissions of `app_config`'s models in Chinese (a post_migrate receiver)."""
    if not app_config.models_module or not apps.is_installed("django.contrib.auth"):
        return
    with translation.override(settings.LANGUAGE_CODE):
        wanted: dict[tuple[int, str], str] = {}
        for model in app_config.get_models():
            opts = model._meta
            content_types = ContentType.objects.db_manager(using)
            content_type = content_types.get_for_model(model, for_concrete_model=False)
            for action in opts.default_permissions:
                name = default_permission_name(action, str(opts.verbose_name))
                if name:
                    wanted[(content_type.pk, f"{action}_{opts.model_name}")] = name
        if not wanted:
            return
        stale = []
        content_type_pks = {content_type_pk for content_type_pk, _codename in wanted}
        for permission in Permission.objects.using(using).filter(content_type__in=content_type_pks):
            name = wanted.get((permission.content_type_id, permission.codename))
            if name and permission.name != name:
                permission.name = name
                stale.append(permission)
        Permission.objects.using(using).bulk_update(stale, ["name"])


def permissions_privacy_first(queryset: QuerySet[Permission]) -> QuerySet[Permission]:
    """`queryset` with the privacy permissions first, then by app, model and codename."""
    privacy = [
        When(content_type__app_label=app_label, codename=codename, then=Value(0))
        for app_label, codename in PRIVACY_PERMISSIONS
    ]
    return queryset.select_related("content_type").order_by(
        Case(*privacy, default=Value(1), output_field=IntegerField()),
        "content_type__app_label",
        "content_type__model",
        "codename",
    )


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    """The permission picker of the user and group admin: 「会员与帮扶 · 可添加会员」, the privacy
    permission first and marked 「【隐私】」 so that it is found at once among nearly two hundred."""

    def label_from_instance(self, obj: Permission) -> str:
        content_type = obj.content_type
        if (content_type.app_label, obj.codename) in PRIVACY_PERMISSIONS:
            return _("【隐私】%(name)s") % {"name": obj.name}
        try:
            app_name = apps.get_app_config(content_type.app_label).verbose_name
        except LookupError:
            app_name = content_type.app_label
        return f"{app_name} · {obj.name}"


PERMISSIONS_HELP_TEXT = gettext_lazy(
    "【隐私】可查看完整身份证号和手机号 列在最前：只授予确需核对证件的人员。其余权限按模块排列，"
    "可在上方搜索框中输入模块或操作名筛选。"
)


class PermissionPickerMixin:
    """For a ModelAdmin with a `permissions` or `user_permissions` field (the user and group admin):
    the picker of PermissionChoiceField, the privacy permission first."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name not in ("permissions", "user_permissions"):
            return super().formfield_for_manytomany(db_field, request, **kwargs)
        kwargs["form_class"] = PermissionChoiceField
        kwargs["help_text"] = PERMISSIONS_HELP_TEXT
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        field.queryset = permissions_privacy_first(field.queryset)
        return field
