"""The .xlsx exports of the member, hardship-case and aid lists (federation.exports.base explains how)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from federation.exports.base import DATE, INTEGER, MONEY, TEXT, XLSX, Column, ListExporter
from federation.imports.cells import ChoiceColumn, DateColumn, YesNoColumn
from members.models import AidRecord, HardshipCase, Member


class MemberExporter(ListExporter):
    title = _("会员名单")
    columns = (
        Column(_("姓名"), 10),
        Column(_("性别"), 6),
        Column(_("证件号码"), 22, TEXT),
        Column(_("手机号码"), 15, TEXT),
        Column(_("基层工会"), 30),
        Column(_("入会日期"), 12, DATE),
        Column(_("会员证号"), 16, TEXT),
        Column(_("会籍状态"), 10),
        Column(_("工会干部"), 10),
        Column(_("农民工会员"), 12),
    )
    related = ("union",)
    fields = (
        "name",
        "gender",
        "id_number",
        "mobile",
        "joined_on",
        "member_number",
        "status",
        "is_cadre",
        "is_migrant_worker",
        "union__name",
    )

    def row(self, m: Member) -> Sequence:
        return (
            m.name,
            self.label(m, "gender"),
            self.id_number(m.id_number),
            self.phone(m.mobile),
            m.union.name,
            m.joined_on,
            m.member_number,
            self.label(m, "status"),
            self.yes_no(m.is_cadre),
            self.yes_no(m.is_migrant_worker),
        )


class HardshipCaseExporter(ListExporter):
    title = _("困难职工档案")
    columns = (
        Column(_("姓名"), 10),
        Column(_("证件号码"), 22, TEXT),
        Column(_("建档工会"), 30),
        Column(_("困难类别"), 12),
        Column(_("主要致困原因"), 16),
        Column(_("家庭人口"), 10, INTEGER),
        Column(_("月人均收入(元)"), 15, MONEY),
        Column(_("建档日期"), 12, DATE),
        Column(_("最近复核日期"), 14, DATE),
        Column(_("档案状态"), 10),
    )
    related = ("member", "union")
    fields = (
        "category",
        "primary_cause",
        "household_size",
        "monthly_income_per_head",
        "opened_on",
        "last_reviewed_on",
        "status",
        "member__name",
        "member__id_number",
        "union__name",
    )

    def row(self, c: HardshipCase) -> Sequence:
        return (
            c.member.name,
            self.id_number(c.member.id_number),
            c.union.name,
            self.label(c, "category"),
            self.label(c, "primary_cause"),
            c.household_size,
            c.monthly_income_per_head,
            c.opened_on,
            c.last_reviewed_on,
            self.label(c, "status"),
        )


class AidRecordExporter(ListExporter):
    title = _("帮扶记录")
    columns = (
        Column(_("发放日期"), 12, DATE),
        Column(_("姓名"), 10),
        Column(_("证件号码"), 22, TEXT),
        Column(_("发放工会"), 30),
        Column(_("帮扶类型"), 12),
        Column(_("金额(元)"), 12, MONEY),
        Column(_("实物内容"), 20),
        Column(_("实物折价(元)"), 14, MONEY),
        Column(_("助学学生数"), 12, INTEGER),
        Column(_("资金来源"), 14),
        Column(_("经办人"), 10),
        Column(_("备注"), 24),
    )
    related = ("member", "union")
    fields = (
        "aid_on",
        "kind",
        "amount",
        "goods_description",
        "goods_value",
        "students_helped",
        "fund_source",
        "handled_by",
        "notes",
        "member__name",
        "member__id_number",
        "union__name",
    )

    def row(self, a: AidRecord) -> Sequence:
        return (
            a.aid_on,
            a.member.name,
            self.id_number(a.member.id_number),
            a.union.name,
            self.label(a, "kind"),
            a.amount,
            a.goods_description,
            a.goods_value,
            a.students_helped,
            self.label(a, "fund_source"),
            a.handled_by,
            a.notes,
        )


class MemberRosterExporter(ListExporter):
    """会员花名册 for re-import: the live members (在册, 保留会籍) in the columns of the roster import's
    template, in the order and spelling its columns read (choice labels, 是/否, dates, ID and phone
    numbers as text), so that the file imported into the same union changes nothing. It carries full
    ID and phone numbers — a masked number cannot be imported — so only a user with the permission to
    see them may write it (members.views.member_list); always .xlsx, the format imports read."""

    title = _("会员花名册")

    def __init__(self, queryset, *, user, format: str = XLSX) -> None:
        from members.choices import LIVE_STATUSES
        from members.imports.roster import ROSTER_COLUMNS

        super().__init__(queryset.filter(status__in=LIVE_STATUSES), user=user, format=XLSX)
        self.roster_columns = ROSTER_COLUMNS
        self.columns = tuple(
            Column(
                column.header,
                max(10, len(column.header) * 2 + 2) if column.number_format != "@" else 22,
                DATE if isinstance(column, DateColumn) else TEXT if column.number_format == "@" else None,
            )
            for column in ROSTER_COLUMNS
        )
        self.fields = tuple(column.field for column in ROSTER_COLUMNS)

    def row(self, m: Member) -> Sequence:
        values = []
        for column in self.roster_columns:
            value = getattr(m, column.field)
            if isinstance(column, ChoiceColumn):
                value = self.label(m, column.field) if value else ""
            elif isinstance(column, YesNoColumn):
                value = self.yes_no(value)
            values.append(value)
        return values
