"""会员花名册 import: one row per person, identified by the ID number.

Each row is planned against the members on file with one query per batch:

- a live member (在册 or 保留会籍) of this union → 更新 when a field in the file differs, else 无变化;
- a live member of another union → a conflict naming that union: a person is moved between unions
  by a 会籍转接, never by an import;
- no live member (never a member, or only former memberships) → 新增 (入会, or rejoining).

Two rules for members already on file, stated on the template's instructions sheet as well:
a blank cell leaves the member's value as it is (a roster exported elsewhere often lacks columns), and
the 入会日期 of a member already on file is never changed (it is the date of the 入会 entry of the
membership history; a different date in the file is reported as a notice, not applied).

The write produces what members.services.member_join makes for each new member — the member (在册),
its 入会 MembershipChange recorded by the importing user, a history row for each with that user —
only in bulk.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from federation.imports.bulk import AnyOf, Rows, create_with_history, derive_with_history
from federation.imports.cells import (
    ChoiceColumn,
    DateColumn,
    IdNumberColumn,
    MobileColumn,
    NameColumn,
    TextColumn,
    YesNoColumn,
    normalise_text,
)
from federation.imports.engine import CREATE, UNCHANGED, UPDATE, ImportSpec, RowResult
from federation.imports.reader import ImportFileError
from members.choices import (
    ETHNICITY_CHOICES,
    LIVE_STATUSES,
    ChangeType,
    Education,
    EmploymentStatus,
    Gender,
    HukouType,
    IdType,
    MembershipStatus,
    PoliticalStatus,
    SkillGrade,
)
from members.flows import Facts, FlowDeltas, facts_by_pk, record_member_facts
from members.models import Member, MembershipChange
from members.models.membership import identity_from_resident_id, member_rule_errors
from members.services.membership import live_elsewhere_messages
from unions.choices import UnionStatus

WRITE_BATCH = 2000
# ID numbers looked up per query when the commit looks for rows to plan again: PostgreSQL takes them
# as one array parameter; SQLite, one parameter each, within its limit.
RECHECK_CHUNK = 20_000


class OptionalYesNoColumn(YesNoColumn):
    """是/否, but a blank cell is "not given" (None), so that it leaves a member's value as it is."""

    def clean(self, raw):
        if raw is None or not normalise_text(raw):
            return None
        return super().clean(raw)


def _ethnicity_synonyms() -> dict[str, str]:
    """ "汉" for "汉族", "维吾尔" for "维吾尔族": the names without the final 族."""
    return {name.removesuffix("族"): code for code, name in ETHNICITY_CHOICES if name.endswith("族")}


ROSTER_COLUMNS = [
    NameColumn("姓名", "name", required=True, example="张三", max_length=50),
    ChoiceColumn(
        "性别",
        "gender",
        choices=Gender.choices,
        example="男",
        note=gettext_lazy("可不填，按身份证号确定；填写时须与身份证号一致。"),
        synonyms={"男性": Gender.MALE, "女性": Gender.FEMALE},
    ),
    ChoiceColumn(
        "民族",
        "ethnicity",
        choices=ETHNICITY_CHOICES,
        example="汉族",
        note=gettext_lazy("不填按汉族。“汉”与“汉族”均可。"),
        synonyms=_ethnicity_synonyms(),
    ),
    DateColumn(
        "出生日期",
        "birth_date",
        example=dt.date(1990, 3, 7),
        note=gettext_lazy("可不填，按身份证号确定；填写时须与身份证号一致。"),
    ),
    IdNumberColumn(
        "身份证号",
        "id_number",
        required=True,
        aliases=("身份证号码", "公民身份号码", "证件号码"),
        example="110105199003070017",
        note=gettext_lazy("18位居民身份证号，须设为文本格式。同一身份证号在一个文件中只能出现一次。"),
    ),
    ChoiceColumn(
        "学历",
        "education",
        choices=Education.choices,
        example="大学本科",
        synonyms={
            "博士": Education.DOCTORATE,
            "硕士": Education.MASTER,
            "本科": Education.BACHELOR,
            "大专": Education.COLLEGE,
            "专科": Education.COLLEGE,
            "中专": Education.SECONDARY_VOCATIONAL,
            "技校": Education.SECONDARY_VOCATIONAL,
            "小学": Education.PRIMARY,
        },
    ),
    ChoiceColumn(
        "政治面貌",
        "political_status",
        choices=PoliticalStatus.choices,
        example="群众",
        note=gettext_lazy("不填按群众。"),
        synonyms={
            "党员": PoliticalStatus.CPC_MEMBER,
            "中共党员(含预备党员)": PoliticalStatus.CPC_MEMBER,
            "预备党员": PoliticalStatus.CPC_PROBATIONARY,
            "团员": PoliticalStatus.CYL_MEMBER,
            "无党派": PoliticalStatus.NON_PARTISAN,
        },
    ),
    ChoiceColumn(
        "就业状况",
        "employment_status",
        choices=EmploymentStatus.choices,
        example="在岗",
        note=gettext_lazy("不填按在岗。"),
        synonyms={
            "待岗": EmploymentStatus.LAID_OFF,
            "下岗": EmploymentStatus.LAID_OFF,
            "内退": EmploymentStatus.EARLY_RETIRED,
            "退养": EmploymentStatus.EARLY_RETIRED,
        },
    ),
    MobileColumn("手机号码", "mobile", aliases=("手机", "手机号"), example="13800138000"),
    ChoiceColumn(
        "户籍类型",
        "hukou_type",
        choices=HukouType.choices,
        example="非农业",
        synonyms={
            "农业户口": HukouType.AGRICULTURAL,
            "农村": HukouType.AGRICULTURAL,
            "非农业户口": HukouType.NON_AGRICULTURAL,
            "城镇": HukouType.NON_AGRICULTURAL,
        },
    ),
    OptionalYesNoColumn(
        "是否农民工会员", "is_migrant_worker", aliases=("农民工会员", "是否农民工"), example="否"
    ),
    DateColumn(
        "入会日期",
        "joined_on",
        required=True,
        aliases=("入会时间",),
        example=dt.date(2020, 5, 1),
        note=gettext_lazy("不能晚于今天。已在册会员的入会日期不会被修改。"),
    ),
    TextColumn("会员证号", "member_number", example="", max_length=30),
    TextColumn("工作岗位", "job", aliases=("岗位", "职务"), example="车间操作工", max_length=100),
    OptionalYesNoColumn("是否工会干部", "is_cadre", aliases=("工会干部",), example="否"),
    ChoiceColumn(
        "技能等级",
        "skill_grade",
        choices=SkillGrade.choices,
        example="无",
        note=gettext_lazy("不填按无。"),
        synonyms={
            "高级技师": SkillGrade.LEVEL_1,
            "技师": SkillGrade.LEVEL_2,
            "高级工": SkillGrade.LEVEL_3,
            "中级工": SkillGrade.LEVEL_4,
            "初级工": SkillGrade.LEVEL_5,
        },
    ),
    TextColumn("户籍所在地", "hukou_place", example="", max_length=100),
]

# What a new member gets for a column left blank (or absent): the model's defaults.
CREATE_DEFAULTS = {
    field.name: field.get_default()
    for field in Member._meta.concrete_fields
    if field.name in {c.field for c in ROSTER_COLUMNS}
}
# The fields an import may change on a member already on file (never the 入会日期).
UPDATABLE = tuple(c.field for c in ROSTER_COLUMNS if c.field not in ("id_number", "joined_on"))
PLAN_FIELDS = ("pk", "union_id", "id_number", "joined_on", *UPDATABLE)


def _given(value) -> bool:
    return value is not None and value != ""


class _NewMembers:
    """The new members' rows, made from the rows' values as they are read: on PostgreSQL while COPY
    sends them (the database writes the rows already made meanwhile), not all before it starts.
    Read once: each reading makes them again."""

    def __init__(self, values: list[dict], make):
        self.values, self.make = values, make

    def __len__(self) -> int:
        return len(self.values)

    def __iter__(self):
        return map(self.make, self.values)


class MemberRosterSpec(ImportSpec):
    kind = "members"
    title = gettext_lazy("会员花名册")
    columns = ROSTER_COLUMNS
    key = "id_number"
    # New members go in with COPY (federation.imports.bulk): 20 000 at a time costs a tenth of the
    # statements (ID reservations, history copies, flow deltas) of 2 000 at a time.
    write_batch = 20_000

    def __init__(self, *, user, union, federation=None, year=None):
        super().__init__(user=user, union=union, federation=federation, year=year)
        self.union = union
        self.today = timezone.localdate()
        self.joined_on_kept = 0

    # -- phase one --

    def check_row(self, row: RowResult) -> None:
        values = row.values
        id_number = values["id_number"]
        values["birth_date"], values["gender"] = identity_from_resident_id(
            id_type=IdType.RESIDENT_ID,
            id_number=id_number,
            birth_date=values.get("birth_date") or None,
            gender=values.get("gender") or "",
        )
        errors = member_rule_errors(
            id_type=IdType.RESIDENT_ID,
            id_number=id_number,
            birth_date=values["birth_date"],
            gender=values["gender"],
            mobile=values.get("mobile", ""),
            joined_on=values["joined_on"],
            # Validated by their columns (IdNumberColumn, MobileColumn) when the cells were cleaned.
            id_number_checked=True,
            mobile_checked=True,
        )
        if values["joined_on"] > self.today:
            errors.setdefault("joined_on", []).append(_("入会日期不能晚于今天。"))
        for field_name, messages in errors.items():
            for message in messages:
                row.reject(self.column_header(field_name), str(message))

    def watched(self):
        return [Member.objects.filter(union=self.union)]

    def rows_to_recheck(self, rows: list[RowResult]) -> list[RowResult] | None:
        """The members of this union are watched; what else can change a row's plan is a live member
        elsewhere that now has the ID number of a row to be created (joined another union, or came
        back from a transfer since the check): those rows, found a set of ID numbers per query."""
        if self.union.status != UnionStatus.ACTIVE:
            return None  # planned again, every row refused with the reason
        to_create = {row.values["id_number"]: row for row in rows if row.action == CREATE}
        numbers = list(to_create)
        live = set()
        for start in range(0, len(numbers), RECHECK_CHUNK):
            live.update(
                Member.objects.filter(
                    AnyOf(F("id_number"), numbers[start : start + RECHECK_CHUNK]), status__in=LIVE_STATUSES
                )
                .order_by()
                .values_list("id_number", flat=True)
            )
        return [to_create[number] for number in live]

    def plan_batch(self, rows: list[RowResult]) -> None:
        if self.union.status != UnionStatus.ACTIVE:
            raise ImportFileError(_("“%(union)s”已撤销或合并，不能导入会员。") % {"union": self.union.name})
        ids = [row.values["id_number"] for row in rows]
        # Plain values, not Member objects: a re-imported roster of 100 000 compares without building
        # 100 000 models; the few members that change are loaded when they are written.
        live = {
            found["id_number"]: found
            for found in Member.objects.filter(AnyOf(F("id_number"), ids), status__in=LIVE_STATUSES)
            .order_by()
            .values(*PLAN_FIELDS)
        }
        other_unions = {m["union_id"] for m in live.values() if m["union_id"] != self.union.pk}
        elsewhere = live_elsewhere_messages(user=self.user, union_ids=other_unions) if other_unions else {}
        for row in rows:
            found = live.get(row.values["id_number"])
            if found is None:
                row.action = CREATE
            elif found["union_id"] != self.union.pk:
                row.reject_conflict(elsewhere[found["union_id"]])
            else:
                self._plan_update(row, found)

    def _plan_update(self, row: RowResult, found: dict) -> None:
        """`found`: the member's values (PLAN_FIELDS). An update's target is the member's pk."""
        row.changed_fields = [
            name
            for name in UPDATABLE
            if name in row.values and _given(row.values[name]) and found[name] != row.values[name]
        ]
        row.action = UPDATE if row.changed_fields else UNCHANGED
        row.target = found["pk"] if row.action == UPDATE else None
        if row.values["joined_on"] != found["joined_on"]:
            self.joined_on_kept += 1

    def notices(self) -> list[str]:
        if not self.joined_on_kept:
            return []
        return [
            _("有%(n)d名已在册会员的入会日期与文件不同；已在册会员的入会日期不会被修改。")
            % {"n": self.joined_on_kept}
        ]

    # -- phase two --

    def write(self, rows: list[RowResult]) -> None:
        now = timezone.now()
        created = [row.values for row in rows if row.action == CREATE]
        if created:
            # The flow of the 入会 entries, counted per year and facts (a handful of groups) as the
            # members' rows are made.
            groups: Counter = Counter()
            new_members: Rows = _NewMembers(created, self._new_member_maker(now, groups))
            if connection.vendor != "postgresql":
                new_members = list(new_members)  # read again below
            pks = create_with_history(Member, new_members, user=self.user, when=now)
            if pks is None:  # a backend that returns no keys
                pks = self._reload(new_members)
            self._write_join_entries(pks, new_members, now)
            deltas = FlowDeltas()
            for (year, gender, migrant, cadre), count in groups.items():
                deltas.add(
                    union_id=self.union.pk,
                    changed_on=dt.date(year, 1, 1),
                    change_type=ChangeType.JOIN,
                    facts=Facts.of({"gender": gender, "is_migrant_worker": migrant, "is_cadre": cadre}),
                    sign=count,  # `count` identical entries: the deltas add up linearly
                )
            deltas.save()
        updates = [row for row in rows if row.action == UPDATE]
        members = Member.objects.in_bulk([row.target for row in updates]) if updates else {}
        facts_before = facts_by_pk(members.values())
        updated = []
        fields = {"updated_at"}
        for row in updates:
            member = members[row.target]
            for name in row.changed_fields:
                setattr(member, name, row.values[name])
            member.updated_at = now
            fields.update(row.changed_fields)
            updated.append(member)
        if updated:
            bulk_update_with_history(
                updated,
                Member,
                sorted(fields),
                batch_size=WRITE_BATCH,
                default_user=self.user,
                default_date=now,
            )
            record_member_facts(facts_before, facts_by_pk(updated))

    def _new_member_maker(self, now, groups: Counter):
        """A function from a row's values to the new member's row (`_new_member`), that counts the
        row's group of the flow (year of joining, gender, migrant worker, cadre) in `groups`."""
        fixed = self._new_member_fixed(now)

        def make(values: dict) -> dict:
            member = self._new_member(values, now, fixed)
            groups[
                member["joined_on"].year,
                member["gender"],
                bool(member["is_migrant_worker"]),
                bool(member["is_cadre"]),
            ] += 1
            return member

        return make

    def _new_member(self, values: dict, now, fixed: dict | None = None) -> dict:
        """The new member's row ({attname: value}): what member_join would write for these values.
        `fixed`: _new_member_fixed(now), made once for a batch."""
        given = {name: value for name, value in values.items() if value is not None and value != ""}
        return {**CREATE_DEFAULTS, **given, **(fixed or self._new_member_fixed(now))}

    def _new_member_fixed(self, now) -> dict:
        """What every new member's row ({attname: value}) holds whatever the file says — with
        CREATE_DEFAULTS under the row's given values, what member_join would write."""
        return {
            "union_id": self.union.pk,
            "status": MembershipStatus.ACTIVE,
            "id_type": IdType.RESIDENT_ID,
            "created_at": now,
            "updated_at": now,
            # COPY bypasses Member.save: the row carries the flag the 工作台 reads — true, as the ID
            # number passed its column's check (IdNumberColumn: the shape, the birth date, the check
            # digit).
            "id_number_valid": True,
        }

    def _write_join_entries(self, pks: list[int], new_members: Rows, now) -> None:
        """The 入会 entry of each new member, and its history row. On PostgreSQL the database derives
        them from the member rows just written, in one statement."""
        if connection.vendor == "postgresql":
            derive_with_history(
                MembershipChange,
                source=Member,
                pks=pks,
                columns={
                    "member_id": ("s.id", []),
                    "union_id": ("s.union_id", []),
                    "change_type": ("%s", [ChangeType.JOIN]),
                    "changed_on": ("s.joined_on", []),
                    "recorded_by_id": ("%s", [self.user.pk]),
                    "created_at": ("%s", [now]),
                    "updated_at": ("%s", [now]),
                },
                user=self.user,
                when=now,
            )
            return
        entries = [
            {
                "member_id": pk,
                "union_id": self.union.pk,
                "change_type": ChangeType.JOIN,
                "changed_on": member["joined_on"],
                "recorded_by_id": self.user.pk,
                "created_at": now,
                "updated_at": now,
            }
            for pk, member in zip(pks, new_members, strict=True)
        ]
        create_with_history(MembershipChange, entries, user=self.user, when=now)

    def _reload(self, members: Rows) -> list[int]:
        found = dict(
            Member.objects.filter(
                id_number__in=[m["id_number"] for m in members],
                union=self.union,
                status=MembershipStatus.ACTIVE,
            ).values_list("id_number", "pk")
        )
        return [found[m["id_number"]] for m in members]
