"""The sets of records the indicators count — one selector per set, shared by the figures, their
drill-down lists and their written definitions. Every selector takes the scope (a federation subtree)
and the period (a calendar year). The rules they share with the lists, their filters and the dashboard
(a union active on a day, a contract in force, a case open) are the apps' own selectors
(unions.selectors, members.selectors)."""

from __future__ import annotations

from django.db.models import Exists, FilteredRelation, OuterRef, Q, QuerySet, Subquery

from federation.models import FederationYear
from members.choices import CaseStatus, ChangeType
from members.models import AidRecord, CaseReview, HardshipCase, Member, MemberHonour, MembershipChange
from members.selectors import case_open_on_q
from reports.indicators.base import AnyScope, Period
from unions.activities.models import Activity
from unions.choices import ContractStatus, UnionStatus
from unions.models import CollectiveContract, Election, GrassrootsUnion, UnionHonour, UnionYear
from unions.selectors import contract_in_force_on_q, union_active_on_q

ARRIVALS = (ChangeType.JOIN, ChangeType.TRANSFER_IN)
DEPARTURES = (ChangeType.TRANSFER_OUT, ChangeType.WITHDRAW, ChangeType.EXPEL, ChangeType.DEATH)


# --- Organisation ----------------------------------------------------------------------------------


def unions_active_at_end(scope: AnyScope, period: Period) -> QuerySet[GrassrootsUnion]:
    return GrassrootsUnion.objects.filter(scope.union_q("pk") & union_active_on_q(period.end))


def unions_established_in(scope: AnyScope, period: Period) -> QuerySet[GrassrootsUnion]:
    return GrassrootsUnion.objects.filter(scope.union_q("pk") & period.date_q("established_on"))


def unions_closed_in(scope: AnyScope, period: Period) -> QuerySet[GrassrootsUnion]:
    return GrassrootsUnion.objects.filter(
        scope.union_q("pk") & period.date_q("status_changed_on") & ~Q(status=UnionStatus.ACTIVE)
    )


def union_years_of_active_unions(scope: AnyScope, period: Period) -> QuerySet[UnionYear]:
    """The employee figures of year Y of the unions counted in 基层工会数."""
    return UnionYear.objects.filter(
        scope.union_q("union") & union_active_on_q(period.end, "union__"), year=period.year
    )


def elections_in(scope: AnyScope, period: Period) -> QuerySet[Election]:
    return Election.objects.filter(scope.union_q("union") & period.date_q("held_on"))


def union_honours_in(scope: AnyScope, period: Period) -> QuerySet[UnionHonour]:
    return UnionHonour.objects.filter(scope.union_q("union"), year=period.year)


def federation_years(scope: AnyScope, period: Period) -> QuerySet[FederationYear]:
    return FederationYear.objects.filter(scope.federation_q("federation"), year=period.year)


# --- Membership ------------------------------------------------------------------------------------


def membership_changes_to_end(scope: AnyScope, period: Period) -> QuerySet[MembershipChange]:
    """Every arrival and departure in the subtree's unions up to 31 Dec: the members at year end are
    the arrivals (入会, 转入) less the departures (转出, 退会, 除名, 去世)."""
    return MembershipChange.objects.filter(scope.union_q("union"), changed_on__lte=period.end)


def membership_changes_in(scope: AnyScope, period: Period) -> QuerySet[MembershipChange]:
    return MembershipChange.objects.filter(scope.union_q("union") & period.date_q("changed_on"))


def counterpart_inside_q(scope: AnyScope) -> Q:
    """A transfer whose other side is a union of the same subtree."""
    return scope.union_q("counterpart_union")


def members_at_end(scope: AnyScope, period: Period) -> QuerySet[Member]:
    """The members (在册 or 保留会籍) of the subtree's unions on 31 Dec — the drill-down list of 会员总数.

    A member belongs to the union of their last arrival (入会/转入) on or before the day, unless a
    departure from that union followed it by then. Counted the same way as the figure, which sums
    arrivals and departures instead of walking each member.
    """
    last_arrival = MembershipChange.objects.filter(
        member=OuterRef("pk"), change_type__in=ARRIVALS, changed_on__lte=period.end
    ).order_by("-changed_on", "-id")
    departed = MembershipChange.objects.filter(
        member=OuterRef("pk"),
        union=OuterRef("arrival_union"),
        change_type__in=DEPARTURES,
        changed_on__gte=OuterRef("arrival_on"),
        changed_on__lte=period.end,
    )
    return (
        Member.objects.annotate(
            arrival_union=Subquery(last_arrival.values("union")[:1]),
            arrival_on=Subquery(last_arrival.values("changed_on")[:1]),
        )
        .filter(arrival_union__in=GrassrootsUnion.objects.filter(scope.union_q("pk")).values("pk"))
        .exclude(Exists(departed))
    )


def members_at_end_by_history(scope: AnyScope, period: Period) -> dict[int, int]:
    """members_at_end worked out member by member in Python: {member pk: their union on 31 Dec} — for a
    subtree of a few thousand members, where reading their histories beats asking the database to
    evaluate the rule's subqueries row by row (SQLite took 14 s for a county's 2 000). The same rule:
    the union of the last arrival (by date, then entry) on or before the day, unless a departure from
    that union dated on or after that arrival followed by then."""
    arrived = MembershipChange.objects.filter(
        scope.union_q("union"), change_type__in=ARRIVALS, changed_on__lte=period.end
    ).values("member_id")
    history = (
        MembershipChange.objects.filter(member_id__in=arrived, changed_on__lte=period.end)
        .filter(change_type__in=(*ARRIVALS, *DEPARTURES))
        .order_by("member_id", "changed_on", "id")
        .values_list("member_id", "union_id", "change_type", "changed_on")
    )
    inside = set(GrassrootsUnion.objects.filter(scope.union_q("pk")).values_list("pk", flat=True))
    last: dict[int, tuple[int, object]] = {}  # member → (union, date) of the last arrival
    departures: dict[int, list[tuple[int, object]]] = {}
    for member_id, union_id, change_type, changed_on in history:
        if change_type in ARRIVALS:
            last[member_id] = (union_id, changed_on)
        else:
            departures.setdefault(member_id, []).append((union_id, changed_on))
    return {
        member_id: union_id
        for member_id, (union_id, arrived_on) in last.items()
        if union_id in inside
        and not any(u == union_id and on >= arrived_on for u, on in departures.get(member_id, ()))
    }


def member_honours_in(scope: AnyScope, period: Period) -> QuerySet[MemberHonour]:
    # Every member belongs to a union (Member.union is required): the whole tree's honours are every
    # honour, counted without joining the members.
    honours = MemberHonour.objects.filter(year=period.year)
    return honours if scope.is_everything else honours.filter(scope.union_q("member__union"))


# --- Rights: collective contracts ------------------------------------------------------------------


def contracts_of_scope_q(scope: AnyScope) -> Q:
    """A contract signed in the subtree: by one of its unions, or by one of its federations."""
    return scope.union_q("union") | scope.federation_q("federation")


def contracts_signed_in(scope: AnyScope, period: Period) -> QuerySet[CollectiveContract]:
    return CollectiveContract.objects.filter(
        contracts_of_scope_q(scope) & period.date_q("signed_on") & ~Q(status=ContractStatus.NEGOTIATING)
    )


def contracts_in_force_at_end(scope: AnyScope, period: Period) -> QuerySet[CollectiveContract]:
    return CollectiveContract.objects.filter(contracts_of_scope_q(scope) & contract_in_force_on_q(period.end))


def contracts_expiring_next_year(scope: AnyScope, period: Period) -> QuerySet[CollectiveContract]:
    nxt = Period(period.year + 1)
    return contracts_in_force_at_end(scope, period).filter(nxt.date_q("ends_on"))


def covered_unions_at_end(scope: AnyScope, period: Period) -> QuerySet[GrassrootsUnion]:
    """The subtree's unions at year end covered by a contract in force — their own contract or a
    regional/sectoral one, whoever signed it — each union once, whatever the number of contracts."""
    in_force = CollectiveContract.objects.filter(contract_in_force_on_q(period.end))
    own = in_force.filter(union__isnull=False).values("union")
    regional = CollectiveContract.covered_unions.through.objects.filter(
        collectivecontract__in=in_force.values("pk")
    ).values("grassrootsunion")
    # `year_figures`: each union's UnionYear of the year (at most one), joined only where it is used.
    return (
        unions_active_at_end(scope, period)
        .filter(Q(pk__in=own) | Q(pk__in=regional))
        .alias(year_figures=FilteredRelation("years", condition=Q(years__year=period.year)))
    )


def union_years_of_covered_unions(scope: AnyScope, period: Period) -> QuerySet[UnionYear]:
    return UnionYear.objects.filter(
        year=period.year, union__in=covered_unions_at_end(scope, period).values("pk")
    )


# --- Help: hardship cases and aid ------------------------------------------------------------------


def cases_open_at_end(scope: AnyScope, period: Period) -> QuerySet[HardshipCase]:
    return HardshipCase.objects.filter(scope.union_q("union") & case_open_on_q(period.end))


def cases_opened_in(scope: AnyScope, period: Period) -> QuerySet[HardshipCase]:
    return HardshipCase.objects.filter(scope.union_q("union") & period.date_q("opened_on"))


def cases_closed_in(scope: AnyScope, period: Period) -> QuerySet[HardshipCase]:
    return HardshipCase.objects.filter(
        scope.union_q("union") & period.date_q("closed_on") & ~Q(status=CaseStatus.OPEN)
    )


def cases_overdue_for_review(scope: AnyScope, period: Period) -> QuerySet[HardshipCase]:
    """Open at year end, opened more than twelve months before, and no review (初审, 终审 or 复核)
    in the twelve months to 31 Dec."""
    year_before = period.end.replace(year=period.year - 1)
    recent_review = CaseReview.objects.filter(
        case=OuterRef("pk"), reviewed_on__gt=year_before, reviewed_on__lte=period.end
    )
    return cases_open_at_end(scope, period).filter(opened_on__lte=year_before).exclude(Exists(recent_review))


def aid_in(scope: AnyScope, period: Period) -> QuerySet[AidRecord]:
    return AidRecord.objects.filter(scope.union_q("union") & period.date_q("aid_on"))


# --- Activities ------------------------------------------------------------------------------------


def activities_in(scope: AnyScope, period: Period) -> QuerySet[Activity]:
    return Activity.objects.filter(
        (scope.union_q("union") | scope.federation_q("federation")) & period.date_q("starts_on")
    )
