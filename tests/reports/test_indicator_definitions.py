"""The indicator definitions, on hand-built data whose answers are worked out by hand — including the
traps: double contract coverage, transfers inside a federation, imported old members, dissolved
unions, 保留会籍, year boundaries, a federation two levels up, and empty years."""

import datetime as dt
import io
from decimal import Decimal

import pytest

from federation.models import FederationYear
from members.choices import ChangeType, MembershipStatus
from reports.indicators import compute_catalogue, union_rows
from reports.indicators.base import Period, Scope
from reports.indicators.catalogue import INDICATORS
from reports.indicators.records import members_at_end
from tests.support.factories import (
    ActivityFactory,
    AidRecordFactory,
    ContractFactory,
    ElectionFactory,
    HardshipCaseFactory,
    MemberFactory,
    UnionFactory,
    UnionYearFactory,
    membership_change,
)

Y = 2025
D = dt.date


def leave(member, change_type, on, union=None, counterpart=None):
    membership_change(
        member=member,
        union=union or member.union,
        change_type=change_type,
        changed_on=on,
        counterpart_union=counterpart,
    )


def transfer(member, to_union, on):
    """A completed transfer: 转出 in the old union, 转入 in the new one, the member moved."""
    leave(member, ChangeType.TRANSFER_OUT, on, counterpart=to_union)
    membership_change(
        member=member,
        union=to_union,
        change_type=ChangeType.TRANSFER_IN,
        changed_on=on,
        counterpart_union=member.union,
    )
    member.union = to_union
    member.save()


def end_membership(member, change_type, on, status):
    leave(member, change_type, on)
    type(member).objects.filter(pk=member.pk).update(status=status, left_on=on)


def values(federation, year=Y):
    return compute_catalogue(federation, year).current


# --- organisation ---------------------------------------------------------------------------------


def test_unions_count_those_open_at_year_end_and_new_ones_by_founding_date(township):
    UnionFactory(federation=township, established_on=D(2010, 1, 1))
    UnionFactory(federation=township, established_on=D(Y, 12, 31))  # new on the last day
    UnionFactory(federation=township, established_on=D(Y + 1, 1, 1))  # not yet
    result = values(township)
    assert result["unions"] == 2
    assert result["unions_new"] == 1


def test_union_dissolved_in_the_year_counts_last_year_but_not_this_year(township):
    UnionFactory(federation=township, established_on=D(2010, 1, 1))
    UnionFactory(
        federation=township, established_on=D(2012, 1, 1), status="dissolved", status_changed_on=D(Y, 6, 30)
    )
    catalogue = compute_catalogue(township, Y)
    assert catalogue.current["unions"] == 1
    assert catalogue.previous["unions"] == 2
    assert catalogue.current["unions_closed"] == 1
    assert catalogue.previous["unions_closed"] == 0


def test_covered_employers_count_a_joint_union_by_its_employers_and_give_the_rate(township):
    UnionFactory(federation=township)
    UnionFactory(federation=township, union_type="joint", covered_employers=7)
    FederationYear.objects.create(federation=township, year=Y, employers_should_unionise=16)
    result = values(township)
    assert result["employers_covered"] == 8
    assert result["unionisation_rate"] == Decimal("50.0")


def test_employers_should_unionise_falls_back_to_the_sum_of_the_federations_below(
    county, township, community
):
    UnionFactory(federation=community)
    FederationYear.objects.create(federation=township, year=Y, employers_should_unionise=30)
    sibling = type(township).objects.create(name="另一街道", level="township", parent=county)
    FederationYear.objects.create(federation=sibling, year=Y, employers_should_unionise=10)
    FederationYear.objects.create(
        federation=community, year=Y, employers_should_unionise=999
    )  # under township
    assert values(county)["employers_should_unionise"] == 40
    FederationYear.objects.create(federation=county, year=Y, employers_should_unionise=50)
    assert values(county)["employers_should_unionise"] == 50


def test_rates_are_empty_rather_than_zero_when_the_denominator_is_missing(township):
    UnionFactory(federation=township)
    result = values(township)
    assert result["unionisation_rate"] is None
    assert result["membership_rate"] is None


def test_elections_count_each_union_once_and_overdue_terms_from_the_last_election(township):
    elected_twice = UnionFactory(federation=township, established_on=D(2010, 1, 1), term_years=5)
    ElectionFactory(union=elected_twice, held_on=D(Y, 3, 1))
    ElectionFactory(union=elected_twice, held_on=D(Y, 9, 1))
    # Founded 2018 with a 5-year term and never elected: overdue since 2023.
    UnionFactory(federation=township, established_on=D(2018, 1, 1), term_years=5)
    # Elected in 2021 for 3 years: due 2024, overdue.
    late = UnionFactory(federation=township, established_on=D(2015, 1, 1), term_years=3)
    ElectionFactory(union=late, held_on=D(2021, 4, 1), term_years=3)
    result = values(township)
    assert result["unions_elected"] == 1
    assert result["unions_overdue"] == 2


def test_a_term_runs_out_on_the_same_day_years_later_and_29_february_on_28_february(township):
    """The database's term end (PostgreSQL) and the Python rule (add_years) agree at the edges."""
    # Elected 29 Feb 2020 for 5 years: the term ends 28 Feb 2025, so overdue at the end of Y = 2025.
    leap = UnionFactory(federation=township, established_on=D(2010, 1, 1), term_years=5)
    ElectionFactory(union=leap, held_on=D(2020, 2, 29), term_years=5)
    # Elected 31 Dec 2022 for 3 years: the term ends on 31 Dec 2025 itself — overdue that day.
    on_the_day = UnionFactory(federation=township, established_on=D(2010, 1, 1), term_years=3)
    ElectionFactory(union=on_the_day, held_on=D(2022, 12, 31), term_years=3)
    # Founded 1 Jan 2021 with a 5-year term, never elected: due 1 Jan 2026, not yet overdue.
    UnionFactory(federation=township, established_on=D(2021, 1, 1), term_years=5)
    # An election after 31 Dec is not the one the year's figure counts from.
    later = UnionFactory(federation=township, established_on=D(2015, 1, 1), term_years=3)
    ElectionFactory(union=later, held_on=D(Y + 1, 3, 1), term_years=5)
    assert Y == 2025
    assert values(township)["unions_overdue"] == 3
    assert compute_catalogue(township, Y).previous["unions_overdue"] == 1  # 2024: only `later`


# --- membership -----------------------------------------------------------------------------------


def test_members_at_year_end_include_reserved_and_exclude_leavers(township):
    union = UnionFactory(federation=township)
    MemberFactory(union=union, joined_on=D(2020, 1, 1))
    reserved = MemberFactory(union=union, joined_on=D(2020, 1, 1), gender="F", birth_date=D(1980, 1, 1))
    leave(reserved, ChangeType.RESERVE, D(Y, 3, 1))
    type(reserved).objects.filter(pk=reserved.pk).update(status=MembershipStatus.RESERVED)
    gone = MemberFactory(union=union, joined_on=D(2020, 1, 1))
    end_membership(gone, ChangeType.WITHDRAW, D(Y, 5, 1), MembershipStatus.WITHDRAWN)
    catalogue = compute_catalogue(township, Y)
    assert catalogue.current["members"] == 2
    assert catalogue.current["women_members"] == 1
    assert catalogue.previous["members"] == 3
    assert catalogue.current["members_left"] == 1


def test_year_boundaries_count_31_december_in_and_1_january_out(township):
    union = UnionFactory(federation=township)
    MemberFactory(union=union, joined_on=D(Y, 12, 31))
    MemberFactory(union=union, joined_on=D(Y + 1, 1, 1))
    left_on_last_day = MemberFactory(union=union, joined_on=D(2020, 1, 1))
    end_membership(left_on_last_day, ChangeType.DEATH, D(Y, 12, 31), MembershipStatus.DECEASED)
    left_next_year = MemberFactory(union=union, joined_on=D(2020, 1, 1))
    end_membership(left_next_year, ChangeType.WITHDRAW, D(Y + 1, 1, 1), MembershipStatus.WITHDRAWN)
    result = values(township)
    assert result["new_members"] == 1
    assert result["members"] == 2  # the one who joined on 31 Dec and the one who left on 1 Jan
    assert result["members_left"] == 1


def test_members_imported_this_year_who_joined_earlier_are_not_new(township):
    union = UnionFactory(federation=township)
    MemberFactory(union=union, joined_on=D(2019, 5, 1))  # loaded today, joined in 2019
    assert values(township)["new_members"] == 0
    assert values(township, 2019)["new_members"] == 1
    assert values(township)["members"] == 1


def test_transfer_inside_the_federation_is_neither_new_nor_a_leaver_but_is_for_each_union(township):
    union_a = UnionFactory(federation=township)
    union_b = UnionFactory(federation=township)
    UnionYearFactory(union=union_a, year=Y)
    UnionYearFactory(union=union_b, year=Y)
    mover = MemberFactory(union=union_a, joined_on=D(2020, 1, 1))
    MemberFactory(union=union_a, joined_on=D(2020, 1, 1))
    transfer(mover, union_b, D(Y, 7, 1))
    result = values(township)
    assert result["members"] == 2
    assert result["new_members"] == 0
    assert result["transferred_in"] == 0
    assert result["members_left"] == 0
    rows = {row["pk"]: row for row in union_rows(township, Y)}
    assert rows[union_a.pk]["members"] == 1
    assert rows[union_b.pk]["members"] == 1
    # Union B's own figures (its summary, the per-union table): a transfer in, not a new member.
    assert rows[union_b.pk]["new_members"] == 0


def test_transfer_from_another_federation_counts_as_transferred_in_not_new(township, other_county):
    here = UnionFactory(federation=township)
    there = UnionFactory(federation=other_county)
    mover = MemberFactory(union=there, joined_on=D(2020, 1, 1))
    transfer(mover, here, D(Y, 7, 1))
    result = values(township)
    assert result["members"] == 1
    assert result["new_members"] == 0
    assert result["transferred_in"] == 1
    assert values(other_county)["members_left"] == 1


def test_drill_down_list_of_members_matches_the_figure(township, other_county):
    union_a = UnionFactory(federation=township)
    union_b = UnionFactory(federation=township)
    outside = UnionFactory(federation=other_county)
    MemberFactory(union=union_a, joined_on=D(2020, 1, 1))
    mover = MemberFactory(union=union_a, joined_on=D(2020, 1, 1))
    transfer(mover, union_b, D(Y, 7, 1))
    away = MemberFactory(union=union_a, joined_on=D(2020, 1, 1))
    transfer(away, outside, D(Y, 8, 1))
    gone = MemberFactory(union=union_b, joined_on=D(2020, 1, 1))
    end_membership(gone, ChangeType.EXPEL, D(Y, 2, 1), MembershipStatus.EXPELLED)
    MemberFactory(union=union_b, joined_on=D(Y + 1, 2, 1))
    listed = set(members_at_end(Scope(township), Period(Y)))
    assert values(township)["members"] == len(listed) == 2
    assert mover in listed and away not in listed and gone not in listed


def test_membership_rate_divides_members_by_employees_of_the_counted_unions(township):
    union = UnionFactory(federation=township)
    UnionYearFactory(union=union, year=Y, employees=8, women_employees=3, migrant_employees=1)
    closed = UnionFactory(federation=township, status="dissolved", status_changed_on=D(Y, 1, 5))
    UnionYearFactory(union=closed, year=Y, employees=1000)  # not counted: closed at year end
    for _ in range(3):
        MemberFactory(union=union, joined_on=D(2020, 1, 1))
    result = values(township)
    assert result["employees"] == 8
    assert result["women_employees"] == 3
    assert result["membership_rate"] == Decimal("37.5")


def test_federation_two_levels_up_sums_its_subtree(county, township, community, other_county):
    UnionYearFactory(union=UnionFactory(federation=township), year=Y, employees=10)
    UnionYearFactory(union=UnionFactory(federation=community), year=Y, employees=20)
    UnionYearFactory(union=UnionFactory(federation=other_county), year=Y, employees=400)
    assert values(county)["employees"] == 30
    assert values(county)["unions"] == 2
    assert values(community)["employees"] == 20


# --- rights ---------------------------------------------------------------------------------------


def test_union_covered_by_its_own_and_a_regional_contract_counts_once(township):
    union = UnionFactory(federation=township, employer_nature="private")
    other = UnionFactory(federation=township, employer_nature="private")
    UnionFactory(federation=township, employer_nature="government_organ")  # not an enterprise
    UnionYearFactory(union=union, year=Y, employees=50)
    UnionYearFactory(union=other, year=Y, employees=30)
    ContractFactory(union=union, signed_on=D(Y, 3, 1), starts_on=D(Y, 3, 1), ends_on=D(Y + 2, 2, 28))
    regional = ContractFactory(
        scope="regional",
        union=None,
        federation=township,
        kind="wage",
        signed_on=D(Y, 4, 1),
        starts_on=D(Y, 4, 1),
        ends_on=D(Y + 1, 3, 31),
    )
    regional.covered_unions.add(union, other)
    result = values(township)
    assert result["contracts_signed"] == 2
    assert result["wage_contracts_signed"] == 1
    assert result["covered_unions"] == 2
    assert result["covered_employees"] == 80
    assert result["enterprise_unions"] == 2
    assert result["contract_rate"] == Decimal("100.0")
    assert result["contracts_expiring"] == 1


def test_a_figure_computed_with_another_record_set_equals_its_own_records(township):
    """An indicator computed in another record set's query (Indicator.computed_with) gives the figure
    its drill-down records give — here with a union covered twice, one without the year's figures and
    one whose other years' figures must not be summed."""
    union = UnionFactory(federation=township, employer_nature="private")
    other = UnionFactory(federation=township, employer_nature="private")
    no_figures = UnionFactory(federation=township, employer_nature="private")
    for covered in (union, other):
        UnionYearFactory(union=covered, year=Y - 1, employees=1000)
    UnionYearFactory(union=union, year=Y, employees=50)
    UnionYearFactory(union=other, year=Y, employees=30)
    ContractFactory(union=union, signed_on=D(Y, 3, 1), starts_on=D(Y, 3, 1), ends_on=D(Y + 2, 2, 28))
    regional = ContractFactory(
        scope="regional", union=None, federation=township, signed_on=D(Y, 4, 1), starts_on=D(Y, 4, 1)
    )
    regional.covered_unions.add(union, other, no_figures)
    scope = Scope(township)
    shared = [i for i in INDICATORS if i.computed_with is not None]
    assert shared
    for period in (Period(Y), Period(Y - 1), Period(Y + 1)):
        for indicator in shared:
            records, aggregate = indicator.computed_with
            own = indicator.records(scope, period).aggregate(v=indicator.aggregate_for(scope))["v"]
            assert records(scope, period).aggregate(v=aggregate)["v"] == own, (indicator.key, period)
    assert values(township)["covered_employees"] == 80


def test_contracts_in_force_exclude_expired_terminated_and_negotiating(township):
    union = UnionFactory(federation=township)
    ContractFactory(union=union, signed_on=D(2020, 1, 1), starts_on=D(2020, 1, 1), ends_on=D(Y, 12, 30))
    ContractFactory(
        union=union, status="terminated", signed_on=D(Y, 1, 1), starts_on=D(Y, 1, 1), ends_on=D(Y + 2, 1, 1)
    )
    ContractFactory(
        union=union, status="negotiating", signed_on=None, starts_on=D(Y, 1, 1), ends_on=D(Y + 2, 1, 1)
    )
    ContractFactory(union=union, signed_on=D(Y, 6, 1), starts_on=D(Y, 6, 1), ends_on=D(Y, 12, 31))
    result = values(township)
    assert result["contracts_in_force"] == 1  # the one ending on 31 Dec
    assert result["contracts_signed"] == 2  # negotiating is not signed
    assert result["covered_unions"] == 1


def test_a_contract_signed_by_a_higher_federation_still_covers_the_unions_below(county, township):
    union = UnionFactory(federation=township)
    sectoral = ContractFactory(
        scope="sectoral",
        union=None,
        federation=county,
        signed_on=D(Y, 1, 10),
        starts_on=D(Y, 1, 10),
        ends_on=D(Y + 2, 1, 9),
    )
    sectoral.covered_unions.add(union)
    result = values(township)
    assert result["covered_unions"] == 1
    assert result["contracts_signed"] == 0  # the township did not sign it
    assert values(county)["contracts_signed"] == 1


# --- help -----------------------------------------------------------------------------------------


def test_hardship_cases_open_at_year_end_and_closed_in_the_year(township):
    union = UnionFactory(federation=township)
    HardshipCaseFactory(member__union=union, opened_on=D(2023, 1, 1))
    resolved = HardshipCaseFactory(member__union=union, opened_on=D(2023, 1, 1))
    type(resolved).objects.filter(pk=resolved.pk).update(status="resolved", closed_on=D(Y, 11, 1))
    exited_next_year = HardshipCaseFactory(member__union=union, opened_on=D(Y, 2, 1))
    type(exited_next_year).objects.filter(pk=exited_next_year.pk).update(
        status="exited", closed_on=D(Y + 1, 1, 5)
    )
    catalogue = compute_catalogue(township, Y)
    assert catalogue.current["cases_open"] == 2
    assert catalogue.previous["cases_open"] == 2
    assert catalogue.current["cases_resolved"] == 1
    assert catalogue.current["cases_opened"] == 1
    assert catalogue.current["cases_overdue_review"] == 1  # opened 2023, never reviewed


def test_aid_figures_by_kind_with_people_counted_once(township):
    union = UnionFactory(federation=township)
    member = MemberFactory(union=union)
    AidRecordFactory(member=member, kind="festival", amount=Decimal("500"), aid_on=D(Y, 1, 20))
    AidRecordFactory(member=member, kind="festival", amount=Decimal("300.50"), aid_on=D(Y, 9, 20))
    AidRecordFactory(
        member=member, kind="education", amount=Decimal("2000"), students_helped=2, aid_on=D(Y, 8, 25)
    )
    AidRecordFactory(member=member, kind="medical", amount=Decimal("1000"), aid_on=D(Y + 1, 1, 1))
    result = values(township)
    assert result["aid_count"] == 3
    assert result["aid_people"] == 1
    assert result["aid_amount"] == Decimal("2800.50")
    assert result["festival_visits"] == 2
    assert result["festival_amount"] == Decimal("800.50")
    assert result["school_students"] == 2
    assert result["school_amount"] == Decimal("2000.00")


# --- activities and empty years ---------------------------------------------------------------------


def test_activities_of_federations_and_unions_in_the_subtree(county, township, other_county):
    ActivityFactory(union=UnionFactory(federation=township), participants=40, starts_on=D(Y, 5, 1))
    ActivityFactory(union=None, federation=county, participants=100, starts_on=D(Y, 12, 31))
    ActivityFactory(union=None, federation=other_county, participants=999, starts_on=D(Y, 5, 1))
    ActivityFactory(union=None, federation=county, participants=7, starts_on=D(Y + 1, 1, 1))
    result = values(county)
    assert result["activities"] == 2
    assert result["activity_participants"] == 140


def test_an_empty_year_gives_zeros_and_no_rates(county):
    catalogue = compute_catalogue(county, 1990)
    assert catalogue.current["unions"] == 0
    assert catalogue.current["members"] == 0
    assert catalogue.current["aid_amount"] == Decimal("0.00")
    assert catalogue.current["membership_rate"] is None
    assert catalogue.current["contract_rate"] is None
    assert all(rows == [] for rows in catalogue.breakdowns.values())
    assert catalogue.trend == [(year, 0) for year in range(1986, 1991)]


def test_members_trend_gives_five_year_ends(township):
    union = UnionFactory(federation=township)
    for year in (2021, 2023, 2025):
        MemberFactory(union=union, joined_on=D(year, 6, 1))
    assert compute_catalogue(township, Y).trend == [(2021, 1), (2022, 1), (2023, 2), (2024, 2), (2025, 3)]


# The catalogue's fixed bound: was 60 before the nine highlight rules (one query each) were added.
CATALOGUE_QUERIES = 70


@pytest.mark.parametrize("size", [3, 30])
def test_catalogue_query_count_does_not_grow_with_records(township, size, django_assert_max_num_queries):
    for _ in range(size):
        union = UnionFactory(federation=township)
        UnionYearFactory(union=union, year=Y)
        member = MemberFactory(union=union)
        AidRecordFactory(member=member, aid_on=D(Y, 2, 1))
        ContractFactory(union=union)
        ActivityFactory(union=union)
    with django_assert_max_num_queries(CATALOGUE_QUERIES):
        compute_catalogue(township, Y)


def test_catalogue_query_count_on_demo_tier_s_matches_the_small_bound(db, django_assert_max_num_queries):
    """The same fixed bound as on the hand-built sets above, on the realistic tier S federation."""
    from django.core.management import call_command

    from federation.models import Federation

    call_command("demo_data", "--scale", "s", stdout=io.StringIO())
    root = Federation.objects.get(parent=None)
    with django_assert_max_num_queries(CATALOGUE_QUERIES):
        catalogue = compute_catalogue(root, Y)
    assert catalogue.current["unions"] > 40
    assert catalogue.current["members"] > 1500


def test_the_member_stock_worked_out_from_histories_is_the_databases(township, other_county):
    """The drill-down of a small subtree reads its members from their histories in Python
    (records.members_at_end_by_history): the same members, in the same unions, as the rule in SQL —
    transfers in and out and back, a departure on the day of an arrival, 保留, a later year."""
    from reports.indicators.records import members_at_end_by_history

    union_a = UnionFactory(federation=township)
    union_b = UnionFactory(federation=township)
    outside = UnionFactory(federation=other_county)
    MemberFactory(union=union_a, joined_on=D(2020, 1, 1))
    mover = MemberFactory(union=union_a, joined_on=D(2020, 1, 1))
    transfer(mover, union_b, D(Y, 7, 1))
    away = MemberFactory(union=union_a, joined_on=D(2020, 1, 1))
    transfer(away, outside, D(Y, 8, 1))
    back = MemberFactory(union=union_b, joined_on=D(2020, 1, 1))
    transfer(back, outside, D(Y, 3, 1))
    transfer(back, union_a, D(Y, 9, 1))
    same_day = MemberFactory(union=union_b, joined_on=D(Y, 5, 5))
    end_membership(same_day, ChangeType.WITHDRAW, D(Y, 5, 5), MembershipStatus.WITHDRAWN)
    reserved = MemberFactory(union=union_b, joined_on=D(2021, 1, 1))
    end_membership(reserved, ChangeType.RESERVE, D(Y, 4, 1), MembershipStatus.RESERVED)
    MemberFactory(union=union_b, joined_on=D(Y + 1, 2, 1))
    for year in (Y - 1, Y, Y + 1):
        by_sql = {m.pk: m.arrival_union for m in members_at_end(Scope(township), Period(year))}
        assert members_at_end_by_history(Scope(township), Period(year)) == by_sql, year
    assert set(members_at_end_by_history(Scope(township), Period(Y))) == {
        m.pk for m in members_at_end(Scope(township), Period(Y))
    }
    assert mover.pk in members_at_end_by_history(Scope(township), Period(Y))
