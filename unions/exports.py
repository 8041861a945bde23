"""The .xlsx exports of the union and contract lists (federation.exports.base explains how)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from federation.exports.base import DATE, INTEGER, TEXT, Column, ListExporter
from unions.models import CollectiveContract, GrassrootsUnion


class UnionExporter(ListExporter):
    title = _("基层工会名单")
    columns = (
        Column(_("工会名称"), 30),
        Column(_("统一社会信用代码"), 22, TEXT),
        Column(_("单位名称"), 30),
        Column(_("所属联合会"), 24),
        Column(_("单位性质"), 16),
        Column(_("基层工会类型"), 14),
        Column(_("行业"), 20),
        Column(_("工会主席"), 10),
        Column(_("联系电话"), 15, TEXT),
        Column(_("建会日期"), 12, DATE),
        Column(_("应换届日期"), 12, DATE),
        Column(_("状态"), 8),
    )
    related = ("federation",)
    fields = (
        "name",
        "credit_code",
        "employer_name",
        "employer_nature",
        "union_type",
        "industry",
        "chair_name",
        "chair_phone",
        "established_on",
        "election_due_on",
        "status",
        "federation__name",
    )

    def row(self, u: GrassrootsUnion) -> Sequence:
        return (
            u.name,
            u.credit_code,
            u.employer_name,
            u.federation.name,
            self.label(u, "employer_nature"),
            self.label(u, "union_type"),
            self.label(u, "industry"),
            u.chair_name,
            self.phone(u.chair_phone),
            u.established_on,
            u.election_due_on,
            self.label(u, "status"),
        )


class ContractExporter(ListExporter):
    title = _("集体合同")
    columns = (
        Column(_("合同名称"), 36),
        Column(_("合同类别"), 14),
        Column(_("签订形式"), 12),
        Column(_("签订方"), 30),
        Column(_("签订日期"), 12, DATE),
        Column(_("期限开始"), 12, DATE),
        Column(_("期限结束"), 12, DATE),
        Column(_("覆盖职工数"), 12, INTEGER),
        Column(_("状态"), 10),
    )
    related = ("union", "federation")
    fields = (
        "title",
        "kind",
        "scope",
        "signed_on",
        "starts_on",
        "ends_on",
        "covered_employees",
        "status",
        "union__name",
        "federation__name",
    )

    def row(self, c: CollectiveContract) -> Sequence:
        party = c.union.name if c.union else c.federation.name
        return (
            c.title,
            self.label(c, "kind"),
            self.label(c, "scope"),
            party,
            c.signed_on,
            c.starts_on,
            c.ends_on,
            c.covered_employees,
            self.label(c, "status"),
        )
