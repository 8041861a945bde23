"""帮扶/慰问发放名单: the aid distribution list (how 送温暖 and 金秋助学 payments are prepared today),
imported as AidRecords.

Each row is aid to the live member with that ID number in the importer's scope (a federation for its
staff, a union for its cadre), filed under the member's open hardship case as aid_record_create
files it, under the same rules (members.services.aid). A row equal to an aid record on file (same
member, date, kind and amount) is left unchanged, so importing the same list twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from federation import scoping
from federation.identifiers import mask_id_number
from federation.imports.cells import (
    ChoiceColumn,
    DateColumn,
    DecimalColumn,
    IdNumberColumn,
    IntegerColumn,
    NameColumn,
    TextColumn,
)
from federation.imports.engine import CREATE, UNCHANGED, ImportSpec, RowResult, kept_plans
from federation.imports.model_rules import reject_model_errors
from federation.scope import within_path
from members.choices import LIVE_STATUSES, AidKind, CaseStatus, FundSource
from members.models import AidRecord, HardshipCase, Member
from members.services.aid import case_open_on, check_aid_dates, files_under_case

# Members looked up per query when the commit looks for rows to plan again.
RECHECK_CHUNK = 5000


@dataclass
class AidRowPlan:
    """What the check planned for one row of an aid list, kept with the batch as the row's target
    (federation.imports.kept_rows), so that the commit writes it without planning the row again."""

    key: tuple  # (ID number, kind, date)
    member_id: int
    record: AidRecord | None = None  # the aid record to create; None: the row matches one on file


class AidListSpec(ImportSpec):
    """帮扶/慰问发放名单 of a federation (its staff) or of one union (its cadre)."""

    kind = "aid"
    title = gettext_lazy("帮扶/慰问发放名单")
    columns = [
        IdNumberColumn(
            "身份证号",
            "id_number",
            required=True,
            aliases=("身份证号码", "公民身份号码"),
            example="110105198001011238",
            note=gettext_lazy("受助会员的18位身份证号（设为文本格式）；须是您管辖范围内的在册会员。"),
        ),
        NameColumn(
            "姓名",
            "name",
            required=True,
            max_length=50,
            example="张三",
            note=gettext_lazy("须与该身份证号会员登记的姓名一致。"),
        ),
        ChoiceColumn(
            "帮扶类型",
            "kind",
            required=True,
            choices=AidKind.choices,
            synonyms={
                "助学": AidKind.EDUCATION,
                "金秋助学": AidKind.EDUCATION,
                "节日慰问": AidKind.FESTIVAL,
                "送温暖": AidKind.FESTIVAL,
            },
            example=str(AidKind.FESTIVAL.label),
            note=gettext_lazy("节日慰问不计入困难职工档案；其他类型计入该会员在档的困难职工档案。"),
        ),
        DecimalColumn(
            "金额",
            "amount",
            required=True,
            aliases=("金额(元)", "金额（元）", "发放金额"),
            example="500.00",
            note=gettext_lazy("发放金额，单位元，最多两位小数。"),
        ),
        DateColumn(
            "发放日期",
            "aid_on",
            required=True,
            example="2025-01-20",
            note=gettext_lazy("写成 2025-01-20 的形式，不能晚于今天，须在会员的会籍期间内。"),
        ),
        IntegerColumn(
            "助学学生数",
            "students_helped",
            example="",
            note=gettext_lazy("助学帮扶必填，其他类型不填。"),
        ),
        ChoiceColumn(
            "资金来源",
            "fund_source",
            choices=FundSource.choices,
            example=str(FundSource.UPPER_UNION.label),
            note=gettext_lazy("不填按“本级经费”。"),
        ),
        TextColumn(
            "备注",
            "notes",
            max_length=200,
            example="春节送温暖",
            note=gettext_lazy("可不填。"),
        ),
    ]

    def __init__(self, *, user, federation=None, union=None, year=None, **scope):
        super().__init__(user=user, federation=federation, union=union, year=year, **scope)
        self.federation = federation
        self.union = union
        # (ID, kind, date) → the first row that named it, across the batches of the file.
        self._seen: dict[tuple, RowResult] = {}

    def members_in_scope(self):
        members = scoping.owned(self.user, Member).filter(status__in=LIVE_STATUSES)
        if self.union is not None:
            return members.filter(union=self.union)
        return members.filter(within_path("union__federation", self.federation.path))

    def _scope_q(self) -> Q | None:
        """The records of the import's scope (a union, or a federation's subtree), by their union."""
        if self.union is not None:
            return Q(union=self.union)
        if self.federation is None:
            return None
        return within_path("union__federation", self.federation.path)

    def watched(self):
        scope = self._scope_q()
        if scope is None:
            return []
        return [model.objects.filter(scope) for model in (Member, HardshipCase, AidRecord)]

    def rows_to_recheck(self, rows: list[RowResult]) -> list[RowResult] | None:
        """The members, hardship cases and aid records of the scope are watched; what else a row's
        plan rests on is a case or an aid record of its member kept by a union outside the scope (a
        member who moved in brings the history of the union before): the rows of the members who have
        any such record are planned again, whether or not it changed since the check. The rows kept as
        planned still count as seen (a row planned again may repeat one of them)."""
        scope = self._scope_q()
        plans = kept_plans(rows, AidRowPlan)
        if scope is None or plans is None:
            return None  # planned before plans were kept: every row again
        member_ids = list({plan.member_id for plan in plans})
        elsewhere: set[int] = set()
        for start in range(0, len(member_ids), RECHECK_CHUNK):
            chunk = member_ids[start : start + RECHECK_CHUNK]
            for model in (HardshipCase, AidRecord):
                elsewhere.update(
                    model.objects.filter(member_id__in=chunk)
                    .exclude(scope)
                    .order_by()
                    .values_list("member_id", flat=True)
                    .distinct()
                )
        again = [row for row, plan in zip(rows, plans, strict=True) if plan.member_id in elsewhere]
        self._seen = {
            plan.key: row for row, plan in zip(rows, plans, strict=True) if plan.member_id not in elsewhere
        }
        return again

    def plan_batch(self, rows: list[RowResult]) -> None:
        ids = {row.values["id_number"] for row in rows}
        members = {m.id_number: m for m in self.members_in_scope().filter(id_number__in=ids)}
        member_ids = [m.pk for m in members.values()]
        open_cases: dict[int, list[HardshipCase]] = {}
        for case in HardshipCase.objects.filter(member_id__in=member_ids, status=CaseStatus.OPEN):
            open_cases.setdefault(case.member_id, []).append(case)
        on_file: dict[tuple, AidRecord] = {}
        dates = {row.values["aid_on"] for row in rows}
        for record in AidRecord.objects.filter(member_id__in=member_ids, aid_on__in=dates):
            on_file.setdefault((record.member_id, record.aid_on, record.kind), record)
        for row in rows:
            member = members.get(row.values["id_number"])
            if member is None:
                row.reject(
                    self.column_header("id_number"),
                    _("身份证号%(id)s不是您管辖范围内的在册会员。")
                    % {"id": mask_id_number(row.values["id_number"])},
                )
                continue
            if row.values["name"] != member.name:
                row.reject(
                    self.column_header("name"),
                    _("姓名“%(given)s”与该身份证号登记的会员姓名“%(name)s”不一致。")
                    % {"given": row.values["name"], "name": member.name},
                )
                continue
            if self._repeated(row):
                continue
            self._plan(row, member, open_cases.get(member.pk, []), on_file)

    def _repeated(self, row: RowResult) -> bool:
        """The same person, kind and date twice in the file: a payment listed twice, or two payments
        that should be one — either way a person decides, so both rows are conflicts."""
        key = self._key(row)
        first = self._seen.setdefault(key, row)
        if first is row:
            return False
        row.reject_conflict(
            _("与第%(a)d行是同一人同一日期的同类帮扶，文件中出现了两次。") % {"a": first.number}
        )
        if not first.conflict:
            first.reject_conflict(
                _("与第%(b)d行是同一人同一日期的同类帮扶，文件中出现了两次。") % {"b": row.number}
            )
        return True

    @staticmethod
    def _key(row: RowResult) -> tuple:
        return (row.values["id_number"], row.values["kind"], row.values["aid_on"])

    def _plan(self, row: RowResult, member: Member, open_cases: list[HardshipCase], on_file) -> None:
        values = row.values
        existing = on_file.get((member.pk, values["aid_on"], values["kind"]))
        if existing is not None:
            if existing.amount == values["amount"]:
                row.target = AidRowPlan(key=self._key(row), member_id=member.pk)
                row.action = UNCHANGED
            else:
                row.reject_conflict(
                    _(
                        "该会员%(date)s已有一笔%(amount)s元的“%(kind)s”记录，与本行金额不同。请核对后修改系统中的记录或本行。"
                    )
                    % {
                        "date": values["aid_on"],
                        "amount": existing.amount,
                        "kind": existing.get_kind_display(),
                    }
                )
            return
        case = case_open_on(open_cases, values["aid_on"]) if files_under_case(values["kind"]) else None
        record = AidRecord(
            member=member,
            union_id=member.union_id,
            hardship_case=case,
            aid_on=values["aid_on"],
            kind=values["kind"],
            amount=values["amount"],
            students_helped=values.get("students_helped") or 0,
            fund_source=values.get("fund_source") or FundSource.OWN_FUNDS,
            notes=values.get("notes") or "",
            recorded_by=self.user,
        )
        try:
            check_aid_dates(member=member, aid_on=record.aid_on, hardship_case=case)
            # The model's own rules (助学 with its students, an amount given); full_clean would also
            # look up every foreign key, one query per row.
            record.clean_fields(exclude=["member", "hardship_case", "union", "recorded_by"])
            record.clean()
        except ValidationError as exc:
            reject_model_errors(self, row, exc, AidRecord)
            return
        # Kept with the batch by its keys alone (not the member and case it was checked against).
        kept = AidRecord(**{f.attname: getattr(record, f.attname) for f in AidRecord._meta.concrete_fields})
        row.target = AidRowPlan(key=self._key(row), member_id=member.pk, record=kept)
        row.action = CREATE

    def write(self, rows: list[RowResult]) -> None:
        plans = kept_plans(rows, AidRowPlan)
        assert plans is not None
        records = [plan.record for plan in plans if plan.record is not None]
        for record in records:
            record.recorded_by_id = self.user.pk  # the user who confirms the import records the aid
        bulk_create_with_history(records, AidRecord, batch_size=500, default_user=self.user)
