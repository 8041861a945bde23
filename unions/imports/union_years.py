"""The UnionYear figures (年度职工情况) in imports: the three figure columns and their rules, shared by
the union list (unions.imports.union_list.UnionListSpec) and the fill sheet imported back (UnionYearSpec, the
sheet of unions.imports.year_sheet, matched by 系统编号, else by 统一社会信用代码).

What exists is read with one query per batch and written in bulk with history.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from federation import scoping
from federation.imports.cells import (
    CreditCodeColumn,
    DecimalColumn,
    IntegerColumn,
    TextColumn,
    YesNoColumn,
)
from federation.imports.engine import CREATE, REJECT, UNCHANGED, UPDATE, ImportSpec, RowResult, kept_plans
from federation.imports.model_rules import reject_model_errors
from federation.models import Federation
from federation.scope import within_path
from federation.years import FIRST_YEAR, last_valid_year
from unions.models import GrassrootsUnion, UnionYear

FIGURE_FIELDS = ("employees", "women_employees", "migrant_employees")
# The statistical return's inputs (基层工会调查表), only in the fill sheet: blank is "not filled".
SURVEY_FIELDS = UnionYear.SURVEY_FIELDS


def figure_columns() -> list[IntegerColumn]:
    """职工人数, 女职工人数, 农民工人数 — the same three columns in both imports."""
    return [
        IntegerColumn(
            "职工人数",
            "employees",
            example=120,
            note=gettext_lazy("该年度的职工总数（整数）。不填则不改动该年度的职工情况。"),
        ),
        IntegerColumn(
            "女职工人数",
            "women_employees",
            example=45,
            note=gettext_lazy("其中女职工人数，不能超过职工人数；不填按0计。"),
        ),
        IntegerColumn(
            "农民工人数",
            "migrant_employees",
            example=30,
            note=gettext_lazy("其中农民工人数，不能超过职工人数；不填按0计。"),
        ),
    ]


class OptionalYesNoColumn(YesNoColumn):
    """是/否, where a blank cell is "not filled" (None) rather than 否."""

    def clean(self, raw):
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        return super().clean(raw)


def survey_columns() -> list:
    """The statistical return's inputs of the fill sheet, in UnionYear.SURVEY_FIELDS order."""
    count_note = gettext_lazy("整数；不填表示未填报。")
    return [
        IntegerColumn("职代会职工代表人数", "congress_delegates", example=35, note=count_note),
        IntegerColumn(
            "其中女职工代表",
            "congress_delegates_women",
            example=12,
            note=gettext_lazy("不能超过职代会职工代表人数。"),
        ),
        OptionalYesNoColumn("建立董事会", "has_board", example="是", note=gettext_lazy("填“是”或“否”。")),
        IntegerColumn("职工董事人数", "worker_directors", example=1, note=count_note),
        IntegerColumn(
            "其中女职工董事", "worker_directors_women", example=0, note=gettext_lazy("不能超过职工董事人数。")
        ),
        OptionalYesNoColumn(
            "建立监事会", "has_supervisory_board", example="是", note=gettext_lazy("填“是”或“否”。")
        ),
        IntegerColumn("职工监事人数", "worker_supervisors", example=1, note=count_note),
        IntegerColumn(
            "其中女职工监事",
            "worker_supervisors_women",
            example=1,
            note=gettext_lazy("不能超过职工监事人数。"),
        ),
        DecimalColumn(
            "工会经费拨缴(元)",
            "funds_remitted",
            example="48000.00",
            note=gettext_lazy("本年度按工资总额2%拨缴的工会经费合计（元）。"),
        ),
        DecimalColumn(
            "会费收缴(元)",
            "dues_collected",
            example="3600.00",
            note=gettext_lazy("本年度收缴的会费合计（元）。"),
        ),
    ]


def default_year(year: int | None) -> int:
    return year or timezone.localdate().year


def unions_in_scope(user, federation: Federation):
    """The unions of `federation` and the federations below it that `user` may keep."""
    return scoping.owned(user, GrassrootsUnion).filter(within_path("federation", federation.path))


# -- the UnionYear figures, shared by both specs --


def settle_repeat(seen: dict, key, row: RowResult) -> bool:
    """Is `row` a second row for the same record (`key`)? An identical row is left to the first one
    (UNCHANGED); a different one is a conflict on both rows, for a person to decide."""
    first = seen.setdefault(key, row)
    if first is row:
        return False
    if first.values == row.values:
        row.action = UNCHANGED
        return True
    row.reject_conflict(_("与第%(a)d行是同一工会，在文件中出现了两次且内容不同。") % {"a": first.number})
    if not first.conflict:
        first.reject_conflict(_("与第%(b)d行是同一工会，在文件中出现了两次且内容不同。") % {"b": row.number})
    return True


def check_figures(spec: ImportSpec, row: RowResult) -> None:
    """女职工/农民工 are parts of 职工人数; either without it is an error on 职工人数."""
    employees = row.values.get("employees")
    parts = {f: row.values.get(f) for f in ("women_employees", "migrant_employees")}
    survey = {f: row.values.get(f) for f in SURVEY_FIELDS}
    if employees is None:
        if any(v is not None for v in parts.values()):
            row.reject(spec.column_header("employees"), _("填写了女职工或农民工人数时，请填写职工人数。"))
        elif any(v is not None for v in survey.values()):
            row.reject(spec.column_header("employees"), _("填写了统计年报数据时，请填写职工人数。"))
        return
    year = UnionYear(employees=employees, **{f: v or 0 for f, v in parts.items()}, **survey)
    try:
        year.clean()
    except ValidationError as exc:
        reject_model_errors(spec, row, exc, UnionYear)


def has_figures(row: RowResult) -> bool:
    return row.values.get("employees") is not None


def figures_of(row: RowResult, survey: bool = False) -> dict:
    """The figures a row writes; with `survey`, the statistical return's inputs too (blank: None)."""
    figures = {f: row.values.get(f) or 0 for f in FIGURE_FIELDS}
    if survey:
        figures.update({f: row.values.get(f) for f in SURVEY_FIELDS})
    return figures


def existing_years(union_ids, years) -> dict[tuple[int, int], UnionYear]:
    """The UnionYear records of these unions and years, in one query."""
    if not union_ids:
        return {}
    found = UnionYear.objects.filter(union_id__in=set(union_ids), year__in=set(years))
    return {(y.union_id, y.year): y for y in found}


def changed_figures(existing: UnionYear | None, row: RowResult, survey: bool = False) -> list[str]:
    figures = figures_of(row, survey)
    if existing is None:
        return list(figures)
    return [f for f, v in figures.items() if getattr(existing, f) != v]


def write_years(user, plans: list[YearPlan]) -> None:
    """Create or update the planned UnionYear records, in bulk, with the acting user in the history."""
    now = timezone.now()
    created, updated = [], []
    fields: set[str] = set()
    for plan in plans:
        if plan.existing is None:
            created.append(UnionYear(union_id=plan.union.pk, year=plan.year, **plan.figures))
        else:
            for field, value in plan.figures.items():
                setattr(plan.existing, field, value)
                fields.add(field)
            plan.existing.updated_at = now
            updated.append(plan.existing)
    if created:
        bulk_create_with_history(created, UnionYear, batch_size=500, default_user=user)
    if updated:
        bulk_update_with_history(
            updated, UnionYear, [*sorted(fields), "updated_at"], batch_size=500, default_user=user
        )


@dataclass
class YearPlan:
    """What a row does to the UnionYear of its union: create it (existing None) or update it."""

    union: GrassrootsUnion | None
    year: int
    figures: dict
    existing: UnionYear | None


@dataclass
class YearRowPlan:
    """What the check planned for one row of the fill sheet, kept with the batch as the row's target
    (federation.imports.kept_rows), so that the commit writes it without planning the row again."""

    key: tuple[int, int]  # (union pk, year)
    default_year: int  # the year of the import, for rows that name none
    year_plan: YearPlan | None = None


class UnionYearSpec(ImportSpec):
    """The UnionYear sheet (unions.imports.year_sheet) filled in and imported back."""

    kind = "union_years"
    title = gettext_lazy("年度职工情况")
    columns = [
        IntegerColumn(
            "系统编号",
            "union_id",
            minimum=1,
            example=1024,
            note=gettext_lazy("下载的表中已填好，请勿修改；没有时按统一社会信用代码查找工会。"),
        ),
        TextColumn(
            "工会名称",
            "name",
            max_length=150,
            example="某某科技有限公司工会委员会",
            note=gettext_lazy("仅供核对，导入时不修改工会名称。"),
        ),
        CreditCodeColumn(
            "统一社会信用代码",
            "credit_code",
            example="91110105MA01ABCD26",
            note=gettext_lazy("没有系统编号时按此代码查找工会。"),
        ),
        IntegerColumn(
            "年度",
            "year",
            minimum=FIRST_YEAR,
            example=2025,
            note=gettext_lazy("职工人数所属的年度；不填按导入时选择的年度。"),
        ),
        *figure_columns(),
        *survey_columns(),
    ]

    def __init__(self, *, user, federation=None, union=None, year=None, **scope):
        super().__init__(user=user, federation=federation, union=union, year=year, **scope)
        self.federation = federation
        self.year = default_year(year)
        self._seen: dict[tuple[int, int], RowResult] = {}

    def check_row(self, row: RowResult) -> None:
        if not row.values.get("union_id") and not row.values.get("credit_code"):
            row.reject(self.column_header("union_id"), _("请填写系统编号或统一社会信用代码。"))
            return
        year = row.values.get("year")
        if year is not None and year > last_valid_year():
            row.reject(self.column_header("year"), _("年度%(y)d还没有到。") % {"y": year})
            return
        check_figures(self, row)

    def watched(self):
        if self.federation is None:
            return []
        return [
            GrassrootsUnion.objects.filter(within_path("federation", self.federation.path)),
            UnionYear.objects.filter(within_path("union__federation", self.federation.path)),
        ]

    def plan_batch(self, rows: list[RowResult]) -> None:
        ids = {row.values["union_id"] for row in rows if row.values.get("union_id")}
        codes = {row.values["credit_code"] for row in rows if row.values.get("credit_code")}
        unions = list(
            unions_in_scope(self.user, self.federation).filter(Q(pk__in=ids) | Q(credit_code__in=codes))
        )
        by_id = {u.pk: u for u in unions}
        by_code = {u.credit_code: u for u in unions if u.credit_code}
        years = existing_years(by_id, {row.values.get("year") or self.year for row in rows})
        for row in rows:
            union = self._match(row, by_id, by_code)
            if union is None:
                continue
            year = row.values.get("year") or self.year
            if settle_repeat(self._seen, (union.pk, year), row):
                if row.action != REJECT:
                    row.target = YearRowPlan(key=(union.pk, year), default_year=self.year)
                continue
            plan = row.target = YearRowPlan(key=(union.pk, year), default_year=self.year)
            if not has_figures(row):
                row.action = UNCHANGED  # figures left blank: nothing to record for this union
                continue
            existing = years.get((union.pk, year))
            row.changed_fields = changed_figures(existing, row, survey=True)
            plan.year_plan = YearPlan(
                union=union, year=year, figures=figures_of(row, survey=True), existing=existing
            )
            if existing is None:
                row.action = CREATE
            else:
                row.action = UPDATE if row.changed_fields else UNCHANGED

    def _match(self, row: RowResult, by_id, by_code) -> GrassrootsUnion | None:
        union_id, code = row.values.get("union_id"), row.values.get("credit_code")
        if union_id:
            union = by_id.get(union_id)
            if union is None:
                row.reject(
                    self.column_header("union_id"),
                    _("系统编号%(id)d不是您管辖范围内的基层工会。") % {"id": union_id},
                )
                return None
            if code and union.credit_code and union.credit_code != code:
                row.reject(
                    self.column_header("credit_code"),
                    _("系统编号%(id)d的工会（%(name)s）登记的统一社会信用代码是%(code)s，与本行不同。")
                    % {"id": union_id, "name": union.name, "code": union.credit_code},
                )
                return None
            return union
        union = by_code.get(code)
        if union is None:
            row.reject(
                self.column_header("credit_code"),
                _("统一社会信用代码%(code)s不是您管辖范围内的基层工会。") % {"code": code},
            )
        return union

    def rows_to_recheck(self, rows: list[RowResult]) -> list[RowResult] | None:
        """A row's plan rests on the unions of the federation's subtree and their UnionYear records,
        all watched, and on the year chosen: none, when the plans were kept for the same year."""
        plans = kept_plans(rows, YearRowPlan)
        if self.federation is None or plans is None or any(p.default_year != self.year for p in plans):
            return None  # planned before plans were kept, or for another year: every row again
        return []

    def write(self, rows: list[RowResult]) -> None:
        plans = kept_plans(rows, YearRowPlan)
        assert plans is not None
        write_years(self.user, [plan.year_plan for plan in plans if plan.year_plan is not None])
