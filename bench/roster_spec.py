"""A stand-in roster spec for bench/imports.py, used only while members.imports.MemberRosterSpec (the
real one, written on another branch) is not in this build. It does the work the real spec must do,
so that the figures are of the same order: the 15 columns cleaned by federation.imports.cells, one
query per batch for the live members with those ID numbers, and a bulk write of the members, their
history rows and their 入会 entries.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from federation.identifiers import resident_id_birth_date, resident_id_gender
from federation.imports import engine
from federation.imports.cells import (
    ChoiceColumn,
    DateColumn,
    IdNumberColumn,
    MobileColumn,
    NameColumn,
    TextColumn,
    YesNoColumn,
)
from federation.models import ImportBatch
from members.choices import (
    ETHNICITY_CHOICES,
    LIVE_STATUSES,
    ChangeType,
    Education,
    EmploymentStatus,
    Gender,
    HukouType,
    PoliticalStatus,
)
from members.models import Member, MembershipChange


class BenchRosterSpec(engine.ImportSpec):
    kind = ImportBatch.Kind.MEMBERS
    title = "会员花名册（基准测试替身）"
    key = "id_number"
    columns = [
        NameColumn("姓名", "name", required=True),
        ChoiceColumn("性别", "gender", required=True, choices=Gender.choices),
        ChoiceColumn("民族", "ethnicity", choices=ETHNICITY_CHOICES),
        DateColumn("出生日期", "birth_date"),
        IdNumberColumn("身份证号", "id_number", required=True),
        ChoiceColumn("学历", "education", choices=Education.choices),
        ChoiceColumn("政治面貌", "political_status", choices=PoliticalStatus.choices),
        ChoiceColumn("就业状况", "employment_status", choices=EmploymentStatus.choices),
        MobileColumn("手机号码", "mobile"),
        ChoiceColumn("户籍类型", "hukou_type", choices=HukouType.choices),
        YesNoColumn("是否农民工会员", "is_migrant_worker"),
        DateColumn("入会日期", "joined_on", required=True),
        TextColumn("会员证号", "member_number", max_length=30),
        TextColumn("工作岗位", "job"),
        YesNoColumn("是否工会干部", "is_cadre"),
    ]

    def __init__(self, *, user, union=None, **scope):
        super().__init__(user=user, union=union, **scope)
        self.union = union

    def check_row(self, row):
        values = row.values
        id_number = values["id_number"]
        born = resident_id_birth_date(id_number)
        if values.get("birth_date") and values["birth_date"] != born:
            row.reject("出生日期", _("与身份证号中的出生日期不一致。"))
        if values["gender"] != resident_id_gender(id_number):
            row.reject("性别", _("与身份证号中的性别不一致。"))
        values["birth_date"] = born

    def plan_batch(self, rows):
        live = {
            m.id_number: m
            for m in Member.objects.filter(
                id_number__in=[r.values["id_number"] for r in rows], status__in=LIVE_STATUSES
            ).only("union_id", "id_number", *FIELDS)
        }
        for row in rows:
            member = live.get(row.values["id_number"])
            if member is None:
                row.action = engine.CREATE
            elif member.union_id != self.union.pk:
                row.reject_conflict(_("该身份证号已是其他基层工会的在册会员。"))
            else:
                row.target = member
                row.changed_fields = [f for f in FIELDS if getattr(member, f) != row.values.get(f)]
                row.action = engine.UPDATE if row.changed_fields else engine.UNCHANGED

    def write(self, rows):
        created = [
            Member(union=self.union, **{k: v for k, v in row.values.items() if v is not None})
            for row in rows
            if row.action == engine.CREATE
        ]
        bulk_create_with_history(created, Member, batch_size=len(created) or 1, default_user=self.user)
        MembershipChange.objects.bulk_create(
            MembershipChange(
                member=member, union=self.union, change_type=ChangeType.JOIN, changed_on=member.joined_on
            )
            for member in created
        )


# The fields compared to find what an update changes: every column but the key.
FIELDS = [column.field for column in BenchRosterSpec.columns if column.field != BenchRosterSpec.key]
