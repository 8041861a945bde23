"""撤销 / 合并 of a grassroots union: decided above the union (federation staff), refused while
anything still lives in it, recorded in the union's history.

What lives in a union is kept by the apps above this one (members, their transfers and hardship
cases): each registers a hook at start-up (AppConfig.ready) that refuses a dissolution while it keeps
something there, and moves its records on a merge.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from federation import scoping
from federation.history import save_as
from federation.models import User
from unions.choices import UnionStatus
from unions.models import GrassrootsUnion


class ClosingHook(Protocol):
    def before_dissolve(self, union: GrassrootsUnion) -> None:
        """Raise ValidationError (in Chinese) while the app keeps something in the union."""

    def merge(
        self, union: GrassrootsUnion, *, into: GrassrootsUnion, on: dt.date, by: User, note: str
    ) -> int:
        """Move the app's records of `union` to `into` (or refuse); the number of members moved."""


HOOKS: list[ClosingHook] = []


def register(hook: ClosingHook) -> None:
    HOOKS.append(hook)


def can_close_union(user: User, union: GrassrootsUnion) -> bool:
    """撤销 and 合并 are decided above the union: by federation staff keeping it (or an administrator),
    never by its own cadre; the chair keeps no records."""
    return scoping.can_change(user, union) and (
        scoping.is_administrator(user) or user.role == User.Role.FEDERATION_STAFF
    )


def _lock_union_to_close(*, union: GrassrootsUnion, on: dt.date, by: User) -> GrassrootsUnion:
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


def _close(
    union: GrassrootsUnion, locked: GrassrootsUnion, *, status: str, on: dt.date, by: User, note: str
) -> None:
    locked.status = status
    locked.status_changed_on = on
    # The history row says why.
    save_as(locked, by, reason=note, update_fields=["status", "status_changed_on", "updated_at"])
    for field in ("status", "status_changed_on", "updated_at"):
        setattr(union, field, getattr(locked, field))


@transaction.atomic
def union_dissolve(*, union: GrassrootsUnion, on: dt.date, by: User, reason: str = "") -> GrassrootsUnion:
    """撤销: the union ceases to exist on `on`. Its records stay (members who left, closed cases, past
    aid, contracts); it no longer counts among the unions from that day.

    Refused while anything still lives in it: members (在册 or 保留会籍) must first leave or be
    transferred — or the union be merged instead — and open transfers and hardship cases settled.
    """
    locked = _lock_union_to_close(union=union, on=on, by=by)
    for hook in HOOKS:
        hook.before_dissolve(locked)
    note = _("撤销") + (f"：{reason.strip()}" if reason and reason.strip() else "")
    _close(union, locked, status=UnionStatus.DISSOLVED, on=on, by=by, note=note)
    return union


@transaction.atomic
def union_merge(*, union: GrassrootsUnion, into: GrassrootsUnion, on: dt.date, by: User) -> int:
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
    note = _("合并到%(u)s") % {"u": target}
    moved = sum(hook.merge(locked, into=target, on=on, by=by, note=note) for hook in HOOKS)
    _close(union, locked, status=UnionStatus.MERGED, on=on, by=by, note=note)
    return moved
