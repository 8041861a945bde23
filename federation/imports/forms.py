"""The upload form of the import pages: which kind, into which union or federation, which year, which file.

A union cadre imports into their own union only (the field is not shown); federation staff name the
union (its exact name or credit code, among the unions they keep) or pick the federation.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from federation import scoping
from federation.imports import batches, registry
from federation.imports.reader import ACCEPT, max_upload_bytes
from federation.models import Federation, ImportBatch, User
from federation.years import FIRST_YEAR, last_valid_year

# The union an import goes into is chosen with the union search field of the unions app, which
# registers it when it starts (UnionsConfig.ready): a function(user) → the form field.
UNION_FIELD: list[Callable[..., forms.Field]] = []


def register_union_field(make_field: Callable[..., forms.Field]) -> None:
    UNION_FIELD[:] = [make_field]


# Kinds a union cadre may import into their own union.
CADRE_KINDS = (ImportBatch.Kind.MEMBERS, ImportBatch.Kind.AID)
# Kinds whose file carries figures of one year.
YEAR_KINDS = (ImportBatch.Kind.UNIONS, ImportBatch.Kind.UNION_YEARS)


def kinds_for(user: User) -> list[str]:
    """The kinds of import this user may start (none for a reader such as the chair)."""
    if not scoping.may_write(user):
        return []
    kinds = registry.kinds()
    if user.role == User.Role.UNION_CADRE and not scoping.is_administrator(user):
        kinds = [k for k in kinds if k in CADRE_KINDS]
    return kinds


class ImportStartForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("导入内容"))
    federation = forms.ModelChoiceField(
        label=gettext_lazy("联合会"),
        queryset=Federation.objects.none(),
        required=False,
        help_text=gettext_lazy("基层工会名单、年度职工情况和发放名单导入到联合会。"),
    )
    year = forms.IntegerField(
        label=gettext_lazy("年度"),
        required=False,
        min_value=FIRST_YEAR,
        help_text=gettext_lazy("年度职工情况（职工人数等）所属的年度。"),
    )
    file = forms.FileField(label=gettext_lazy("Excel 表格文件（.xlsx、.xls 或 .ods）"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        labels = dict(ImportBatch.Kind.choices)
        self.fields["kind"].choices = [(k, labels[k]) for k in kinds_for(user)]
        year = self.fields["year"]
        year.initial = timezone.localdate().year
        # The last valid year (federation.years) moves with the calendar: bound when the form is made.
        year.max_value = last_valid_year()
        year.validators.append(MaxValueValidator(year.max_value))
        year.widget.attrs["max"] = year.max_value
        self.cadre_union = user.union if user.role == User.Role.UNION_CADRE and user.union_id else None
        if self.cadre_union is not None:
            del self.fields["federation"]
        else:
            (make_union_field,) = UNION_FIELD
            self.fields["union"] = make_union_field(
                user,
                label=gettext_lazy("基层工会"),
                required=False,
                help_text=gettext_lazy("输入工会名称的几个字后从提示中选择，或填写全称、统一社会信用代码。"),
            )
            self.order_fields(["kind", "union", "federation", "year", "file"])
            self.fields["federation"].queryset = scoping.owned(user, Federation).order_by("path")
            if user.federation_id:
                self.fields["federation"].initial = user.federation_id
        self.fields["file"].help_text = _(
            "大小不超过%(mb)d MB。请使用本页下载的模板填写；用 Excel、WPS 或 LibreOffice 保存的"
            " .xlsx、.xls、.ods 文件都可以上传。"
        ) % {"mb": max_upload_bytes() // 1024 // 1024}
        self.fields["file"].widget.attrs["accept"] = ACCEPT

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise ValidationError(
                _("文件大小为%(size).1f MB，超过上限%(limit)d MB。请分成几个文件上传。")
                % {"size": upload.size / 1024 / 1024, "limit": max_upload_bytes() // 1024 // 1024}
            )
        return upload

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if not kind:
            return data
        data["union_obj"] = None
        data["federation_obj"] = None
        if self.cadre_union is not None:
            data["union_obj"] = self.cadre_union
        elif kind in batches.UNION_KINDS or (kind == ImportBatch.Kind.AID and data.get("union")):
            data["union_obj"] = data.get("union")
            if data["union_obj"] is None and "union" not in self.errors:
                self.add_error("union", _("请选择导入到哪个基层工会。"))
        else:
            if data.get("federation") is None:
                self.add_error("federation", _("请选择联合会。"))
            data["federation_obj"] = data.get("federation")
        if kind not in YEAR_KINDS:
            data["year"] = None  # only the union kinds carry figures of a year
        elif not data.get("year"):
            data["year"] = timezone.localdate().year
        return data
