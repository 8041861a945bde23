"""会籍转接: moving a member from one union of the deployment to another.

requested ──approve (转出 side)──▶ approved ──accept (转入 side)──▶ accepted
    │                                  │
    └─ refuse (转出 side) / cancel     └─ refuse (转入 side) / cancel      (cancel: the requester's side)

Either side may open a request. At most one transfer per member is open at a time (checked under
a lock on the member, and enforced by the constraint transfer_one_open_per_member).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from federation import scoping
from federation.history import save_as
from federation.models import User
from federation.scope import within_path
from members.choices import (
    LIVE_STATUSES,
    OPEN_TRANSFER_STATUSES,
    CaseStatus,
    ChangeType,
    TransferStatus,
)
from members.flows import record_changes
from members.models import HardshipCase, Member, MembershipChange, MembershipTransfer
from members.services.common import (
    insert_guarded,
    lock_member,
    lock_transfer,
    require_not_future,
    require_union_scope,
    today,
)
from unions.choices import UnionStatus
from unions.lookup import active_unions
from unions.models import GrassrootsUnion


def transfer_destinations(user: User, member: Member) -> QuerySet[GrassrootsUnion]:
    """The active unions a transfer of `member` may be requested to. From the member's own side: any
    union of the same top-level federation tree (the other union is named, never opened — its records
    stay out of reach); from the receiving side: the unions this user keeps."""
    if scoping.can_act_for_union(user, member.union):
        root = "/".join(member.union.federation.path.split("/")[:2]) + "/"
        candidates = GrassrootsUnion.objects.filter(within_path("federation", root))
    else:
        candidates = scoping.owned(user, GrassrootsUnion)
    return active_unions(candidates.exclude(pk=member.union_id))


def transfer_destinations_for_lookup(user: User, params) -> QuerySet[GrassrootsUnion]:
    """The union search field's "transfer" purpose: the destinations of the member named in `params`."""
    member = scoping.get_visible_or_404(user, Member, pk=params.get("member"))
    return transfer_destinations(user, member)


def open_transfer_error() -> ValidationError:
    return ValidationError({"member": _("该会员已有一个未完成的转接申请。")})


@transaction.atomic
def transfer_request(
    *,
    member: Member,
    to_union: GrassrootsUnion,
    by: User,
    reason: str = "",
    requested_on: dt.date | None = None,
) -> MembershipTransfer:
    """Open a transfer of `member` to `to_union`. Either side may open it: `by` must act for the
    member's union or for `to_union`."""
    requested_on = requested_on or today()
    locked = lock_member(member)
    from_union = locked.union
    if not (scoping.can_act_for_union(by, from_union) or scoping.can_act_for_union(by, to_union)):
        raise PermissionDenied(_("只有转出或转入工会可以申请会籍转接。"))
    if locked.status not in LIVE_STATUSES:
        raise ValidationError(
            {"member": _("该会员会籍状态为“%(s)s”，不能办理转接。") % {"s": locked.get_status_display()}}
        )
    if to_union.pk == from_union.pk:
        raise ValidationError({"to_union": _("转入工会不能是会员现在所在的工会。")})
    if to_union.status != UnionStatus.ACTIVE:
        raise ValidationError({"to_union": _("转入工会已撤销或合并。")})
    require_not_future(requested_on, "requested_on")
    if requested_on < locked.joined_on:
        raise ValidationError({"requested_on": _("申请日期不能早于入会日期。")})
    if locked.transfers.filter(status__in=OPEN_TRANSFER_STATUSES).exists():
        raise open_transfer_error()

    transfer = MembershipTransfer(
        member=locked,
        from_union=from_union,
        to_union=to_union,
        reason=reason,
        requested_on=requested_on,
        requested_by=by,
    )
    transfer.full_clean()
    insert_guarded(transfer, by, constraint="transfer_one_open_per_member", error=open_transfer_error())
    return transfer


@transaction.atomic
def transfer_approve(
    *, transfer: MembershipTransfer, by: User, on: dt.date | None = None
) -> MembershipTransfer:
    """转出审批: the union the member leaves agrees to let them go."""
    on = on or today()
    locked, _member = lock_transfer(transfer)
    require_union_scope(by, locked.from_union)
    _require_status(locked, TransferStatus.REQUESTED)
    _require_date(on, not_before=locked.requested_on, label=_("申请日期"))
    locked.status = TransferStatus.APPROVED
    locked.approved_on = on
    locked.approved_by = by
    save_as(locked, by)
    _refresh(transfer, locked)
    return transfer


@transaction.atomic
def transfer_accept(
    *, transfer: MembershipTransfer, by: User, on: dt.date | None = None
) -> MembershipTransfer:
    """转入接收: the union the member joins takes them in. In one transaction the member moves, a 转出
    entry is written in the old union and a 转入 entry in the new one, both dated `on`.

    The membership itself is unchanged: same record, same status (在册 or 保留会籍), same joined_on,
    history and honours. An open hardship case moves with the member to the new union, which from
    now on gives the aid and does the reviews; closed cases and past aid stay with the union that
    kept them.
    """
    on = on or today()
    locked, member = lock_transfer(transfer)
    from_union, to_union = locked.from_union, locked.to_union
    require_union_scope(by, to_union)
    _require_status(locked, TransferStatus.APPROVED)
    _require_date(on, not_before=locked.approved_on, label=_("转出审批日期"))
    if to_union.status != UnionStatus.ACTIVE:
        raise ValidationError(_("转入工会已撤销或合并，不能接收。"))
    if member.union_id != from_union.pk or member.status not in LIVE_STATUSES:
        # Cannot happen through the services (a member with an open transfer neither leaves nor
        # moves); refuse rather than write a history that contradicts the record.
        raise ValidationError(_("该会员的会籍已发生变化，请撤销本次转接。"))

    locked.status = TransferStatus.ACCEPTED
    locked.accepted_on = on
    locked.accepted_by = by
    save_as(locked, by)

    member_move(member=member, from_union=from_union, to_union=to_union, on=on, by=by, transfer=locked)
    _refresh(transfer, locked)
    return transfer


def member_move(
    *,
    member: Member,
    from_union: GrassrootsUnion,
    to_union: GrassrootsUnion,
    on: dt.date,
    by: User,
    transfer: MembershipTransfer | None = None,
    notes: str = "",
) -> None:
    """Move a (locked) live member from one union to another as a transfer does: a 转出 entry in the
    old union and a 转入 entry in the new one, dated `on` and naming each other — which the summary
    counts as a move inside the deployment, not as a leaver and a new member — and the member's open
    hardship case along. Callers check the rules (transfer_accept; unions.closing.union_merge)."""
    member.union = to_union
    save_as(member, by, update_fields=["union", "updated_at"])
    entries = []
    for union, counterpart, change_type in (
        (from_union, to_union, ChangeType.TRANSFER_OUT),
        (to_union, from_union, ChangeType.TRANSFER_IN),
    ):
        entry = MembershipChange(
            member=member,
            union=union,
            counterpart_union=counterpart,
            change_type=change_type,
            changed_on=on,
            transfer=transfer,
            notes=notes,
            recorded_by=by,
        )
        save_as(entry, by)
        entries.append(entry)
    record_changes(entries)
    for case in HardshipCase.objects.select_for_update().filter(member=member, status=CaseStatus.OPEN):
        case.union = to_union
        save_as(case, by, update_fields=["union", "updated_at"])


@transaction.atomic
def transfer_refuse(*, transfer: MembershipTransfer, by: User, reason: str) -> MembershipTransfer:
    """拒绝: the side whose turn it is says no — the 转出 union while the request awaits approval, the
    转入 union once it is approved. A reason is required."""
    locked, _member = lock_transfer(transfer)
    if not locked.is_open:
        raise ValidationError(_("该转接已办结，不能拒绝。"))
    deciding_union = locked.awaiting_union
    assert deciding_union is not None  # an open transfer awaits one side
    if not scoping.can_act_for_union(by, deciding_union):
        raise PermissionDenied(_("现在应由“%(u)s”审批，您无权拒绝。") % {"u": deciding_union})
    _close(locked, by, TransferStatus.REFUSED, reason, reason_required=True)
    _refresh(transfer, locked)
    return transfer


@transaction.atomic
def transfer_cancel(*, transfer: MembershipTransfer, by: User, reason: str = "") -> MembershipTransfer:
    """撤销: the side that opened the request withdraws it while it is open."""
    locked, _member = lock_transfer(transfer)
    if not locked.is_open:
        raise ValidationError(_("该转接已办结，不能撤销。"))
    if not any(scoping.can_act_for_union(by, union) for union in requester_sides(locked)):
        raise PermissionDenied(_("只有申请方可以撤销会籍转接。"))
    _close(locked, by, TransferStatus.CANCELLED, reason, reason_required=False)
    _refresh(transfer, locked)
    return transfer


def requester_sides(transfer: MembershipTransfer) -> list[GrassrootsUnion]:
    """The union(s) the request was opened for: those of the two its requester may act for. A
    federation officer above both sides opened it for both. When the requester's account is gone
    (or no longer reaches either side) either side may cancel, so that no request is stranded."""
    sides = [transfer.from_union, transfer.to_union]
    requester = transfer.requested_by
    if requester is None:
        return sides
    mine = [union for union in sides if scoping.can_act_for_union(requester, union)]
    return mine or sides


def _require_status(transfer: MembershipTransfer, expected: str) -> None:
    if transfer.status != expected:
        raise ValidationError(
            _("该转接当前状态为“%(s)s”，不能办理此操作。") % {"s": transfer.get_status_display()}
        )


def _require_date(on: dt.date, *, not_before: dt.date | None, label: str) -> None:
    require_not_future(on, "on")
    if not_before is not None and on < not_before:
        raise ValidationError(
            {"on": _("日期不能早于%(label)s（%(d)s）。") % {"label": label, "d": not_before}}
        )


def _close(
    transfer: MembershipTransfer, by: User, status: str, reason: str, *, reason_required: bool
) -> None:
    reason = (reason or "").strip()
    if reason_required and not reason:
        raise ValidationError({"reason": _("请填写拒绝原因。")})
    transfer.status = status
    transfer.closed_by = by
    transfer.closing_reason = reason
    transfer.full_clean()
    save_as(transfer, by)


def _refresh(original: MembershipTransfer, locked: MembershipTransfer) -> None:
    """Let the caller's object show the new state without another query."""
    for field in (
        "status",
        "approved_on",
        "approved_by",
        "accepted_on",
        "accepted_by",
        "closed_by",
        "closing_reason",
        "updated_at",
    ):
        setattr(original, field, getattr(locked, field))
