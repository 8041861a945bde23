"""The union list (基层工会名单) and the UnionYear fill sheet (年度职工情况) imports, for federation staff.

UnionListSpec: one row per union, matched by 统一社会信用代码, else by (联合会, 工会名称); the last three
columns fill the union's UnionYear for the batch's year. UnionYearSpec: the sheet of
unions.year_sheet, filled in and imported back, matched by 系统编号, else by 统一社会信用代码.

Both read what exists with one query per batch and write in bulk with history (bulk_create skips
save(), so GrassrootsUnion.election_due_on is computed here as save() computes it).
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
    ChoiceColumn,
    CreditCodeColumn,
    DateColumn,
    IntegerColumn,
    MobileColumn,
    TextColumn,
    YesNoColumn,
)
from federation.imports.engine import CREATE, REJECT, UNCHANGED, UPDATE, ImportSpec, RowResult
from federation.models import Federation
from unions.choices import EconomicType, EmployerNature, Industry, UnionType
from unions.forms import UNION_CREATE_FIELDS, UNION_FIELDS
from unions.models import TERM_YEARS_CHOICES, GrassrootsUnion, UnionYear

FIGURE_FIELDS = ("employees", "women_employees", "migrant_employees")
FEDERATION_NAME = "federation_name"


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


def default_year(year: int | None) -> int:
    return year or timezone.localdate().year


def federations_in_scope(user, federation: Federation) -> dict[str, Federation]:
    """The federations an import into `federation` may name: it and those below it that `user` keeps."""
    queryset = scoping.owned(user, Federation).filter(path__startswith=federation.path)
    return {f.name: f for f in queryset}


def unions_in_scope(user, federation: Federation):
    """The unions of `federation` and the federations below it that `user` may keep."""
    return scoping.owned(user, GrassrootsUnion).filter(federation__path__startswith=federation.path)


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
    if employees is None:
        if any(v is not None for v in parts.values()):
            row.reject(spec.column_header("employees"), _("填写了女职工或农民工人数时，请填写职工人数。"))
        return
    year = UnionYear(employees=employees, **{f: v or 0 for f, v in parts.items()})
    try:
        year.clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            row.reject(spec.column_header(field), "；".join(messages))


def has_figures(row: RowResult) -> bool:
    return row.values.get("employees") is not None


def figures_of(row: RowResult) -> dict[str, int]:
    return {f: row.values.get(f) or 0 for f in FIGURE_FIELDS}


def existing_years(union_ids, years) -> dict[tuple[int, int], UnionYear]:
    """The UnionYear records of these unions and years, in one query."""
    if not union_ids:
        return {}
    found = UnionYear.objects.filter(union_id__in=set(union_ids), year__in=set(years))
    return {(y.union_id, y.year): y for y in found}


def changed_figures(existing: UnionYear | None, row: RowResult) -> list[str]:
    if existing is None:
        return list(FIGURE_FIELDS)
    return [f for f, v in figures_of(row).items() if getattr(existing, f) != v]


def write_years(user, plans: list[YearPlan]) -> None:
    """Create or update the planned UnionYear records, in bulk, with the acting user in the history."""
    now = timezone.now()
    created, updated = [], []
    for plan in plans:
        if plan.existing is None:
            created.append(UnionYear(union_id=plan.union.pk, year=plan.year, **plan.figures))
        else:
            for field, value in plan.figures.items():
                setattr(plan.existing, field, value)
            plan.existing.updated_at = now
            updated.append(plan.existing)
    if created:
        bulk_create_with_history(created, UnionYear, batch_size=500, default_user=user)
    if updated:
        bulk_update_with_history(
            updated, UnionYear, [*FIGURE_FIELDS, "updated_at"], batch_size=500, default_user=user
        )


@dataclass
class YearPlan:
    """What a row does to the UnionYear of its union: create it (existing None) or update it."""

    union: GrassrootsUnion | None
    year: int
    figures: dict
    existing: UnionYear | None


# -- 基层工会名单 --

# A new union takes every column; a union on file only the fields kept by hand (unions.forms): its
# chair and term change through 换届选举 (unions.services.election_record), never by an import.
CREATE_FIELDS = [f for f in UNION_CREATE_FIELDS if f != "federation"]

# A blank cell in these columns means the model's default (they may not be empty).
DEFAULT_WHEN_BLANK = {
    "union_type": UnionType.INDEPENDENT,
    "covered_employers": 1,
    "full_time_staff": 0,
    "part_time_staff": 0,
    "term_years": 5,
}


def _committee(header: str, field: str, example: str = "是") -> YesNoColumn:
    return YesNoColumn(
        header,
        field,
        aliases=(f"是否建立{header}", f"有无{header}"),
        example=example,
        note=gettext_lazy("填“是”或“否”，不填按“否”。"),
    )


class UnionListSpec(ImportSpec):
    """基层工会名单 into a federation (or into federations below it named in 所属联合会)."""

    kind = "unions"
    title = gettext_lazy("基层工会名单")
    key = "credit_code"
    columns = [
        TextColumn(
            "所属联合会",
            FEDERATION_NAME,
            aliases=("联合会",),
            example="",
            note=gettext_lazy(
                "可不填：不填则导入到所选的联合会（已有的工会留在原联合会）；"
                "填写时须是所选联合会或其下级联合会的全称。"
            ),
        ),
        TextColumn(
            "工会名称",
            "name",
            required=True,
            max_length=150,
            aliases=("基层工会名称",),
            example="某某科技有限公司工会委员会",
            note=gettext_lazy("基层工会全称。没有统一社会信用代码时，按联合会和工会名称查找已有的工会。"),
        ),
        TextColumn(
            "单位名称",
            "employer_name",
            required=True,
            max_length=150,
            aliases=("所在单位",),
            example="某某科技有限公司",
            note=gettext_lazy("建会单位的全称。"),
        ),
        CreditCodeColumn(
            "统一社会信用代码",
            "credit_code",
            aliases=("信用代码",),
            example="91110105MA01ABCD26",
            note=gettext_lazy("单位的18位统一社会信用代码（设为文本格式）；有代码时按代码查找已有的工会。"),
        ),
        ChoiceColumn(
            "基层工会类型",
            "union_type",
            choices=UnionType.choices,
            synonyms={"独立": UnionType.INDEPENDENT, "联合": UnionType.JOINT},
            example=str(UnionType.INDEPENDENT.label),
            note=gettext_lazy("不填按“独立基层工会”。"),
        ),
        IntegerColumn(
            "覆盖单位数",
            "covered_employers",
            minimum=1,
            example=1,
            note=gettext_lazy("独立基层工会为1；联合基层工会填所覆盖的单位数。不填按1。"),
        ),
        ChoiceColumn(
            "单位性质",
            "employer_nature",
            required=True,
            choices=EmployerNature.choices,
            example=str(EmployerNature.PRIVATE.label),
            note=gettext_lazy("按工会组织信息采集表的分类选择。"),
        ),
        ChoiceColumn(
            "经济类型",
            "economic_type",
            choices=EconomicType.choices,
            example=str(EconomicType.PRIVATE.label),
            note=gettext_lazy("可不填。"),
        ),
        ChoiceColumn(
            "行业",
            "industry",
            choices=Industry.choices,
            synonyms={f"{code}{label}": code for code, label in Industry.choices}
            | {f"{code} {label}": code for code, label in Industry.choices},
            example=str(Industry.I.label),
            note=gettext_lazy("国民经济行业门类，填名称或字母（A–T）；可不填。"),
        ),
        TextColumn(
            "行政区划",
            "area",
            example="某某区某某街道",
            note=gettext_lazy("可不填。"),
        ),
        TextColumn(
            "单位地址",
            "address",
            max_length=200,
            example="某某区某某路1号",
            note=gettext_lazy("可不填。"),
        ),
        DateColumn(
            "建会日期",
            "established_on",
            required=True,
            example="2015-03-01",
            note=gettext_lazy("写成 2015-03-01 的形式。"),
        ),
        TextColumn(
            "工会主席",
            "chair_name",
            max_length=50,
            aliases=("主席",),
            example="张建国",
            note=gettext_lazy("新建的工会按此登记；已登记的工会换主席请登记换届选举，导入不修改。"),
        ),
        MobileColumn(
            "联系电话",
            "chair_phone",
            aliases=("主席电话", "主席手机"),
            example="13800138000",
            note=gettext_lazy("工会主席的11位手机号码；可不填。"),
        ),
        YesNoColumn(
            "专职主席",
            "full_time_chair",
            aliases=("是否专职主席",),
            example="否",
            note=gettext_lazy("填“是”或“否”，不填按“否”。"),
        ),
        IntegerColumn(
            "专职工会工作人员数",
            "full_time_staff",
            aliases=("专职工作人员数",),
            example=0,
            note=gettext_lazy("不填按0。"),
        ),
        IntegerColumn(
            "兼职工会工作人员数",
            "part_time_staff",
            aliases=("兼职工作人员数",),
            example=3,
            note=gettext_lazy("不填按0。"),
        ),
        ChoiceColumn(
            "任期(年)",
            "term_years",
            choices=TERM_YEARS_CHOICES,
            aliases=("任期", "任期（年）"),
            example="5年",
            note=gettext_lazy("3年或5年，不填按5年。已登记的工会请通过换届选举修改，导入不修改。"),
        ),
        DateColumn(
            "本届任期开始日期",
            "term_started_on",
            aliases=("任期开始日期",),
            example="2021-05-01",
            note=gettext_lazy("不填则从建会日期起算应换届日期。已登记的工会导入不修改。"),
        ),
        _committee("女职工委员会", "has_women_committee"),
        _committee("劳动争议调解委员会", "has_mediation_committee"),
        _committee("经费审查委员会", "has_audit_committee"),
        _committee("劳动法律监督组织", "has_labour_supervision", "否"),
        _committee("职工代表大会制度", "has_workers_congress"),
        _committee("厂务公开", "has_open_affairs"),
        *figure_columns(),
    ]

    def __init__(self, *, user, federation=None, union=None, year=None, **scope):
        super().__init__(user=user, federation=federation, union=union, year=year, **scope)
        self.federation = federation
        self.year = default_year(year)
        self._federations: dict[str, Federation] | None = None
        # The first row for each union on file (its pk) or to create ((federation pk, name)).
        self._seen: dict[object, RowResult] = {}
        self._plans: dict[int, tuple[GrassrootsUnion, YearPlan | None]] = {}

    @property
    def federations(self) -> dict[str, Federation]:
        if self._federations is None:
            self._federations = federations_in_scope(self.user, self.federation)
        return self._federations

    def check_row(self, row: RowResult) -> None:
        check_figures(self, row)

    def _target_federation(self, row: RowResult) -> Federation | None:
        name = row.values.get(FEDERATION_NAME)
        if not name:
            return None
        federation = self.federations.get(name)
        if federation is None:
            row.reject(
                self.column_header(FEDERATION_NAME),
                _("“%(name)s”不是“%(scope)s”或其下级联合会（须填全称）。")
                % {"name": name, "scope": self.federation.name},
            )
        return federation

    def plan_batch(self, rows: list[RowResult]) -> None:
        named = {row.number: self._target_federation(row) for row in rows}
        rows = [row for row in rows if row.action != REJECT]
        codes = {row.values["credit_code"] for row in rows if row.values.get("credit_code")}
        names = {row.values["name"] for row in rows}
        matching = Q(credit_code__in=codes) | Q(name__in=names)
        in_scope = set(
            unions_in_scope(self.user, self.federation).filter(matching).values_list("pk", flat=True)
        )
        found = list(GrassrootsUnion.objects.filter(matching).select_related("federation"))
        by_code = {u.credit_code: u for u in found if u.credit_code}
        by_name: dict[tuple[int, str], list[GrassrootsUnion]] = {}
        for union in found:
            by_name.setdefault((union.federation_id, union.name), []).append(union)
        years = existing_years([u.pk for u in found], [self.year])

        for row in rows:
            union = self._match(row, named[row.number], by_code, by_name, in_scope)
            if row.action == REJECT:
                continue
            federation = named[row.number] or self.federation
            key = union.pk if union is not None else (federation.pk, row.values["name"])
            if settle_repeat(self._seen, key, row):
                continue
            self._plan(row, union, federation, years)

    def _match(self, row, named, by_code, by_name, in_scope) -> GrassrootsUnion | None:
        code = row.values.get("credit_code")
        union = by_code.get(code) if code else None
        if union is None:
            federation = named or self.federation
            same_name = by_name.get((federation.pk, row.values["name"]), [])
            if len(same_name) > 1:
                row.reject_conflict(
                    _("“%(f)s”下有%(n)d个名为“%(name)s”的工会，无法确定是哪一个，请填写统一社会信用代码。")
                    % {"f": federation.name, "n": len(same_name), "name": row.values["name"]}
                )
                return None
            union = same_name[0] if same_name else None
            if union is not None and code and union.credit_code and union.credit_code != code:
                row.reject_conflict(
                    _("“%(f)s”下已有同名工会，其统一社会信用代码为%(code)s，与本行不同。")
                    % {"f": federation.name, "code": union.credit_code}
                )
                return None
        if union is None:
            return None
        if union.pk not in in_scope:
            row.reject_conflict(
                _("统一社会信用代码%(code)s已登记在您管辖范围以外的基层工会，不能导入。") % {"code": code}
            )
        elif named is not None and union.federation_id != named.pk:
            row.reject_conflict(
                _(
                    "该工会登记在“%(current)s”，与本行的所属联合会“%(named)s”不同。调整所属联合会请在工会页面办理。"
                )
                % {"current": union.federation.name, "named": named.name}
            )
        return union

    def _plan(self, row: RowResult, union: GrassrootsUnion | None, federation: Federation, years) -> None:
        if row.action == UNCHANGED:
            return
        values = self._union_values(row, union)
        candidate = GrassrootsUnion(federation=federation) if union is None else _copy(union)
        for field, value in values.items():
            setattr(candidate, field, value)
        try:
            candidate.clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                row.reject(self._header_of(field), "；".join(messages))
            return
        row.target = union
        year_plan = None
        if has_figures(row):
            existing = years.get((union.pk, self.year)) if union is not None else None
            changed = changed_figures(existing, row)
            if changed:
                year_plan = YearPlan(union=union, year=self.year, figures=figures_of(row), existing=existing)
                row.changed_fields.extend(changed)
        self._plans[row.number] = (candidate, year_plan)
        if union is None:
            row.action = CREATE
            return
        row.changed_fields[:0] = [f for f in values if getattr(union, f) != getattr(candidate, f)]
        row.action = UPDATE if row.changed_fields else UNCHANGED

    def _union_values(self, row: RowResult, union: GrassrootsUnion | None) -> dict:
        """The fields the row sets. A column the file lacks, or a blank cell of a union on file, leaves
        the field as it is (a list that omits the address must not erase it); a blank cell of a new
        union takes the model's default. 是/否 cells are never blank: empty means 否."""
        values = {}
        for field in CREATE_FIELDS if union is None else UNION_FIELDS:
            if field not in row.values:
                continue
            value = row.values[field]
            if value in (None, ""):
                if union is not None:
                    continue
                value = DEFAULT_WHEN_BLANK.get(field, value)
            values[field] = value
        return values

    def _header_of(self, field: str) -> str:
        try:
            return self.column_header(field)
        except StopIteration:
            return str(GrassrootsUnion._meta.get_field(field).verbose_name)

    def write(self, rows: list[RowResult]) -> None:
        now = timezone.now()
        created, updated, fields = [], [], set()
        year_plans = []
        for row in rows:
            candidate, year_plan = self._plans[row.number]
            if row.target is None:
                candidate.credit_code = candidate.credit_code or None
                candidate.election_due_on = candidate.compute_election_due_on()
                created.append(candidate)
            else:
                union_fields = [f for f in row.changed_fields if f not in FIGURE_FIELDS]
                if union_fields:
                    candidate.election_due_on = candidate.compute_election_due_on()
                    candidate.updated_at = now
                    fields.update(union_fields)
                    updated.append(candidate)
            if year_plan is not None:
                year_plan.union = candidate
                year_plans.append(year_plan)
        if created:
            bulk_create_with_history(created, GrassrootsUnion, batch_size=500, default_user=self.user)
        if updated:
            bulk_update_with_history(
                updated,
                GrassrootsUnion,
                sorted(fields | {"election_due_on", "updated_at"}),
                batch_size=500,
                default_user=self.user,
            )
        write_years(self.user, year_plans)


def _copy(union: GrassrootsUnion) -> GrassrootsUnion:
    """A detached copy to apply a row to, so the matched record stays as it is on file."""
    copy = GrassrootsUnion(
        **{f.attname: getattr(union, f.attname) for f in GrassrootsUnion._meta.concrete_fields}
    )
    copy._state.adding = False
    copy._state.db = union._state.db
    return copy


# -- 年度职工情况 fill sheet --


class UnionYearSpec(ImportSpec):
    """The UnionYear sheet (unions.year_sheet) filled in and imported back."""

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
            minimum=2000,
            example=2025,
            note=gettext_lazy("职工人数所属的年度；不填按导入时选择的年度。"),
        ),
        *figure_columns(),
    ]

    def __init__(self, *, user, federation=None, union=None, year=None, **scope):
        super().__init__(user=user, federation=federation, union=union, year=year, **scope)
        self.federation = federation
        self.year = default_year(year)
        self._seen: dict[tuple[int, int], RowResult] = {}
        self._plans: dict[int, YearPlan] = {}

    def check_row(self, row: RowResult) -> None:
        if not row.values.get("union_id") and not row.values.get("credit_code"):
            row.reject(self.column_header("union_id"), _("请填写系统编号或统一社会信用代码。"))
            return
        year = row.values.get("year")
        if year is not None and year > timezone.localdate().year + 1:
            row.reject(self.column_header("year"), _("年度%(y)d还没有到。") % {"y": year})
            return
        check_figures(self, row)

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
                continue
            row.target = union
            if not has_figures(row):
                row.action = UNCHANGED  # figures left blank: nothing to record for this union
                continue
            existing = years.get((union.pk, year))
            row.changed_fields = changed_figures(existing, row)
            self._plans[row.number] = YearPlan(
                union=union, year=year, figures=figures_of(row), existing=existing
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

    def write(self, rows: list[RowResult]) -> None:
        write_years(self.user, [self._plans[row.number] for row in rows])
