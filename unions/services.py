"""Writes on grassroots unions that carry rules."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from federation import scoping
from federation.models import User
from members.choices import LIVE_STATUSES, OPEN_TRANSFER_STATUSES, CaseStatus
from members.models import HardshipCase, Member, MembershipChange, MembershipTransfer
from members.services.transfers import member_move
from unions.choices import UnionStatus
from unions.models import Election, GrassrootsUnion


@transaction.atomic
def election_record(
    *,
    union: GrassrootsUnion,
    held_on: dt.date,
    chair_name: str,
    term_years: int,
    by,
    notes: str = "",
) -> Election:
    """换届选举: record the election and start the new term it opens — the union's chair and term
    length change, the term starts on `held_on`, and so the next election falls due `term_years`
    later (GrassrootsUnion.save computes election_due_on).

    An election cannot predate the union or the term it replaces, lie in the future, or be
    recorded twice for the same day.
    """
    locked = GrassrootsUnion.objects.select_for_update().get(pk=union.pk)
    if not scoping.can_act_for_union(by, locked):
        raise PermissionDenied(_("您无权登记“%(union)s”的换届选举。") % {"union": locked})
    if locked.status != UnionStatus.ACTIVE:
        raise ValidationError(_("该基层工会已撤销或合并，不能登记换届选举。"))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("选举日期不能晚于今天。")})
    if held_on < locked.established_on:
        raise ValidationError(
            {"held_on": _("选举日期不能早于建会日期（%(d)s）。") % {"d": locked.established_on}}
        )
    if locked.term_started_on and held_on < locked.term_started_on:
        raise ValidationError(
            {"held_on": _("选举日期不能早于本届任期开始日期（%(d)s）。") % {"d": locked.term_started_on}}
        )
    if locked.elections.filter(held_on=held_on).exists():
        raise ValidationError({"held_on": _("该日期已登记过换届选举。")})

    election = Election(
        union=locked,
        held_on=held_on,
        chair_name=(chair_name or "").strip(),
        term_years=term_years,
        notes=notes,
        recorded_by=by,
    )
    election.full_clean()  # chair required, term of 3 or 5 years
    election._history_user = by
    election.save()

    locked.chair_name = election.chair_name
    locked.term_years = election.term_years
    locked.term_started_on = held_on
    locked._history_user = by
    locked.save(
        update_fields=["chair_name", "term_years", "term_started_on", "election_due_on", "updated_at"]
    )
    for field in ("chair_name", "term_years", "term_started_on", "election_due_on", "updated_at"):
        setattr(union, field, getattr(locked, field))
    return election


# ---- 撤销 / 合并 ----


def can_close_union(user, union: GrassrootsUnion) -> bool:
    """撤销 and 合并 are decided above the union: by federation staff keeping it (or an administrator),
    never by its own cadre; the chair keeps no records."""
    return scoping.can_change(user, union) and (
        scoping.is_administrator(user) or user.role == User.Role.FEDERATION_STAFF
    )


def _lock_union_to_close(*, union: GrassrootsUnion, on: dt.date, by) -> GrassrootsUnion:
    """The union's row, locked, once `by` may close it on `on`: federation staff (or an administrator)
    keeping the union — a union cadre does not close their own union, the chair keeps no records."""
    locked = GrassrootsUnion.objects.select_for_update().get(pk=union.pk)
    if not can_close_union(by, locked):
        raise PermissionDenied(_("只有上级联合会工作人员可以撤销或合并“%(union)s”。") % {"union": locked})
    if locked.status != UnionStatus.ACTIVE:
        raise ValidationError(
            _("该基层工会已是“%(s)s”状态，不能再办理。") % {"s": locked.get_status_display()}
        )
    if on > timezone.localdate():
        raise ValidationError({"on": _("日期不能晚于今天。")})
    if on < locked.established_on:
        raise ValidationError({"on": _("日期不能早于建会日期（%(d)s）。") % {"d": locked.established_on}})
    return locked


def _open_transfers(union: GrassrootsUnion):
    return MembershipTransfer.objects.filter(
        Q(from_union=union) | Q(to_union=union), status__in=OPEN_TRANSFER_STATUSES
    )


def _close(
    union: GrassrootsUnion, locked: GrassrootsUnion, *, status: str, on: dt.date, by, note: str
) -> None:
    locked.status = status
    locked.status_changed_on = on
    locked._history_user = by
    # The history row says why (the field holds at most 100 characters).
    locked._change_reason = note[:100]
    locked.save(update_fields=["status", "status_changed_on", "updated_at"])
    for field in ("status", "status_changed_on", "updated_at"):
        setattr(union, field, getattr(locked, field))


@transaction.atomic
def union_dissolve(*, union: GrassrootsUnion, on: dt.date, by, reason: str = "") -> GrassrootsUnion:
    """撤销: the union ceases to exist on `on`. Its records stay (members who left, closed cases, past
    aid, contracts); it no longer counts among the unions from that day.

    Refused while anything still lives in it: members (在册 or 保留会籍) must first leave or be
    transferred — or the union be merged instead — and open transfers and hardship cases settled.
    """
    locked = _lock_union_to_close(union=union, on=on, by=by)
    live = Member.objects.filter(union=locked, status__in=LIVE_STATUSES).count()
    if live:
        raise ValidationError(
            _(
                "该工会还有%(n)s名会员（在册或保留会籍）。请先为会员办理转接或离会，"
                "或改为“合并”到另一个基层工会。"
            )
            % {"n": live}
        )
    if _open_transfers(locked).exists():
        raise ValidationError(_("该工会还有未办结的会籍转接，请先审批、接收或撤销这些转接。"))
    if HardshipCase.objects.filter(union=locked, status=CaseStatus.OPEN).exists():
        raise ValidationError(_("该工会还有在档的困难职工档案，请先结档。"))
    note = _("撤销") + (f"：{reason.strip()}" if reason and reason.strip() else "")
    _close(union, locked, status=UnionStatus.DISSOLVED, on=on, by=by, note=note)
    return union


@transaction.atomic
def union_merge(*, union: GrassrootsUnion, into: GrassrootsUnion, on: dt.date, by) -> int:
    """合并: the union is merged into `into` on `on`. Every live member moves there as by an accepted
    transfer — a 转出 entry in this union and a 转入 entry in `into`, both dated `on` and naming each
    other — so that the summary counts the move like any internal transfer, neither as new members
    nor as leavers. Their open hardship cases move with them. Returns the number of members moved.

    Refused while a member of this union has an open transfer (it would land in a closed union or
    leave from one), and when `into` is not an active union `by` keeps.
    """
    locked = _lock_union_to_close(union=union, on=on, by=by)
    target = GrassrootsUnion.objects.select_for_update().get(pk=into.pk)
    if target.pk == locked.pk:
        raise ValidationError({"into": _("不能合并到本工会自身。")})
    if target.status != UnionStatus.ACTIVE:
        raise ValidationError({"into": _("合并到的工会已撤销或合并，请选择一个状态正常的基层工会。")})
    if not scoping.can_change(by, target):
        raise ValidationError({"into": _("您无权管理“%(u)s”，不能合并到该工会。") % {"u": target}})
    if on < target.established_on:
        raise ValidationError(
            {
                "on": _("合并日期不能早于“%(u)s”的建会日期（%(d)s）。")
                % {"u": target, "d": target.established_on}
            }
        )
    if _open_transfers(locked).exists():
        raise ValidationError(_("该工会还有未办结的会籍转接，请先审批、接收或撤销这些转接，再办理合并。"))

    members = list(
        Member.objects.select_for_update().filter(union=locked, status__in=LIVE_STATUSES).order_by("pk")
    )
    later = (
        MembershipChange.objects.filter(member__in=members, changed_on__gt=on).order_by("-changed_on").first()
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

    note = _("合并到%(u)s") % {"u": target}
    for member in members:
        member_move(member=member, from_union=locked, to_union=target, on=on, by=by, notes=note)
    _close(union, locked, status=UnionStatus.MERGED, on=on, by=by, note=note)
    return len(members)
