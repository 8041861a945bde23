"""The rows of the union statistical return (基层工会调查表) the ledger fills, with their definitions.

Each row is a figure of one grassroots union that rolls up by summing: over the unions of a federation
and every federation below it, for the statistical year Y (1 October Y−1 – 30 September Y,
federation.scope.StatisticalYear). Where a row comes from:

- RECORDS — counted from the ledger's records through the indicator catalogue's record sets
  (reports.indicators.records) as of 30 September;
- INPUT — a yearly input of the union (UnionYear of year Y: 职工人数 and the survey inputs);
- FEDERATION_INPUT — a yearly input of each federation (FederationYear of year Y).

An input left blank is "not filled" (None): a union that did not fill it adds nothing and is counted
apart (filled / of all), never as 0. `part_of` names the row this one is a part of (其中…): the logic
checks hold every part to its total.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

RECORDS = "records"
INPUT = "input"
FEDERATION_INPUT = "federation_input"

SOURCES = {
    RECORDS: _("台账记录"),
    INPUT: _("工会年度填报"),
    FEDERATION_INPUT: _("联合会年度填报"),
}


@dataclass(frozen=True)
class ReturnRow:
    key: str
    label: str | Promise
    unit: str | Promise
    source: str
    definition: str | Promise
    part_of: str | None = None
    indent: int = 0
    published: bool = False  # one of the main rows the provincial statistics publish

    @property
    def source_label(self) -> str:
        return str(SOURCES[self.source])

    @property
    def is_money(self) -> bool:
        return str(self.unit) == "元"


R = ReturnRow
UNITS, PEOPLE, YUAN = _("个"), _("人"), _("元")

ROWS: tuple[ReturnRow, ...] = (
    # --- 组织 ---
    R(
        "unions",
        _("基层工会数"),
        UNITS,
        RECORDS,
        _("9月30日已成立且未撤销、未合并的基层工会（与年度总结的“基层工会数”同一记录集，截至统计年度末）。"),
        published=True,
    ),
    R(
        "enterprise",
        _("企业"),
        UNITS,
        RECORDS,
        _("单位性质为企业（内资、港澳台商投资、外商投资）的基层工会；个体经济组织另列。"),
        part_of="unions",
        indent=1,
        published=True,
    ),
    R(
        "enterprise_domestic",
        _("内资企业"),
        UNITS,
        RECORDS,
        _("单位性质为国有、集体、股份合作、联营、有限责任、股份有限、私营或其他内资企业的基层工会。"),
        part_of="enterprise",
        indent=2,
        published=True,
    ),
    R(
        "enterprise_hmt",
        _("港澳台商投资企业"),
        UNITS,
        RECORDS,
        _("单位性质为港澳台商投资的基层工会。"),
        part_of="enterprise",
        indent=2,
        published=True,
    ),
    R(
        "enterprise_foreign",
        _("外商投资企业"),
        UNITS,
        RECORDS,
        _("单位性质为外商投资的基层工会。"),
        part_of="enterprise",
        indent=2,
        published=True,
    ),
    R(
        "institution",
        _("事业单位"),
        UNITS,
        RECORDS,
        _("单位性质为财政拨款事业单位或其他事业单位的基层工会。"),
        part_of="unions",
        indent=1,
        published=True,
    ),
    R(
        "organ",
        _("机关"),
        UNITS,
        RECORDS,
        _("单位性质为机关的基层工会。"),
        part_of="unions",
        indent=1,
        published=True,
    ),
    R(
        "individual",
        _("个体经济组织"),
        UNITS,
        RECORDS,
        _("单位性质为个体经济组织的基层工会。"),
        part_of="unions",
        indent=1,
        published=True,
    ),
    R(
        "social",
        _("社会组织"),
        UNITS,
        RECORDS,
        _("单位性质为社会团体、民办非企业或基金会的基层工会。"),
        part_of="unions",
        indent=1,
    ),
    R(
        "other",
        _("其他"),
        UNITS,
        RECORDS,
        _("单位性质为其他组织的基层工会（村、社区等）。"),
        part_of="unions",
        indent=1,
    ),
    R(
        "joint_unions",
        _("联合基层工会数"),
        UNITS,
        RECORDS,
        _("基层工会类型为联合基层工会的。"),
        part_of="unions",
        indent=1,
    ),
    R(
        "joint_covered_employers",
        _("联合工会涵盖单位数"),
        UNITS,
        RECORDS,
        _("联合基层工会登记的覆盖单位数之和（工会记录的现值）。"),
        published=True,
    ),
    R(
        "joint_members",
        _("联合工会会员人数"),
        PEOPLE,
        RECORDS,
        _("联合基层工会9月30日的会员数之和（会员数的定义见“工会会员数”）。"),
        part_of="members",
        published=True,
    ),
    R(
        "employers_covered",
        _("基层工会覆盖单位数"),
        UNITS,
        RECORDS,
        _("各基层工会覆盖单位数之和：独立基层工会为1，联合基层工会为登记的覆盖单位数。"),
    ),
    # --- 职工与会员 ---
    R(
        "employees",
        _("职工人数"),
        PEOPLE,
        INPUT,
        _("基层工会所在单位Y年度的职工人数（年度职工情况，Y为统计年度）；未填写的工会不计入。"),
    ),
    R(
        "women_employees",
        _("其中：女职工"),
        PEOPLE,
        INPUT,
        _("年度职工情况中的女职工人数。"),
        part_of="employees",
        indent=1,
    ),
    R(
        "migrant_employees",
        _("其中：农民工"),
        PEOPLE,
        INPUT,
        _("年度职工情况中的农民工人数。"),
        part_of="employees",
        indent=1,
    ),
    R(
        "members",
        _("工会会员数"),
        PEOPLE,
        RECORDS,
        _(
            "9月30日会籍为“在册”或“保留会籍”的会员：截至该日各工会的入会、转入人数减去转出、退会、除名、去世人数"
            "（与年度总结的“会员总数”同一规则，截至统计年度末）。"
        ),
        published=True,
    ),
    R(
        "women_members",
        _("其中：女会员"),
        PEOPLE,
        RECORDS,
        _("工会会员数中的女性会员。"),
        part_of="members",
        indent=1,
    ),
    R(
        "migrant_members",
        _("其中：农民工会员"),
        PEOPLE,
        RECORDS,
        _("工会会员数中的农民工会员。"),
        part_of="members",
        indent=1,
    ),
    R(
        "new_members",
        _("本年新发展会员"),
        PEOPLE,
        RECORDS,
        _("统计年度内（上年10月1日至本年9月30日）登记入会的会员（不含转入）。"),
    ),
    # --- 工会工作人员 ---
    R(
        "full_time_staff",
        _("专职工会工作人员"),
        PEOPLE,
        RECORDS,
        _("基层工会登记的专职工会工作人员数之和（工会记录的现值，不是9月30日的历史值）。"),
        published=True,
    ),
    R(
        "part_time_staff",
        _("兼职工会工作人员"),
        PEOPLE,
        RECORDS,
        _("基层工会登记的兼职工会工作人员数之和（工会记录的现值）。"),
        published=True,
    ),
    R(
        "full_time_chairs",
        _("配备专职工会主席的基层工会"),
        UNITS,
        RECORDS,
        _("登记为专职主席的基层工会（工会记录的现值）。"),
        part_of="unions",
    ),
    R(
        "own_full_time_staff",
        _("联合会本级专职工会工作人员"),
        PEOPLE,
        FEDERATION_INPUT,
        _("各级联合会在Y年度基本情况中填写的本级专职工会工作人员数之和；未填写的联合会不计入。"),
    ),
    R(
        "own_part_time_staff",
        _("联合会本级兼职工会工作人员"),
        PEOPLE,
        FEDERATION_INPUT,
        _("各级联合会在Y年度基本情况中填写的本级兼职工会工作人员数之和。"),
    ),
    # --- 民主管理 ---
    R(
        "workers_congress_units",
        _("建立职代会制度的单位数"),
        UNITS,
        RECORDS,
        _("登记建立职工代表大会制度的基层工会（工会记录的现值）。"),
        part_of="unions",
    ),
    R(
        "congress_delegates",
        _("职代会职工代表人数"),
        PEOPLE,
        INPUT,
        _("年度职工情况中填写的职代会职工代表人数之和；未填写的工会不计入。"),
        published=True,
    ),
    R(
        "congress_delegates_women",
        _("其中：女性"),
        PEOPLE,
        INPUT,
        _("职代会职工代表中的女职工代表。"),
        part_of="congress_delegates",
        indent=1,
        published=True,
    ),
    R(
        "board_units",
        _("建立董事会单位数"),
        UNITS,
        INPUT,
        _("年度职工情况中“建立董事会”填“是”的基层工会。"),
        part_of="unions",
        published=True,
    ),
    R(
        "worker_directors",
        _("职工董事人数"),
        PEOPLE,
        INPUT,
        _("年度职工情况中填写的职工董事人数之和。"),
        published=True,
    ),
    R(
        "worker_directors_women",
        _("其中：女性"),
        PEOPLE,
        INPUT,
        _("职工董事中的女性。"),
        part_of="worker_directors",
        indent=1,
        published=True,
    ),
    R(
        "supervisory_board_units",
        _("建立监事会单位数"),
        UNITS,
        INPUT,
        _("年度职工情况中“建立监事会”填“是”的基层工会。"),
        part_of="unions",
    ),
    R("worker_supervisors", _("职工监事人数"), PEOPLE, INPUT, _("年度职工情况中填写的职工监事人数之和。")),
    R(
        "worker_supervisors_women",
        _("其中：女性"),
        PEOPLE,
        INPUT,
        _("职工监事中的女性。"),
        part_of="worker_supervisors",
        indent=1,
    ),
    R(
        "open_affairs_units",
        _("实行厂务公开的单位数"),
        UNITS,
        RECORDS,
        _("登记实行厂务公开的基层工会（工会记录的现值）。"),
        part_of="unions",
    ),
    # --- 组织健全 ---
    R(
        "women_committee_units",
        _("建立女职工委员会的基层工会"),
        UNITS,
        RECORDS,
        _("登记建立女职工委员会的基层工会（工会记录的现值）。"),
        part_of="unions",
    ),
    R(
        "audit_committee_units",
        _("建立经费审查委员会的基层工会"),
        UNITS,
        RECORDS,
        _("登记建立经费审查委员会的基层工会（工会记录的现值）。"),
        part_of="unions",
    ),
    R(
        "mediation_units",
        _("建立劳动争议调解委员会的基层工会"),
        UNITS,
        RECORDS,
        _("登记建立劳动争议调解委员会的基层工会（工会记录的现值）。"),
        part_of="unions",
    ),
    R(
        "labour_supervision_units",
        _("建立劳动法律监督组织的基层工会"),
        UNITS,
        RECORDS,
        _("登记建立劳动法律监督组织的基层工会（工会记录的现值）。"),
        part_of="unions",
    ),
    R(
        "elected_units",
        _("本年换届的基层工会"),
        UNITS,
        RECORDS,
        _("统计年度内登记了换届选举的基层工会（每个工会计一次）。"),
        part_of="unions",
    ),
    R(
        "contract_covered_units",
        _("集体合同覆盖的基层工会"),
        UNITS,
        RECORDS,
        _("9月30日有生效集体合同覆盖的基层工会（本单位签订或区域性、行业性合同覆盖，每个工会计一次）。"),
        part_of="unions",
    ),
    # --- 经费 ---
    R(
        "funds_remitted",
        _("工会经费拨缴"),
        YUAN,
        INPUT,
        _("年度职工情况中填写的工会经费拨缴额（按工资总额2%）之和；未填写的工会不计入。"),
    ),
    R("dues_collected", _("会费收缴"), YUAN, INPUT, _("年度职工情况中填写的会费收缴额之和。")),
)

BY_KEY: dict[str, ReturnRow] = {row.key: row for row in ROWS}
# Row numbers (行次) in the order of ROWS, as the workbook and the page print them.
LINE_NUMBER: dict[str, int] = {row.key: number for number, row in enumerate(ROWS, start=1)}
