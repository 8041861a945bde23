"""撤销 / 合并 of a grassroots union, the members' side (unions.closing calls it): a union with live
members, open transfers or open hardship cases is not dissolved; a merge moves every live member to
the other union as by an accepted transfer, their open cases with them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from federation.models import User
from members.choices import LIVE_STATUSES, OPEN_TRANSFER_STATUSES, CaseStatus
from members.models import HardshipCase, Member, MembershipChange, MembershipTransfer
from members.services.transfers import member_move
from unions.models import GrassrootsUnion


def _open_transfers(union: GrassrootsUnion):
    return MembershipTransfer.objects.filter(
        Q(from_union=union) | Q(to_union=union), status__in=OPEN_TRANSFER_STATUSES
    )


class MembersOfClosingUnion:
    """The members' part of unions.closing (registered in MembersConfig.ready)."""

    def before_dissolve(self, union: GrassrootsUnion) -> None:
        live = Member.objects.filter(union=union, status__in=LIVE_STATUSES).count()
        if live:
            raise ValidationError(
                _(
                    "该工会还有%(n)s名会员（在册或保留会籍）。请先为会员办理转接或离会，"
                    "或改为“合并”到另一个基层工会。"
                )
                % {"n": live}
            )
        if _open_transfers(union).exists():
            raise ValidationError(_("该工会还有未办结的会籍转接，请先审批、接收或撤销这些转接。"))
        if HardshipCase.objects.filter(union=union, status=CaseStatus.OPEN).exists():
            raise ValidationError(_("该工会还有在档的困难职工档案，请先结档。"))

    def merge(
        self, union: GrassrootsUnion, *, into: GrassrootsUnion, on: dt.date, by: User, note: str
    ) -> int:
        """Move every live member of `union` to `into` on `on`; the number moved."""
        if _open_transfers(union).exists():
            raise ValidationError(_("该工会还有未办结的会籍转接，请先审批、接收或撤销这些转接，再办理合并。"))
        members = list(
            Member.objects.select_for_update().filter(union=union, status__in=LIVE_STATUSES).order_by("pk")
        )
        later = (
            MembershipChange.objects.filter(member__in=members, changed_on__gt=on)
            .order_by("-changed_on")
            .first()
        )
        if later is not None:
            raise ValidationError(
                {
                    "on": _("合并日期不能早于会员“%(m)s”最近一次会籍变化的日期（%(d)s）。")
                    % {"m": later.member, "d": later.changed_on}
                }
            )
        joined_later = next((m for m in members if m.joined_on > on), None)
        if joined_later is not None:
            raise ValidationError(
                {
                    "on": _("合并日期不能早于会员“%(m)s”的入会日期（%(d)s）。")
                    % {"m": joined_later, "d": joined_later.joined_on}
                }
            )
        for member in members:
            member_move(member=member, from_union=union, to_union=into, on=on, by=by, notes=note)
        return len(members)
