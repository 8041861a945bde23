"""The reads of hardship cases and transfers that the lists, their filters, the dashboard and the
annual summary share — each rule written once, as a Q over the model's fields."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from federation import scoping
from federation.models import User
from members.choices import CaseStatus
from members.models import MembershipTransfer
from unions.models import GrassrootsUnion

# An open case is reviewed (复核/回访) at least once a year.
REVIEW_EVERY = dt.timedelta(days=365)


def case_open_on_q(day: dt.date) -> Q:
    """A case opened on or before `day` and not closed by then."""
    return Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def case_overdue_for_review_q(today: dt.date) -> Q:
    """An open case whose last review — or, never reviewed, whose opening — is more than REVIEW_EVERY
    ago: the one rule of the case list's 12个月未复核 filter and of the dashboard's to-do."""
    cutoff = today - REVIEW_EVERY
    return Q(status=CaseStatus.OPEN) & (
        Q(last_reviewed_on__lt=cutoff) | Q(last_reviewed_on__isnull=True, opened_on__lt=cutoff)
    )


def transfers_awaiting_q(unions: QuerySet) -> Q:
    """Open transfers whose turn it is for one of `unions` (MembershipTransfer.awaiting_union)."""
    q = Q(pk__in=[])
    for status, side in MembershipTransfer.TURN.items():
        q |= Q(status=status, **{f"{side}__in": unions})
    return q


def transfers_awaiting_user(user: User) -> QuerySet[MembershipTransfer]:
    """The open transfers whose turn it is for a union this user keeps (none for a reader): what the
    dashboard's to-do lists and the batch page approves."""
    if not scoping.may_write(user):
        return MembershipTransfer.objects.none()
    if scoping.scope_is_everything(user):
        # Every union is the user's to act for: every open transfer awaits them (no 20 000-union list).
        awaiting = Q(status__in=list(MembershipTransfer.TURN))
    else:
        awaiting = transfers_awaiting_q(scoping.owned(user, GrassrootsUnion).values("pk"))
    return (
        scoping.visible(user, MembershipTransfer)
        .filter(awaiting)
        .select_related("member", "from_union", "to_union")
        .order_by("requested_on", "pk")
    )
