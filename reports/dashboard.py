"""The 工作台 (dashboard): the key figures of the current year and the to-dos of one user.

Every queryset comes from federation.scoping, so a user's to-dos are only ever their own scope's.
Each selector costs a fixed number of queries, whatever the number of records: lists are cut to
TODO_LIMIT rows and counted separately.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from federation import scoping
from federation.models import User
from members.applications.selectors import applications_to_review, findings_for
from members.choices import LIVE_STATUSES, CaseStatus, ChangeType, IdType, TransferStatus
from members.models import (
    AidRecord,
    HardshipCase,
    Member,
    MembershipChange,
    MembershipFlow,
    MembershipTransfer,
)
from members.selectors import case_overdue_for_review_q, transfers_awaiting_user
from reports.indicators import stored
from reports.indicators.catalogue import BY_KEY
from reports.models import SummaryPeriod, SummaryVersion
from reports.summary.figures import count_text, money_parts
from unions.choices import UnionStatus
from unions.models import CollectiveContract, GrassrootsUnion, UnionYear
from unions.selectors import (
    contract_expiring_q,
    election_due_q,
    survey_inputs_filled_q,
    with_election_flags,
)

TODO_LIMIT = 10
# From this month the statistical return of the year (1 Oct – 30 Sep) is due: the to-do of missing
# yearly figures asks for this year's, with the survey's inputs, instead of last year's.
STATISTICAL_RETURN_MONTH = 9

# The figures a federation's dashboard shows, by indicator key of the summary catalogue.
FEDERATION_FIGURES = ("unions", "members", "new_members", "cases_open", "aid_amount", "activities")


@dataclass
class Figure:
    label: str
    value: object
    unit: str = ""
    previous: object = None  # last year's, where there is one: drawn beside this year's

    # The small chart beside the figure: two bars, this year's and last year's, the longer one full.
    CHART_WIDTH = 120

    @property
    def bars(self) -> tuple[int, int] | None:
        """(this year's, last year's) bar lengths in px; None without last year's figure."""
        if self.previous is None or self.value is None:
            return None
        current, previous = float(self.value), float(self.previous)
        top = max(current, previous)
        if top <= 0:
            return 0, 0
        return round(self.CHART_WIDTH * current / top), round(self.CHART_WIDTH * previous / top)

    @property
    def previous_shown(self) -> str:
        if self.previous is None:
            return ""
        number, unit = Figure(self.label, self.previous, self.unit).shown
        return f"{number}{unit}"

    @property
    def shown(self) -> tuple[str, str]:
        """(number, unit) as the summary prints them: thousands separators, large sums in 万元."""
        if self.value is None:
            return "—", ""
        if self.unit == "元":
            return money_parts(self.value)
        if isinstance(self.value, int):
            return count_text(self.value), self.unit
        return str(self.value), self.unit


@dataclass
class Todo:
    """One kind of to-do: the first rows, and how many there are in all."""

    key: str
    title: str
    rows: list
    total: int
    hint: str = ""
    extra: dict = field(default_factory=dict)


def federation_figures(user, year: int) -> stored.Figures | None:
    """A federation's figures: the summary catalogue as stored (reports.indicators.stored)."""
    if user.role in scoping.FEDERATION_ROLES and user.federation_id:
        return stored.figures_for(user.federation, year)
    return None


def key_figures(user, year: int, figures: stored.Figures | None = None) -> list[Figure]:
    """A federation's figures come from the summary catalogue; a union's (and an administrator's,
    who is bound to no federation) from plain scoped counts."""
    if figures is not None:
        indicators = [BY_KEY[key] for key in FEDERATION_FIGURES]
        values, previous = figures.catalogue.current, figures.catalogue.previous
        return [Figure(str(i.label), values.get(i.key), str(i.unit), previous.get(i.key)) for i in indicators]
    this_year = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    last_year = (dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31))
    members = scoping.visible(user, Member).filter(status__in=LIVE_STATUSES).count()
    # Members at the end of last year: the membership flow of the user's unions up to then.
    members_before = scoping.visible(user, MembershipFlow).filter(year__lt=year).aggregate(n=Sum("net"))["n"]
    joins = scoping.visible(user, MembershipChange).filter(change_type=ChangeType.JOIN)
    new = joins.filter(changed_on__range=this_year).count()
    new_before = joins.filter(changed_on__range=last_year).count()
    cases = scoping.visible(user, HardshipCase).filter(status=CaseStatus.OPEN).count()
    aid = scoping.visible(user, AidRecord).aggregate(
        now=Sum("amount", filter=Q(aid_on__range=this_year)),
        before=Sum("amount", filter=Q(aid_on__range=last_year)),
    )
    return [
        Figure(str(_("会员总数")), members, str(_("人")), members_before or 0),
        Figure(str(_("新发展会员数")), new, str(_("人")), new_before),
        Figure(str(_("困难职工在档数")), cases, str(_("户"))),
        Figure(str(_("帮扶金额")), aid["now"] or 0, str(_("元")), aid["before"] or 0),
    ]


def _todo(key, title, queryset, hint="") -> Todo:
    rows = list(queryset[:TODO_LIMIT])
    total = queryset.count()  # always asked, so that the page costs the same queries every time
    return Todo(key=key, title=title, rows=rows, total=total, hint=hint)


def elections_due(user, today: dt.date) -> Todo:
    queryset = with_election_flags(
        scoping.visible(user, GrassrootsUnion)
        .filter(election_due_q(today))
        .select_related("federation")
        .order_by("election_due_on", "name"),
        today,
    )
    return _todo("elections", _("换届到期或逾期的基层工会"), queryset, _("90天内到期及已逾期"))


def contracts_expiring(user, today: dt.date) -> Todo:
    queryset = (
        scoping.visible(user, CollectiveContract)
        .filter(contract_expiring_q(today))
        .select_related("union", "federation")
        .order_by("ends_on", "pk")
    )
    return _todo("contracts", _("90天内到期的集体合同"), queryset, _("请及时组织续签"))


def cases_not_reviewed(user, today: dt.date) -> Todo:
    queryset = (
        scoping.visible(user, HardshipCase)
        .filter(case_overdue_for_review_q(today))
        .select_related("member", "union")
        .order_by("last_reviewed_on", "opened_on", "pk")
    )
    return _todo("cases", _("超过12个月未复核的困难职工档案"), queryset, _("每年至少复核（回访）一次"))


def transfers_waiting_on(user) -> Todo:
    """The open transfers whose turn it is (MembershipTransfer.awaiting_union) for a union the user
    may act for — scoping.can_act_for_union, asked in one query for all rows."""
    return _todo("transfers", _("等待您办理的会籍转接"), transfers_awaiting_user(user))


def transfers_incoming(user) -> Todo:
    """For a union cadre: members asking to transfer into their union, still waiting on the union they
    leave (once it agrees, they are the cadre's own to-do above). No query for other roles."""
    title = _("申请转入本会的会员")
    if user.role != User.Role.UNION_CADRE or not user.union_id:
        return Todo(key="incoming", title=title, rows=[], total=0)
    queryset = (
        scoping.visible(user, MembershipTransfer)
        .filter(to_union_id=user.union_id, status=TransferStatus.REQUESTED)
        .select_related("member", "from_union", "to_union")
        .order_by("requested_on", "pk")
    )
    return _todo("incoming", title, queryset, _("等待转出工会同意；同意后会出现在“等待您办理的会籍转接”中"))


def join_applications_waiting(user) -> Todo:
    """待审核入会申请: the applications sent through the join links of the unions the user keeps, each
    with what the review finds (members.applications.selectors: at most three queries more, for the
    rows shown). No query for a reader."""
    todo = _todo(
        "applications",
        _("待审核入会申请"),
        applications_to_review(user),
        _("职工扫入会二维码提交的申请：核对审核提示后通过或不通过"),
    )
    findings = findings_for(user, todo.rows)
    for row in todo.rows:
        row.findings = findings[row.pk]
    return todo


def invalid_resident_ids(user) -> Todo:
    """Live members whose 居民身份证 number fails the GB 11643 shape or check digit: Member.id_number_valid,
    kept by every writer of the number (and filled from the database's own check for the rows there
    were), found through its partial index, so the finding costs one cheap query at any scale.
    Duplicates need no finding: the database allows one live membership per ID number."""
    bad = (
        scoping.visible(user, Member)
        .filter(id_number_valid=False, status__in=LIVE_STATUSES, id_type=IdType.RESIDENT_ID)
        .order_by("pk")
    )
    # One pass: the invalid rows are few, and counting them separately would read them twice.
    rows = list(bad.values("pk", "name"))
    return Todo(
        key="invalid_ids",
        title=_("身份证号无效的会员"),
        rows=rows[:TODO_LIMIT],
        total=len(rows),
        hint=_("请核对证件号码"),
    )


def unions_without_figures(user, year: int, *, statistical: bool = False) -> Todo:
    """Unions without the yearly figures of `year`. For the statistical return (from September, when
    the statistical year ends on the 30th), figures without any of the survey's inputs are missing too;
    a federation's user gets the fill sheet of the year one click away (extra["sheet_url"])."""
    queryset = scoping.visible(user, GrassrootsUnion).filter(status=UnionStatus.ACTIVE)
    if statistical:
        filled = UnionYear.objects.filter(survey_inputs_filled_q(), union=OuterRef("pk"), year=year)
        queryset = queryset.exclude(Exists(filled))
        title = _("缺少%(year)s年统计年报数据的基层工会") % {"year": year}
        hint = _("统计年度截至9月30日：请下载填报表，补录%(year)s年职工人数和统计年报数据") % {"year": year}
    else:
        queryset = queryset.exclude(years__year=year)
        title = _("缺少上年职工情况的基层工会")
        hint = _("请补录%(year)s年职工人数") % {"year": year}
    todo = _todo("union_years", title, queryset.select_related("federation").order_by("name", "pk"), hint)
    todo.extra["year"] = year
    if scoping.sees_federations(user):
        todo.extra["sheet_url"] = f"{reverse('unions:year-sheet')}?year={year}"
    return todo


def summary_year_to_finalise(today: dt.date) -> int | None:
    """The year whose summary a chair is reminded to finalise: this year's from December, and last
    year's until mid-year (as the summary index defaults to it); none from July to November."""
    if today.month == 12:
        return today.year
    return today.year - 1 if today.month <= 6 else None


def summary_to_finalise(user, today: dt.date) -> Todo:
    """A chair's 「Y年工作总结待定稿」 while their federation's annual summary of Y has no version in
    force — a union cadre's for the union's own summary (issue 15): one query for them in the season,
    none for anyone else."""
    year = summary_year_to_finalise(today)
    rows = []
    subject = None
    if year is not None and user.role == User.Role.CHAIR and user.federation_id:
        subject = {"federation_id": user.federation_id, "union__isnull": True}
        args = [user.federation_id, year]
    elif year is not None and user.role == User.Role.UNION_CADRE and user.union_id:
        subject = {"union_id": user.union_id}
        args = [user.union_id, year]
    if subject is not None:
        finalised = SummaryVersion.objects.filter(
            **subject, year=year, period=SummaryPeriod.YEAR, reopened_at__isnull=True
        ).exists()
        if not finalised:
            name = "reports:union-summary" if "union_id" in subject else "reports:summary"
            rows = [{"url": reverse(name, args=args), "year": year}]
    return Todo(
        key="summary",
        title=_("%(year)s年工作总结待定稿") % {"year": year} if year else "",
        rows=rows,
        total=len(rows),
        hint=_("核对统计数字和文字部分后，在工作总结页面点击“定稿”。"),
    )


def dashboard_for(user: User, today: dt.date) -> dict:
    """Everything the dashboard shows, in a fixed number of queries."""
    todos = [
        summary_to_finalise(user, today),
        transfers_waiting_on(user),
        transfers_incoming(user),
        join_applications_waiting(user),
        elections_due(user, today),
        contracts_expiring(user, today),
        cases_not_reviewed(user, today),
        invalid_resident_ids(user),
        unions_without_figures(user, today.year, statistical=True)
        if today.month >= STATISTICAL_RETURN_MONTH
        else unions_without_figures(user, today.year - 1),
    ]
    stored_figures = federation_figures(user, today.year)
    return {
        "year": today.year,
        "figures": key_figures(user, today.year, stored_figures),
        "figures_stored": stored_figures,
        "todos": todos,
        "todo_total": sum(t.total for t in todos),
    }
