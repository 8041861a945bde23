"""The union list (基层工会名单) import, for federation staff, and (from unions.imports.union_years) the
UnionYear fill sheet import — the registry finds both here.

UnionListSpec: one row per union, matched by 统一社会信用代码, else by (联合会, 工会名称); the last three
columns fill the union's UnionYear for the batch's year. What exists is read with one query per
batch; rows are written in bulk with history (bulk_create skips save(), so
GrassrootsUnion.election_due_on is computed here as save() computes it).
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
from federation.imports.engine import CREATE, REJECT, UNCHANGED, UPDATE, ImportSpec, RowResult, kept_plans
from federation.imports.model_rules import reject_model_errors
from federation.models import Federation
from federation.scope import within_path
from unions.choices import EconomicType, EmployerNature, Industry, UnionType
from unions.forms import UNION_CREATE_FIELDS, UNION_FIELDS
from unions.imports.union_years import (
    FIGURE_FIELDS,
    UnionYearSpec,
    YearPlan,
    changed_figures,
    check_figures,
    default_year,
    existing_years,
    figure_columns,
    figures_of,
    has_figures,
    settle_repeat,
    unions_in_scope,
    write_years,
)
from unions.models import TERM_YEARS_CHOICES, GrassrootsUnion, UnionYear

__all__ = ["UnionListSpec", "UnionYearSpec"]

FEDERATION_NAME = "federation_name"
# Credit codes looked up per query when the commit looks for rows to plan again.
RECHECK_CHUNK = 5000


@dataclass
class ListRowPlan:
    """What the check planned for one row of a union list, kept with the batch as the row's target
    (federation.imports.kept_rows), so that the commit writes it without planning the row again."""

    key: object  # the union's pk, or (federation pk, name) of a union to create
    year: int  # the year the figures are for
    federation_id: int | None  # the federation 所属联合会 named (None: not named)
    union: GrassrootsUnion | None = None  # the union on file the row matched
    candidate: GrassrootsUnion | None = None  # the union as the row leaves it
    year_plan: YearPlan | None = None


def federations_in_scope(user, federation: Federation) -> dict[str, Federation]:
    """The federations an import into `federation` may name: it and those below it that `user` keeps."""
    queryset = scoping.owned(user, Federation).filter(within_path("self", federation.path))
    return {f.name: f for f in queryset}


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

    def watched(self):
        if self.federation is None:
            return []
        return [
            GrassrootsUnion.objects.filter(within_path("federation", self.federation.path)),
            UnionYear.objects.filter(within_path("union__federation", self.federation.path)),
        ]

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
            named_pk = getattr(named[row.number], "pk", None)
            if settle_repeat(self._seen, key, row):
                if row.action != REJECT:
                    row.target = ListRowPlan(key=key, year=self.year, federation_id=named_pk)
                continue
            self._plan(
                row, union, federation, years, ListRowPlan(key=key, year=self.year, federation_id=named_pk)
            )

    def rows_to_recheck(self, rows: list[RowResult]) -> list[RowResult] | None:
        """The unions and their figures in the federation's subtree are watched; what else can change a
        row's plan is a federation its 所属联合会 names (renamed, moved, added since the check) and a
        union outside the subtree that now has the row's credit code (a clash out of reach): those
        rows, found with set queries. Repeated rows are alike in both, so they are planned again
        together; the rows kept as planned still count as seen (a row planned again may now repeat
        one of them)."""
        plans = kept_plans(rows, ListRowPlan)
        if self.federation is None or plans is None or any(plan.year != self.year for plan in plans):
            return None  # planned before plans were kept, or for another year: every row again
        again: dict[int, RowResult] = {}
        if any(row.values.get(FEDERATION_NAME) for row in rows):
            federations = self.federations
            for row, plan in zip(rows, plans, strict=True):
                name = row.values.get(FEDERATION_NAME)
                if name and getattr(federations.get(name), "pk", None) != plan.federation_id:
                    again[row.number] = row
        by_code: dict[str, list[RowResult]] = {}
        for row in rows:
            if code := row.values.get("credit_code"):
                by_code.setdefault(code, []).append(row)
        codes = list(by_code)
        for start in range(0, len(codes), RECHECK_CHUNK):
            outside = (
                GrassrootsUnion.objects.filter(credit_code__in=codes[start : start + RECHECK_CHUNK])
                .exclude(within_path("federation", self.federation.path))
                .order_by()
                .values_list("credit_code", flat=True)
            )
            for code in outside:
                again.update((row.number, row) for row in by_code[code or ""])
        self._seen = {plan.key: row for row, plan in zip(rows, plans, strict=True) if row.number not in again}
        return list(again.values())

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

    def _plan(
        self, row: RowResult, union: GrassrootsUnion | None, federation: Federation, years, plan: ListRowPlan
    ) -> None:
        row.target, plan.union = plan, union
        if row.action == UNCHANGED:
            return
        values = self._union_values(row, union)
        candidate = GrassrootsUnion(federation=federation) if union is None else _copy(union)
        for field, value in values.items():
            setattr(candidate, field, value)
        try:
            candidate.clean()
        except ValidationError as exc:
            reject_model_errors(self, row, exc, GrassrootsUnion)
            return
        year_plan = None
        if has_figures(row):
            existing = years.get((union.pk, self.year)) if union is not None else None
            changed = changed_figures(existing, row)
            if changed:
                year_plan = YearPlan(union=union, year=self.year, figures=figures_of(row), existing=existing)
                row.changed_fields.extend(changed)
        plan.candidate, plan.year_plan = candidate, year_plan
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

    def write(self, rows: list[RowResult]) -> None:
        now = timezone.now()
        created, updated, fields = [], [], set()
        year_plans = []
        for row in rows:
            plan = row.target
            assert isinstance(plan, ListRowPlan) and plan.candidate is not None  # planned to be written
            candidate, year_plan = plan.candidate, plan.year_plan
            if plan.union is None:
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
