"""The .xlsx export of the federation list (federation.exports.base explains how)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from federation.exports.base import DATE, INTEGER, TEXT, Column, ListExporter
from federation.models import Federation


class FederationExporter(ListExporter):
    title = _("联合会名单")
    columns = (
        Column(_("名称"), 30),
        Column(_("层级"), 10),
        Column(_("上级联合会"), 30),
        Column(_("直属基层工会"), 12, INTEGER),
        Column(_("主席"), 10),
        Column(_("联系电话"), 16, TEXT),
        Column(_("地址"), 30),
        Column(_("成立日期"), 12, DATE),
    )
    related = ("parent",)
    fields = (
        "name",
        "level",
        "chair_name",
        "contact_phone",
        "address",
        "established_on",
        "parent__name",
    )

    def row(self, f: Federation) -> Sequence:
        return (
            f.name,
            self.label(f, "level"),
            f.parent.name if f.parent else "",
            f.union_count,
            f.chair_name,
            self.phone(f.contact_phone),
            f.address,
            f.established_on,
        )
