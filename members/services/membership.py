"""Joining and leaving: the writes that create a member and change a membership's status.

A member's status is the result of its MembershipChange history, so every function here writes
exactly one entry and sets the status from it; nothing is ever deleted. Moving a member between two
unions of the deployment is a transfer (members.services.transfers), not a status change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from federation import scoping
from federation.history import save_as
from federation.models import User
from members.choices import (
    LEAVING_CHANGES,
    LIVE_STATUSES,
    OPEN_TRANSFER_STATUSES,
    STATUS_AFTER_CHANGE,
    CaseStatus,
    ChangeReason,
    ChangeType,
    IdType,
    MembershipStatus,
)
from members.flows import record_changes
from members.models import MEMBER_FIELDS, HardshipCase, Member, MembershipChange
from members.models.membership import identity_from_resident_id
from members.services.common import (
    insert_guarded,
    lock_member,
    reject_unknown_fields,
    require_not_future,
    require_union_scope,
)
from unions.choices import UnionStatus
from unions.models import GrassrootsUnion

# The changes member_status_change records. 入会 is member_join; 转入 (and the 转出 between two
# unions of the deployment) is a transfer.
STATUS_CHANGES = frozenset(
    {
        ChangeType.RESERVE,
        ChangeType.WITHDRAW,
        ChangeType.EXPEL,
        ChangeType.DEATH,
        ChangeType.TRANSFER_OUT,
    }
)
REASON_REQUIRED = frozenset({ChangeType.WITHDRAW, ChangeType.EXPEL})
# Reasons that only make sense for one change: 因犯罪开除 is an expulsion, 个人要求退会 a withdrawal.
REASON_ONLY_FOR: dict[str, str] = {
    ChangeReason.CRIME: ChangeType.EXPEL,
    ChangeReason.PERSONAL: ChangeType.WITHDRAW,
}


def live_membership_error() -> ValidationError:
    return ValidationError({"id_number": _("该证件号码已是在册会员，同一人只能有一个有效会籍。")})


def live_elsewhere_messages(*, user: User, union_ids: Iterable[int], on_join: bool = False) -> dict[int, str]:
    """What `user` is told about an ID number that is a live member of each of these unions.

    A union the user sees is named: the user can arrange the transfer. Any other union is not, nor
    its federation: naming it would tell a cadre of one federation where a person of another is a
    member, for any number it types or uploads. The user learns only that the person is a member
    elsewhere, and whom to ask.
    """
    ids = set(union_ids)
    seen = dict(scoping.visible(user, GrassrootsUnion).filter(pk__in=ids).values_list("pk", "name"))
    if on_join:  # any kind of ID document, and the rule that was broken
        named = _("该证件号码已是“%(union)s”的在册会员，同一人只能有一个有效会籍，请先办理会籍转接。")
        unnamed = _("该证件号码已是其他工会的在册会员，同一人只能有一个有效会籍，请联系上级工会联合会核实。")
    else:
        named = _("该身份证号已是“%(union)s”的在册会员，请先办理会籍转接。")
        unnamed = _("该身份证号已是其他工会的在册会员，请联系上级工会联合会核实。")
    return {pk: named % {"union": seen[pk]} if pk in seen else unnamed for pk in ids}


def _name_the_live_membership(exc: ValidationError, member: Member, by: User) -> ValidationError:
    """The constraint's plain message, told as live_elsewhere_messages tells it to `by`."""
    if not hasattr(exc, "error_dict") or not any(
        e.code == "unique" for e in exc.error_dict.get("id_number", [])
    ):
        return exc
    found = (
        Member.objects.filter(id_number=member.id_number, status__in=LIVE_STATUSES)
        .values_list("union_id", flat=True)
        .first()
    )
    if found is None:
        return exc
    errors = {field: list(messages) for field, messages in exc.error_dict.items()}
    told = live_elsewhere_messages(user=by, union_ids=[found], on_join=True)[found]
    errors["id_number"] = [e for e in errors["id_number"] if e.code != "unique"]
    errors["id_number"].append(ValidationError(told, code="unique"))
    return ValidationError(errors)


@transaction.atomic
def member_join(*, union: GrassrootsUnion, by: User, joined_on: dt.date, **fields) -> Member:
    """入会: create a member (在册) of `union` and its 入会 entry dated `joined_on`.

    `fields` are the other fields of the 会员实名信息采集表 (name, gender, birth_date, id_number, …).
    One person holds one live membership in the whole deployment: an ID number that is already a
    live member anywhere is refused on the field id_number — by the check here, or, when two
    requests race, by the database constraint behind it.
    """
    reject_unknown_fields(fields, MEMBER_FIELDS)
    require_union_scope(by, union)
    if union.status != UnionStatus.ACTIVE:
        raise ValidationError({"union": _("该基层工会已撤销或合并，不能办理入会。")})
    require_not_future(joined_on, "joined_on")
    # 出生日期 and 性别 left empty are what a 居民身份证 number says, as the roster import takes them.
    fields["birth_date"], fields["gender"] = identity_from_resident_id(
        id_type=fields.get("id_type", IdType.RESIDENT_ID),
        id_number=fields.get("id_number", ""),
        birth_date=fields.get("birth_date"),
        gender=fields.get("gender") or "",
    )

    member = Member(union=union, joined_on=joined_on, status=MembershipStatus.ACTIVE, **fields)
    try:
        member.full_clean()  # also normalises the ID number and checks it against live members
    except ValidationError as exc:
        raise _name_the_live_membership(exc, member, by) from None
    insert_guarded(member, by, constraint="member_one_live_membership_per_id", error=live_membership_error())
    entry = MembershipChange(
        member=member,
        union=union,
        change_type=ChangeType.JOIN,
        changed_on=joined_on,
        recorded_by=by,
    )
    save_as(entry, by)
    record_changes([entry])
    return member


@transaction.atomic
def member_status_change(
    *,
    member: Member,
    change_type: str,
    changed_on: dt.date,
    by: User,
    reason: str = "",
    notes: str = "",
) -> MembershipChange:
    """保留 / 退会 / 除名 / 去世 / 转出 (to a union outside this deployment): one history entry, and the
    member's status follows from it. Leaving changes also set left_on.

    A leaving change closes the member's open hardship case as 已退出 on the same day: the case of
    someone who is no longer a member cannot stay 在档, and closing it here keeps both in one
    transaction. A member with an open transfer must have it refused or cancelled first, because
    another union is waiting on it.
    """
    if change_type not in STATUS_CHANGES:
        raise ValidationError({"change_type": _("入会请办理入会登记，本系统内的转入、转出请办理会籍转接。")})
    locked = lock_member(member)
    require_union_scope(by, locked.union)
    _validate_status_change(locked, change_type, changed_on, reason)

    entry = MembershipChange(
        member=locked,
        union=locked.union,
        change_type=change_type,
        changed_on=changed_on,
        reason=reason,
        notes=notes,
        recorded_by=by,
    )
    entry.full_clean()

    locked.status = STATUS_AFTER_CHANGE[change_type]
    if change_type in LEAVING_CHANGES:
        locked.left_on = changed_on
        _close_open_case_on_leaving(locked, change_type, changed_on, by)
    save_as(locked, by, update_fields=["status", "left_on", "updated_at"])
    save_as(entry, by)
    record_changes([entry])

    member.status, member.left_on = locked.status, locked.left_on
    return entry


def _validate_status_change(member: Member, change_type: str, changed_on: dt.date, reason: str) -> None:
    if member.status not in LIVE_STATUSES:
        raise ValidationError(
            _("该会员会籍状态为“%(status)s”，不能再办理会籍变化。") % {"status": member.get_status_display()}
        )
    if change_type == ChangeType.RESERVE and member.status == MembershipStatus.RESERVED:
        raise ValidationError({"change_type": _("该会员已是保留会籍。")})
    require_not_future(changed_on, "changed_on")
    if changed_on < member.joined_on:
        raise ValidationError({"changed_on": _("变化日期不能早于入会日期。")})
    latest = member.changes.order_by("-changed_on").values_list("changed_on", flat=True).first()
    if latest and changed_on < latest:
        raise ValidationError(
            {"changed_on": _("变化日期不能早于该会员最近一次会籍变化（%(d)s）。") % {"d": latest}}
        )
    if change_type in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("退会、除名须选择原因。")})
    if reason in REASON_ONLY_FOR and REASON_ONLY_FOR[reason] != change_type:
        raise ValidationError(
            {
                "reason": _("原因“%(reason)s”只适用于%(change)s。")
                % {
                    "reason": ChangeReason(reason).label,
                    "change": ChangeType(REASON_ONLY_FOR[reason]).label,
                }
            }
        )
    if change_type in LEAVING_CHANGES and member.transfers.filter(status__in=OPEN_TRANSFER_STATUSES).exists():
        raise ValidationError(_("该会员有未完成的会籍转接，请先拒绝或撤销转接。"))


def _close_open_case_on_leaving(member: Member, change_type: str, changed_on: dt.date, by: User) -> None:
    case = HardshipCase.objects.select_for_update().filter(member=member, status=CaseStatus.OPEN).first()
    if case is None:
        return
    if changed_on < case.opened_on:
        raise ValidationError(
            {
                "changed_on": _("该会员有在档的困难职工档案（建档于%(d)s），变化日期不能早于建档日期。")
                % {"d": case.opened_on}
            }
        )
    case.status = CaseStatus.EXITED
    case.closed_on = changed_on
    case.close_reason = _("会员%(change)s，档案随之退出。") % {"change": ChangeType(change_type).label}
    save_as(case, by, update_fields=["status", "closed_on", "close_reason", "updated_at"])
