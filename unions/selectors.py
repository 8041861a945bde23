"""The reads of unions and contracts that the lists, their filters, the dashboard and the annual
summary share — each rule written once, as a Q over the model's fields (`prefix` reaches the union
from a related model, e.g. "union__"), so that a list filtered by it holds exactly what a figure or a
to-do counts.

The `with_*` helpers put a rule on each row of a queryset as a boolean, for the templates that flag
rows (a 换届 due, a contract about to end) without writing the rule again.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from unions.choices import CONTRACT_BINDING_STATUSES, UnionStatus
from unions.models import CollectiveContract, GrassrootsUnion, UnionYear

# How far ahead a 换届 falling due or a contract coming to its end is flagged (lists, dashboard). The
# labels say so in words (「90天内到期」): change them with it.
DUE_WITHIN = dt.timedelta(days=90)


def _flag(q: Q) -> ExpressionWrapper:
    return ExpressionWrapper(q, output_field=BooleanField())


# --- Unions ----------------------------------------------------------------------------------------


def survey_inputs_filled_q(prefix: str = "") -> Q:
    """A UnionYear with at least one input of the statistical return filled (UnionYear.SURVEY_FIELDS):
    one without any has not been filled for the survey yet."""
    q = Q()
    for field in UnionYear.SURVEY_FIELDS:
        q |= Q(**{f"{prefix}{field}__isnull": False})
    return q


def union_active_on_q(day: dt.date, prefix: str = "") -> Q:
    """A union that existed and was not dissolved or merged on `day`."""
    return Q(**{f"{prefix}established_on__lte": day}) & (
        Q(**{f"{prefix}status": UnionStatus.ACTIVE}) | Q(**{f"{prefix}status_changed_on__gt": day})
    )


def election_due_q(today: dt.date) -> Q:
    """An active union whose 换届 falls due within DUE_WITHIN, or is overdue already."""
    return Q(status=UnionStatus.ACTIVE, election_due_on__lte=today + DUE_WITHIN)


def election_overdue_q(today: dt.date) -> Q:
    """An active union whose 换届 date has passed."""
    return election_due_q(today) & Q(election_due_on__lt=today)


def with_election_flags(unions: QuerySet[GrassrootsUnion], today: dt.date) -> QuerySet[GrassrootsUnion]:
    """Each union with `election_due` and `election_overdue` (booleans) as of `today`."""
    return unions.annotate(
        election_due=_flag(election_due_q(today)), election_overdue=_flag(election_overdue_q(today))
    )


def election_flags(union: GrassrootsUnion, today: dt.date) -> dict[str, bool]:
    """`election_due` and `election_overdue` of one union as of `today` (one query)."""
    one = GrassrootsUnion.objects.filter(pk=union.pk)
    # The django-stubs plugin cannot see names annotated by a helper (with_election_flags).
    flags = with_election_flags(one, today).values("election_due", "election_overdue")  # type: ignore[misc]
    return flags.get()


# --- Collective contracts --------------------------------------------------------------------------


def contract_in_force_on_q(day: dt.date) -> Q:
    """Signed, not terminated early, and the day within its term."""
    return Q(
        status__in=CONTRACT_BINDING_STATUSES,
        signed_on__lte=day,
        starts_on__lte=day,
        ends_on__gte=day,
    )


def contract_expiring_q(today: dt.date) -> Q:
    """A binding contract (CONTRACT_BINDING_STATUSES) whose term ends today or within DUE_WITHIN:
    the one rule of the contract list's 即将到期 filter and tag and of the dashboard's to-do."""
    return Q(status__in=CONTRACT_BINDING_STATUSES, ends_on__range=(today, today + DUE_WITHIN))


def with_expiring_flag(
    contracts: QuerySet[CollectiveContract], today: dt.date
) -> QuerySet[CollectiveContract]:
    """Each contract with `expiring` (a boolean) as of `today`."""
    return contracts.annotate(expiring=_flag(contract_expiring_q(today)))


def contract_covers_q(union: GrassrootsUnion) -> Q:
    """A contract that binds `union`: its own, or a regional or sectoral one whose covered unions list
    it. The covered side is a subquery on the coverage table's union index, so that finding one union's
    contracts reads its few coverage rows — an OR across a join to the coverage table would join all of
    them first (131 000 rows at tier L, 34 ms for the union page's six contracts) — and a contract that
    names the union both ways is listed once."""
    covering = CollectiveContract.covered_unions.through.objects.filter(grassrootsunion=union)
    return Q(union=union) | Q(pk__in=covering.values("collectivecontract"))
