"""What every write service of members shares: the permission check, row locks, saving with the
acting user in the history, dates that may not lie in the future, and turning a lost race on a
database constraint back into the ValidationError the service would have raised."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from federation import scoping
from federation.history import save_as
from federation.models import User
from members.models import HardshipCase, Member, MembershipTransfer
from unions.models import GrassrootsUnion


def require_union_scope(by: User, union: GrassrootsUnion) -> None:
    """Refuse unless `by` may keep the records of `union` (a chair reads only; see scoping)."""
    if not scoping.can_act_for_union(by, union):
        raise PermissionDenied(_("您无权办理“%(union)s”的会员事务。") % {"union": union})


def today() -> dt.date:
    return timezone.localdate()


def require_not_future(day: dt.date, field: str) -> None:
    if day > today():
        raise ValidationError({field: _("日期不能晚于今天。")})


def reject_unknown_fields(fields: Mapping, allowed: Iterable[str]) -> None:
    """A misspelt keyword is a programming error, not bad input: fail loudly."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(sorted(unknown))}")


def lock_member(member: Member) -> Member:
    """The member's row, locked until the transaction ends, so that two requests changing the same
    member run one after the other and the second sees what the first did."""
    return Member.objects.select_related("union").select_for_update(of=("self",)).get(pk=member.pk)


def lock_transfer(transfer: MembershipTransfer) -> tuple[MembershipTransfer, Member]:
    """The transfer and its member, locked — always the member first, as transfer_request does, so
    that two requests about one member never wait on each other in opposite order."""
    member = lock_member(transfer.member)
    locked = (
        MembershipTransfer.objects.select_related("from_union", "to_union", "requested_by")
        .select_for_update(of=("self",))
        .get(pk=transfer.pk)
    )
    return locked, member


def lock_case(case: HardshipCase) -> HardshipCase:
    return (
        HardshipCase.objects.select_related("union", "member").select_for_update(of=("self",)).get(pk=case.pk)
    )


def violates(exc: IntegrityError, model: type[models.Model], constraint_name: str) -> bool:
    """Did this IntegrityError come from that unique constraint?

    PostgreSQL names the constraint; SQLite names the columns ("UNIQUE constraint failed: t.c").
    """
    text = str(exc)
    if constraint_name in text:
        return True
    constraint = next(c for c in model._meta.constraints if c.name == constraint_name)
    assert isinstance(constraint, models.UniqueConstraint)
    columns = ", ".join(
        f"{model._meta.db_table}.{model._meta.get_field(name).column}"  # type: ignore[union-attr]
        for name in constraint.fields
    )
    return f"UNIQUE constraint failed: {columns}" in text


def insert_guarded(
    obj: models.Model, by: User, *, constraint: str, error: ValidationError, **save_kwargs
) -> None:
    """Insert `obj`; if another request won the race on `constraint` since we validated, raise
    `error` — the same answer the validation would have given a moment later."""
    try:
        with transaction.atomic():
            save_as(obj, by, **save_kwargs)
    except IntegrityError as exc:
        if violates(exc, type(obj), constraint):
            raise error from exc
        raise
