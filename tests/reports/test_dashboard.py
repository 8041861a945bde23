"""The 工作台: key figures of the year and the to-dos, each only from the user's own scope."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from federation import scoping
from members.models import Member
from reports.services import summary_finalise
from tests.support.factories import (
    ContractFactory,
    HardshipCaseFactory,
    MemberFactory,
    UnionFactory,
    UnionYearFactory,
)
from unions.models import GrassrootsUnion


def _today():
    return timezone.localdate()


def _on(monkeypatch, day: dt.date) -> None:
    """The dashboard as it looks on `day`."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def _todo_panel(content: str) -> str:
    """The 工作台's panel of unions without their yearly figures."""
    return content.split('id="todo-union_years"', 1)[1].split("</div>", 1)[0]


def _dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_federation_staff_sees_the_catalogue_figures_of_the_year(client, county_staff, union_a):
    MemberFactory.create_batch(3, union=union_a)
    content = _dashboard(client, county_staff)
    assert f"{_today().year}年主要数据" in content
    assert "会员总数" in content and "基层工会数" in content


def test_cadre_sees_the_figures_of_their_union(client, cadre_a, union_a, union_b):
    MemberFactory.create_batch(2, union=union_a)
    MemberFactory.create_batch(5, union=union_b)
    response = client.force_login(cadre_a) or client.get(reverse("dashboard"))
    members = next(f for f in response.context["figures"] if f.label == "会员总数")
    assert members.value == 2


def test_overdue_election_is_a_todo_of_the_federation_above_it_only(client, township_staff, cadre_b, union_a):
    GrassrootsUnion.objects.filter(pk=union_a.pk).update(election_due_on=_today() - dt.timedelta(days=3))
    assert "甲公司工会委员会" in _dashboard(client, township_staff)
    assert "已逾期" in _dashboard(client, township_staff)
    assert "甲公司工会委员会" not in _dashboard(client, cadre_b)


def test_contract_expiring_within_90_days_is_a_todo(client, cadre_a, union_a):
    ContractFactory(
        union=union_a,
        title="即将到期的合同",
        starts_on=dt.date(2024, 1, 1),
        signed_on=dt.date(2024, 1, 1),
        ends_on=_today() + dt.timedelta(days=30),
    )
    ContractFactory(
        union=union_a,
        title="远期合同",
        starts_on=dt.date(2024, 1, 1),
        signed_on=dt.date(2024, 1, 1),
        ends_on=_today() + dt.timedelta(days=400),
    )
    content = _dashboard(client, cadre_a)
    assert "即将到期的合同" in content
    assert "远期合同" not in content


def test_case_not_reviewed_for_a_year_is_a_todo(client, cadre_a, union_a):
    HardshipCaseFactory(
        member=MemberFactory(union=union_a, name="久未复核"), opened_on=_today() - dt.timedelta(days=500)
    )
    HardshipCaseFactory(
        member=MemberFactory(union=union_a, name="新建档"), opened_on=_today() - dt.timedelta(days=10)
    )
    content = _dashboard(client, cadre_a)
    assert "久未复核" in content
    assert "新建档" not in content


def test_invalid_resident_id_is_a_data_quality_finding(client, cadre_a, union_a):
    member = MemberFactory(union=union_a, name="号码有误")
    Member.objects.filter(pk=member.pk).update(
        id_number=member.id_number[:17] + ("0" if member.id_number[17] != "0" else "1")
    )
    MemberFactory(union=union_a, name="号码正确")
    content = _dashboard(client, cadre_a)
    assert "身份证号无效的会员" in content
    assert "号码有误" in content and "号码正确" not in content


def test_union_without_last_years_figures_is_a_todo(client, monkeypatch, township_staff, union_a):
    _on(monkeypatch, dt.date(_today().year, 3, 1))  # before September: last (calendar) year's figures
    other = UnionFactory(federation=union_a.federation, name="已录上年数据工会")
    GrassrootsUnion.objects.update(election_due_on=_today() + dt.timedelta(days=900))
    UnionYearFactory(union=other, year=_today().year - 1)
    content = _dashboard(client, township_staff)
    assert "缺少上年职工情况的基层工会" in content
    assert "甲公司工会委员会" in content
    assert "已录上年数据工会" not in content


def test_nothing_to_do_says_so(client, monkeypatch, cadre_a):
    _on(monkeypatch, dt.date(_today().year, 3, 1))
    UnionYearFactory(union=cadre_a.union, year=_today().year - 1)
    GrassrootsUnion.objects.update(election_due_on=_today() + dt.timedelta(days=900))
    # Last year's own summary finalised (until June the cadre is reminded of it: issue 15).
    summary_finalise(union=cadre_a.union, year=_today().year - 1, by=cadre_a)
    assert "目前没有待办事项" in _dashboard(client, cadre_a)


def _populate(federation, n):
    for _ in range(n):
        union = UnionFactory(federation=federation)
        GrassrootsUnion.objects.filter(pk=union.pk).update(election_due_on=_today())
        member = MemberFactory(union=union)
        HardshipCaseFactory(member=member, opened_on=_today() - dt.timedelta(days=400))
        ContractFactory(
            union=union,
            starts_on=dt.date(2024, 1, 1),
            signed_on=dt.date(2024, 1, 1),
            ends_on=_today() + dt.timedelta(days=10),
        )


def test_dashboard_costs_the_same_queries_for_few_and_many_records(
    client, county_staff, township, django_assert_max_num_queries
):
    """The figures are stored (reports.indicators.stored): a visit that finds them fresh reads them in a
    few queries; one that finds them out of date (no queue here) computes them, in a number of queries
    fixed by the catalogue, whatever the number of records."""
    client.force_login(county_staff)
    _populate(township, 2)
    with django_assert_max_num_queries(120) as computing:
        client.get(reverse("dashboard"))
    with django_assert_max_num_queries(25) as stored:
        client.get(reverse("dashboard"))
    assert len(stored.captured_queries) < len(computing.captured_queries) - 30
    _populate(township, 14)
    with django_assert_max_num_queries(len(computing.captured_queries)):
        client.get(reverse("dashboard"))
    with django_assert_max_num_queries(len(stored.captured_queries)):
        client.get(reverse("dashboard"))


def test_dashboard_figures_print_like_the_summary():
    from decimal import Decimal

    from reports.dashboard import Figure

    assert Figure("会员总数", 203755, "人").shown == ("203,755", "人")
    assert Figure("帮扶金额", Decimal("124300.00"), "元").shown == ("12.43", "万元")
    assert Figure("帮扶金额", Decimal("980.5"), "元").shown == ("980.5", "元")  # no trailing zero
    assert Figure("建会率", None, "%").shown == ("—", "")


def test_the_transfers_awaiting_the_only_roots_staff_are_every_open_one(
    county, township, union_a, union_b, county_staff, township_staff, other_county, outside_union
):
    """The same rule whether the scope is read by path (two roots) or is everything (one root)."""
    from federation.models import Federation
    from members.choices import TransferStatus
    from members.models import MembershipTransfer
    from reports.dashboard import transfers_waiting_on

    def open_transfer(from_union, to_union, status):
        return MembershipTransfer.objects.create(
            member=MemberFactory(union=from_union),
            from_union=from_union,
            to_union=to_union,
            requested_on=dt.date(2025, 6, 1),
            status=status,
        )

    requested = open_transfer(union_a, union_b, TransferStatus.REQUESTED)
    approved = open_transfer(outside_union, union_a, TransferStatus.APPROVED)
    open_transfer(union_a, outside_union, TransferStatus.APPROVED)  # the other county's turn
    by_path = {t.pk for t in transfers_waiting_on(county_staff).rows}
    assert by_path == {requested.pk, approved.pk}
    # The neighbour county leaves the ledger: the county is the only root, its scope everything.
    MembershipTransfer.objects.filter(to_union=outside_union).delete()
    MembershipTransfer.objects.filter(from_union=outside_union).update(from_union=union_b)
    outside_union.federation = township
    outside_union.save()
    Federation.objects.filter(pk=other_county.pk).delete()
    staff = type(county_staff).objects.get(pk=county_staff.pk)
    assert scoping.scope_is_everything(staff)
    assert {t.pk for t in transfers_waiting_on(staff).rows} == {requested.pk, approved.pk}
    assert {t.pk for t in transfers_waiting_on(township_staff).rows} == {requested.pk, approved.pk}


def test_from_september_unions_without_this_years_return_figures_are_listed_with_the_fill_sheet(
    client, monkeypatch, township_staff, union_a
):
    year = _today().year
    _on(monkeypatch, dt.date(year, 9, 1))
    UnionYearFactory(union=union_a, year=year, employees=100)  # employees, but no survey input
    filled = UnionFactory(federation=union_a.federation, name="已填统计年报工会")
    UnionYearFactory(union=filled, year=year, employees=50, dues_collected=1200)
    UnionYearFactory(union=filled, year=year - 1, employees=50)

    todo = _todo_panel(_dashboard(client, township_staff))

    assert f"缺少{year}年统计年报数据的基层工会" in todo
    assert "甲公司工会委员会" in todo and "已填统计年报工会" not in todo
    assert f'href="{reverse("unions:year-sheet")}?year={year}"' in todo


def test_before_september_the_todo_asks_for_last_years_figures(client, monkeypatch, township_staff, union_a):
    year = _today().year
    _on(monkeypatch, dt.date(year, 8, 31))
    UnionYearFactory(union=union_a, year=year, employees=100)  # this year's: not asked for yet

    todo = _todo_panel(_dashboard(client, township_staff))

    assert "缺少上年职工情况的基层工会" in todo and "统计年报数据" not in todo
    assert "甲公司工会委员会" in todo
    assert f'href="{reverse("unions:year-sheet")}?year={year - 1}"' in todo


def test_cadre_gets_no_fill_sheet_link(client, monkeypatch, cadre_a):
    _on(monkeypatch, dt.date(_today().year, 9, 15))

    todo = _todo_panel(_dashboard(client, cadre_a))

    assert "统计年报数据" in todo and reverse("unions:year-sheet") not in todo


def test_the_september_todo_costs_no_more_queries(
    client, monkeypatch, county_staff, township, django_assert_max_num_queries
):
    client.force_login(county_staff)
    _populate(township, 3)
    client.get(reverse("dashboard"))  # the figures stored
    _on(monkeypatch, dt.date(_today().year, 8, 31))
    with django_assert_max_num_queries(25) as august:
        client.get(reverse("dashboard"))
    _on(monkeypatch, dt.date(_today().year, 9, 1))
    with django_assert_max_num_queries(len(august.captured_queries)):
        client.get(reverse("dashboard"))


def test_the_key_figures_are_drawn_beside_last_years(client, county_staff, cadre_a, union_a):
    """Each figure with a last-year value gets a small two-bar chart and 「上年 …」 (federation: from the
    stored catalogue; union: the same counts a year earlier)."""
    MemberFactory(union=union_a, joined_on=_today().replace(month=1, day=2))
    MemberFactory(union=union_a, joined_on=_today().replace(year=_today().year - 1, month=3, day=1))
    for user in (county_staff, cadre_a):
        client.force_login(user)
        page = client.get(reverse("dashboard")).content.decode()
        assert page.count('class="figure-chart"') >= 3, user
        assert "上年 1人" in page, user


def test_a_receiving_union_sees_the_transfers_asking_to_come_in(client, cadre_a, cadre_b, union_a, union_b):
    from members.services import transfer_request

    member = MemberFactory(union=union_b, name="来转入")
    transfer_request(member=member, to_union=union_a, by=cadre_b, requested_on=_today())
    client.force_login(cadre_a)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'id="todo-incoming"' in page and "来转入" in page
    client.force_login(cadre_b)
    assert 'id="todo-incoming"' not in client.get(reverse("dashboard")).content.decode()
