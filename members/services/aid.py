"""帮扶记录: aid given to a member, usually within their hardship case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from federation.history import save_as
from federation.models import User
from members.choices import AidKind, CaseStatus
from members.models import AidRecord, HardshipCase, Member
from members.services.common import reject_unknown_fields, require_not_future, require_union_scope

AID_FIELDS = frozenset(
    {"goods_description", "goods_value", "students_helped", "fund_source", "handled_by", "notes"}
)


def files_under_case(kind: str) -> bool:
    """Aid of any kind but 节日慰问 is help for the hardship a case documents; 节日慰问(送温暖) goes to
    members at large — the festival lists include members with no hardship."""
    return kind != AidKind.FESTIVAL


def case_open_on(open_cases: Iterable[HardshipCase], aid_on: dt.date) -> HardshipCase | None:
    """Of a member's open cases, the one the aid of `aid_on` is filed under: the latest opened by then."""
    opened = [case for case in open_cases if case.opened_on <= aid_on]
    return max(opened, key=lambda case: case.opened_on, default=None)


def check_aid_dates(*, member: Member, aid_on: dt.date, hardship_case: HardshipCase | None) -> None:
    """The aid falls within the membership (from joined_on, and up to left_on for a member who has
    left: recording past aid late is allowed) and, for a case, within the case's open period."""
    require_not_future(aid_on, "aid_on")
    if aid_on < member.joined_on or (member.left_on and aid_on > member.left_on):
        raise ValidationError({"aid_on": _("发放日期不在该会员的会籍期间内。")})
    if hardship_case is not None and hardship_case.member_id == member.pk:  # else the model refuses it
        if aid_on < hardship_case.opened_on or (hardship_case.closed_on and aid_on > hardship_case.closed_on):
            raise ValidationError({"aid_on": _("发放日期不在该档案的在档期间内。")})


@transaction.atomic
def aid_record_create(
    *,
    member: Member,
    by: User,
    aid_on: dt.date,
    kind: str,
    amount: Decimal,
    hardship_case: HardshipCase | None = None,
    **fields,
) -> AidRecord:
    """Record aid to `member`, given by the member's union.

    Without an explicit `hardship_case`, aid of any kind but 节日慰问 is filed under the member's
    open case (if it was open on `aid_on`): 生活/医疗救助, 助学 and the rest are help for the
    hardship the case documents. 节日慰问(送温暖) goes to members at large — the festival lists
    include members with no hardship — so it is filed under a case only when the caller says so.

    The aid must fall within the membership (from joined_on, and up to left_on for a member who
    has left: recording past aid late is allowed) and, for a case, within the case's open period.
    """
    reject_unknown_fields(fields, AID_FIELDS)
    member = Member.objects.select_related("union").get(pk=member.pk)  # its union now, not when loaded
    require_union_scope(by, member.union)
    if hardship_case is None and files_under_case(kind):
        hardship_case = case_open_on(
            HardshipCase.objects.filter(member=member, status=CaseStatus.OPEN), aid_on
        )
    check_aid_dates(member=member, aid_on=aid_on, hardship_case=hardship_case)

    record = AidRecord(
        member=member,
        union=member.union,
        hardship_case=hardship_case,
        aid_on=aid_on,
        kind=kind,
        amount=amount,
        recorded_by=by,
        **fields,
    )
    record.full_clean()  # amounts ≥ 0, 助学 with its students, amount or goods given
    save_as(record, by)
    return record


@transaction.atomic
def aid_record_update(
    *, record: AidRecord, by: User, aid_on: dt.date, kind: str, amount: Decimal, **fields
) -> AidRecord:
    """Correct an aid record, by the union that gave it, under the rules of aid_record_create. The
    member, the union and the hardship case it was filed under stay: aid given to someone else is a
    new record."""
    reject_unknown_fields(fields, AID_FIELDS)
    locked = (
        AidRecord.objects.select_related("member", "union", "hardship_case")
        .select_for_update(of=("self",))
        .get(pk=record.pk)
    )
    require_union_scope(by, locked.union)
    check_aid_dates(member=locked.member, aid_on=aid_on, hardship_case=locked.hardship_case)
    locked.aid_on, locked.kind, locked.amount = aid_on, kind, amount
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    save_as(locked, by)
    for name in ("aid_on", "kind", "amount", "updated_at", *AID_FIELDS):
        setattr(record, name, getattr(locked, name))
    return record
