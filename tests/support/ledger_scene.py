"""A small federation with a little of everything, as the demo shows it: the pages the accessibility
test, the role walks and the screenshots open, each with records on it (a list with rows, a case with
its aid, a summary with figures)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from federation.models import Federation, FederationYear
from members.models import HardshipCase, Member
from reports.models import SummaryDraft
from tests.support.factories import (
    ActivityFactory,
    AidRecordFactory,
    ContractFactory,
    ElectionFactory,
    HardshipCaseFactory,
    MemberFactory,
    UnionYearFactory,
)
from unions.models import GrassrootsUnion

YEAR = 2025  # the summary's year
THIS_YEAR = dt.date.today().year  # the dashboard's
NAMES = ["王秀英", "李建军", "张丽", "刘伟", "陈静", "杨洋", "赵敏", "黄磊", "马婷", "吴强"]  # 女, 男, …


@dataclass
class LedgerScene:
    county: Federation
    union: GrassrootsUnion
    member: Member
    case: HardshipCase
    year: int = YEAR

    def pages(self, *, federation_pages: bool) -> dict[str, str]:
        """The main pages by name; the federation's own pages only for the federation's people."""
        pages = {
            "工作台": "/",
            "会员列表": "/members/",
            "会员详情": f"/members/{self.member.pk}/",
            "新增会员": "/members/new/",
            "工会详情": f"/unions/{self.union.pk}/",
            "集体合同": "/unions/contracts/",
            "困难职工": "/hardship/",
            "困难职工档案": f"/hardship/{self.case.pk}/",
            "帮扶慰问": "/hardship/aid/",
            "工会活动": "/activities/",
            "导入": "/imports/new/",
            "年度总结": "/reports/",
        }
        if federation_pages:
            summary = f"/reports/{self.county.pk}/{self.year}/"
            pages |= {
                "基层工会": "/unions/",
                "联合会": "/federations/",
                "联合会详情": f"/federations/{self.county.pk}/",
                "总结": summary,
                "总结明细": summary + "drill/members/",
                "版本": summary + "versions/",
            }
        return pages


def ledger_scene(*, county, union_a, union_b) -> LedgerScene:
    FederationYear.objects.create(federation=county, year=YEAR, employers_should_unionise=5)
    for union in (union_a, union_b):
        UnionYearFactory(union=union, year=YEAR, employees=40)
        ElectionFactory(union=union, held_on=dt.date(2023, 5, 1))
        ContractFactory(union=union)
        ActivityFactory(union=union, title=f"{union.name[:2]}职工运动会", participants=80)
    members = [
        MemberFactory(
            union=union_a if i % 3 else union_b,
            name=name,
            gender="M" if i % 2 else "F",
            joined_on=dt.date(THIS_YEAR, 3, 1) if i in (3, 7) else dt.date(2019 + i % 6, 3, 1),
            mobile=f"1390571{i:04d}",
            member_number=f"HY{2019 + i % 6}{i:04d}",
        )
        for i, name in enumerate(NAMES)
    ]
    case = HardshipCaseFactory(member=members[1], opened_on=dt.date(YEAR, 2, 1))
    AidRecordFactory(member=members[1], hardship_case=case, kind="living", amount=Decimal("2000.00"))
    for member in members[2:6]:
        for year in sorted({YEAR, THIS_YEAR}):
            AidRecordFactory(
                member=member, kind="festival", amount=Decimal("500.00"), aid_on=dt.date(year, 1, 20)
            )
    SummaryDraft.objects.create(
        federation=county, year=YEAR, problems_text="部分基层工会经费不足，会员实名制登记尚未全覆盖。"
    )
    return LedgerScene(county=county, union=union_a, member=members[1], case=case)
