"""Writes on grassroots unions that carry rules."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from federation import scoping
from federation.history import save_as
from federation.models import User
from unions.choices import UnionStatus
from unions.models import Election, GrassrootsUnion


@transaction.atomic
def election_record(
    *,
    union: GrassrootsUnion,
    held_on: dt.date,
    chair_name: str,
    term_years: int,
    by: User,
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
    save_as(election, by)

    locked.chair_name = election.chair_name
    locked.term_years = election.term_years
    locked.term_started_on = held_on
    save_as(
        locked,
        by,
        update_fields=["chair_name", "term_years", "term_started_on", "election_due_on", "updated_at"],
    )
    for field in ("chair_name", "term_years", "term_started_on", "election_due_on", "updated_at"):
        setattr(union, field, getattr(locked, field))
    return election
