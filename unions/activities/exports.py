"""The .xlsx export of the activity list (federation.exports.base explains how)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from federation.exports.base import DATE, INTEGER, MONEY, Column, ListExporter
from unions.activities.models import Activity


class ActivityExporter(ListExporter):
    title = _("活动记录")
    columns = (
        Column(_("活动名称"), 30),
        Column(_("活动类别"), 12),
        Column(_("主办方"), 28),
        Column(_("开始日期"), 12, DATE),
        Column(_("结束日期"), 12, DATE),
        Column(_("地点"), 20),
        Column(_("参与人次"), 10, INTEGER),
        Column(_("受益人数"), 10, INTEGER),
        Column(_("经费支出(元)"), 14, MONEY),
    )
    related = ("union", "federation")
    fields = (
        "title",
        "category",
        "starts_on",
        "ends_on",
        "place",
        "participants",
        "beneficiaries",
        "spending",
        "union__name",
        "federation__name",
    )

    def row(self, a: Activity) -> Sequence:
        return (
            a.title,
            self.label(a, "category"),
            a.organiser.name,
            a.starts_on,
            a.ends_on,
            a.place,
            a.participants,
            a.beneficiaries,
            a.spending,
        )
