"""The generated sentences of the annual summary, section by section, phrased the way a careful
federation secretary writes them (see ../shared/reference/): the figure, its unit, the change on last
year where it says something — and nothing where there is nothing to say. A section without records
says so in one modest sentence; the default 存在问题 and 工作计划 state only what the figures show.

Each writer takes the `Facts` of a catalogue and returns paragraphs (lists of text and Figures).
"""

from __future__ import annotations

from decimal import Decimal

from reports.summary.figures import Facts, Paragraph, Strong, count_text, joined, money_parts, numbered, para

# Below these rates the default 存在问题 mentions them (the targets federations usually work to).
MEMBERSHIP_RATE_TARGET = Decimal("90")
CONTRACT_RATE_TARGET = Decimal("80")

# 存在问题 when the figures show nothing amiss: modest, and no claim the records do not support.
MODEST_SHORTCOMINGS = (
    "对照上级工会的要求和广大职工的期盼，工作中仍存在一些不足，需要在今后的工作中认真加以改进。"
)

# How the statistical groups read in a sentence: 「内资企业工会40个」.
GROUP_WORDING = {
    "enterprise_domestic": "内资企业",
    "enterprise_hmt": "港澳台资企业",
    "enterprise_foreign": "外资企业",
    "institution": "事业单位",
    "organ": "机关",
    "social_organisation": "社会组织",
    "community": "村(社区)及其他单位",
}
LEVEL_WORDING = {
    "national": "全国",
    "provincial": "省级",
    "city": "市级",
    "county": "县区级",
    "township": "乡镇(街道)级",
}
DEPARTURE_WORDING = {"withdraw": "退会", "expel": "除名", "death": "去世"}
# Aid kinds other than 送温暖 and 金秋助学 (which have indicators of their own).
AID_WORDING = {
    "living": "生活救助",
    "medical": "医疗救助",
    "employment": "就业帮扶",
    "legal": "法律援助",
    "other": "其他帮扶",
}
OWN_WORK_CATEGORIES = ("cadre_training", "research")


def _sentence(clauses: list, sep: str = "，") -> list:
    """Clauses joined and closed with 。 — or nothing when every clause is empty."""
    body = joined(clauses, sep)
    return [*body, "。"] if body else []


# --- Opening ---------------------------------------------------------------------------------------


def opening(f: Facts, federation_name: str) -> list[Paragraph]:
    highlights = []
    if f.now("unions"):
        highlights.append(["基层工会", *f.n("unions")])
    if f.now("members"):
        highlights.append(["会员", *f.n("members")])
    done = []
    if f.now("new_members"):
        done.append(["新发展会员", *f.n("new_members")])
    if f.now("contracts_signed"):
        done.append(["签订集体合同", *f.n("contracts_signed")])
    if f.now("aid_amount"):
        done.append(["发放各类帮扶资金", *f.money("aid_amount")])
    if f.now("activities"):
        done.append(["组织开展职工活动", *f.n("activities"), "次"])
    parts = [
        f"{f.year}年，{federation_name}围绕基层组织建设、职工权益维护、困难职工帮扶和职工文化活动等重点，"
        "认真履行工会各项职责。"
    ]
    if highlights:
        parts += [f"{f.as_of}，辖区共有", joined(highlights), "；" if done else "。"]
    if done:
        parts += ["全年", joined(done, "，"), "。"]
    parts.append("现将全年工作情况总结如下。")
    return [para(parts)]


# --- 一、组织建设和会员发展 -----------------------------------------------------------------------


def organisation(f: Facts) -> list[Paragraph]:
    paragraphs = []
    if f.now("unions"):
        flows = []
        if f.now("unions_new"):
            flows.append(["全年新建基层工会", *f.n("unions_new")])
        if f.now("unions_closed"):
            flows.append(["撤销、合并" if flows else "全年撤销、合并基层工会", *f.n("unions_closed")])
        total = [f"{f.as_of}共有基层工会", *f.n("unions")]
        if f.now("joint_unions"):
            total += ["（其中联合基层工会", *f.n("joint_unions"), "）"]
        clauses = [[*total, f.change("unions")]]
        if f.now("employers_covered"):
            clauses.append(["覆盖单位", *f.n("employers_covered")])
        rate = f.now("unionisation_rate")
        if rate is not None:
            verb = "建会率达" if rate >= 80 else "建会率为"
            clauses.append([verb, *f.rate("unionisation_rate"), f.change("unionisation_rate")])
        lead = [joined(flows, "，"), "；"] if flows else []
        paragraphs.append(para(lead, _sentence(clauses)))

        groups = [
            [
                f"{GROUP_WORDING.get(row['keys'][0], row['labels'][0])}工会",
                f.row_fig("unions_by_group", row, "count"),
                "个",
            ]
            for row in f.rows("unions_by_group")
            if row["count"]
        ]
        if groups:
            tail = []
            if f.now("non_public_unions"):
                tail = ["；其中非公有制企业工会", *f.n("non_public_unions")]
            paragraphs.append(para("从单位类型看，", joined(groups), tail, "。"))

        standards = []
        if f.now("unions_women_committee"):
            standards.append(["建立女职工委员会的", *f.n("unions_women_committee")])
        if f.now("unions_audit_committee"):
            standards.append(["建立经费审查委员会的", *f.n("unions_audit_committee")])
        staff = []
        if f.now("full_time_chairs"):
            staff.append(["配备专职工会主席", *f.n("full_time_chairs")])
        if f.now("full_time_staff"):
            staff.append(["专职工会工作人员", *f.n("full_time_staff")])
        if f.now("part_time_staff"):
            staff.append(["兼职工会工作人员", *f.n("part_time_staff")])
        clauses = []
        if standards:
            clauses.append(["基层工会中，", joined(standards, "，")])
        if staff:
            clauses.append(joined(staff, "、"))
        if f.now("unions_elected"):
            clauses.append(["全年有", f.fig("unions_elected"), "个基层工会完成换届选举"])
        if clauses:
            paragraphs.append(para(_sentence(clauses, "；")))
    else:
        paragraphs.append(para(f"{f.as_of}，辖区暂无基层工会记录。"))
    paragraphs.extend(membership(f))
    return paragraphs


def membership(f: Facts) -> list[Paragraph]:
    paragraphs = []
    clauses = []
    if f.now("employees"):
        workforce = [f"{f.as_of}，辖区基层工会共有职工", *f.n("employees")]
        if f.now("women_employees"):
            workforce += ["，其中女职工", *f.n("women_employees")]
        clauses.append(workforce)
    if f.now("members"):
        members = ["共有会员" if clauses else f"{f.as_of}，共有会员", *f.n("members"), f.change("members")]
        of_whom = []
        if f.now("women_members"):
            of_whom.append(["女会员", *f.n("women_members")])
        if f.now("migrant_members"):
            of_whom.append(["农民工会员", *f.n("migrant_members")])
        if f.now("cadre_members"):
            of_whom.append(["工会干部", *f.n("cadre_members")])
        if of_whom:
            members += ["，其中", joined(of_whom)]
        clauses.append(members)
    if f.now("membership_rate") is not None:
        rate = f.now("membership_rate")
        clauses.append(
            [
                "职工入会率达" if rate >= 80 else "职工入会率为",
                *f.rate("membership_rate"),
                f.change("membership_rate"),
            ]
        )
    if clauses:
        paragraphs.append(para(_sentence(clauses, "；")))
    elif not f.now("unions"):
        return paragraphs
    else:
        paragraphs.append(para("本年度暂无会员和职工人数记录。"))

    flows = []
    if f.now("new_members"):
        flows.append(["全年新发展会员", *f.n("new_members"), f.change("new_members")])
    if f.now("transferred_in"):
        flows.append(["从辖区外转入会员", *f.n("transferred_in")])
    if f.now("members_left"):
        left = ["因退会、转出等原因减少会员", *f.n("members_left")]
        by_type: dict[str, int] = dict.fromkeys(DEPARTURE_WORDING, 0)
        for row in f.rows("members_left_by_type"):
            change_type = row["keys"][0]
            if change_type in DEPARTURE_WORDING:
                by_type[change_type] = by_type.get(change_type, 0) + row["count"]
        details = [
            [DEPARTURE_WORDING[t], f.group_fig("members_left_by_type", {"change_type": t}, n), "人"]
            for t, n in by_type.items()
            if n
        ]
        if details:
            left += ["（其中", joined(details), "）"]
        flows.append(left)
    if flows:
        paragraphs.append(para(_sentence(flows)))
    return paragraphs


# --- 二、维权和集体合同 ---------------------------------------------------------------------------


def rights(f: Facts) -> list[Paragraph]:
    paragraphs = []
    if f.now("contracts_signed"):
        signed = ["全年签订集体合同", *f.n("contracts_signed"), f.change("contracts_signed")]
        kinds = []
        if f.now("wage_contracts_signed"):
            wage = ["工资专项集体合同", *f.n("wage_contracts_signed")]
            if f.now("average_wage_increase") is not None:
                wage += ["（平均工资增幅", *f.rate("average_wage_increase"), "）"]
            kinds.append(wage)
        if f.now("women_contracts_signed"):
            kinds.append(["女职工权益保护专项集体合同", *f.n("women_contracts_signed")])
        for scope, wording in (("regional", "区域性集体合同"), ("sectoral", "行业性集体合同")):
            count = sum(row["count"] for row in f.rows("contracts_by_kind") if row["keys"][1] == scope)
            if count:
                kinds.append([wording, f.group_fig("contracts_by_kind", {"scope": scope}, count), "份"])
        if kinds:
            signed += ["，其中", joined(kinds)]
        paragraphs.append(para(signed, "。"))
    if f.now("contracts_in_force"):
        clauses = [[f"{f.as_of}，有效集体合同", *f.n("contracts_in_force")]]
        covered = []
        if f.now("covered_unions"):
            covered.append(["基层工会", *f.n("covered_unions")])
        if f.now("covered_employees"):
            covered.append(["职工", *f.n("covered_employees")])
        if covered:
            clauses.append(["覆盖", joined(covered)])
        rate = f.now("contract_rate")
        if rate is not None:
            verb = "企业集体合同签订率达" if rate >= 80 else "企业集体合同签订率为"
            clauses.append([verb, *f.rate("contract_rate"), f.change("contract_rate")])
        paragraphs.append(para(_sentence(clauses)))
    if not paragraphs:
        paragraphs.append(para("本年度暂无集体合同记录。"))

    mechanisms = []
    if f.now("unions_labour_supervision"):
        mechanisms.append(["建立劳动法律监督组织的", *f.n("unions_labour_supervision")])
    if f.now("unions_mediation"):
        mechanisms.append(["建立劳动争议调解委员会的", *f.n("unions_mediation")])
    if f.now("unions_workers_congress"):
        mechanisms.append(["建立职工代表大会制度的", *f.n("unions_workers_congress")])
    if f.now("unions_open_affairs"):
        mechanisms.append(["实行厂务公开的", *f.n("unions_open_affairs")])
    if mechanisms:
        paragraphs.append(para("在维权机制和民主管理方面，基层工会中", joined(mechanisms, "，"), "。"))
    return paragraphs


# --- 三、困难职工帮扶 -----------------------------------------------------------------------------


def help_section(f: Facts) -> list[Paragraph]:
    if not any(
        f.now(k) for k in ("cases_open", "cases_opened", "cases_resolved", "cases_exited", "aid_count")
    ):
        return [para("本年度暂无困难职工帮扶记录。")]
    paragraphs = []
    clauses = []
    if f.now("cases_open"):
        open_cases = [f"{f.as_of}，在档困难职工", *f.n("cases_open"), f.change("cases_open")]
        categories = [
            [row["labels"][0], f.row_fig("cases_by_category", row, "count"), "户"]
            for row in f.rows("cases_by_category")
            if row["count"]
        ]
        if categories:
            open_cases += ["，其中", joined(categories)]
        clauses.append(open_cases)
    flows = []
    if f.now("cases_opened"):
        flows.append(["新建档", *f.n("cases_opened")])
    if f.now("cases_resolved"):
        flows.append(["解困脱困", *f.n("cases_resolved")])
    if f.now("cases_exited"):
        flows.append(["退出档案", *f.n("cases_exited")])
    if flows:
        clauses.append(["全年", joined(flows, "，")])
    causes = sorted((row for row in f.rows("cases_by_cause") if row["count"]), key=lambda r: -r["count"])[:3]
    if causes and f.now("cases_open"):
        clauses.append(
            [
                "主要致困原因为",
                joined(
                    [
                        [row["labels"][0], "（", f.row_fig("cases_by_cause", row, "count"), "户）"]
                        for row in causes
                    ]
                ),
                "等" if len(f.rows("cases_by_cause")) > len(causes) else "",
            ]
        )
    if clauses:
        paragraphs.append(para(_sentence(clauses, "；")))

    if f.now("aid_count"):
        aid = ["全年共开展各类帮扶", *f.n("aid_count")]
        if f.now("aid_people"):
            aid += ["，惠及职工", *f.n("aid_people")]
        if f.now("aid_amount"):
            aid += ["，发放帮扶资金共计", *f.money("aid_amount"), f.change("aid_amount")]
        if f.now("aid_goods_value"):
            aid += ["；另发放实物折价", *f.money("aid_goods_value")]
        aid.append("。")
        kinds = []
        if f.now("festival_visits"):
            festival = ["开展节日慰问（送温暖）", *f.n("festival_visits")]
            if f.now("festival_amount"):
                festival += ["，发放慰问金", *f.money("festival_amount")]
            kinds.append(festival)
        if f.now("school_students") or f.now("school_amount"):
            school = ["金秋助学"]
            if f.now("school_students"):
                school += ["资助困难职工子女", *f.n("school_students")]
            if f.now("school_amount"):
                school += [
                    "，发放助学金" if f.now("school_students") else "发放助学金",
                    *f.money("school_amount"),
                ]
            kinds.append(school)
        for row in f.rows("aid_by_kind"):
            kind = row["keys"][0]
            if kind not in AID_WORDING or not row["count"]:
                continue
            item = [AID_WORDING[kind], f.row_fig("aid_by_kind", row, "count"), "人次"]
            if row["amount"]:
                number, unit = money_parts(row["amount"])
                item += ["、", f.row_fig("aid_by_kind", row, "amount", number), unit]
            kinds.append(item)
        if kinds:
            aid += ["其中，", joined(kinds, "；"), "。"]
        paragraphs.append(para(aid))
    return paragraphs


# --- 四、职工活动和技能提升 -----------------------------------------------------------------------


def activities(f: Facts) -> list[Paragraph]:
    if not f.now("activities"):
        return [para("本年度暂无职工活动记录。")]
    clauses = [["全年共组织开展各类职工活动", *f.n("activities"), "次", f.change("activities")]]
    if f.now("activity_participants"):
        clauses.append(["参与职工", *f.n("activity_participants")])
    if f.now("activity_beneficiaries"):
        clauses.append(["受益职工", *f.n("activity_beneficiaries")])
    if f.now("activity_spending"):
        clauses.append(["活动经费支出", *f.money("activity_spending")])
    paragraphs = [para(_sentence(clauses))]
    categories = [
        [row["labels"][0], f.row_fig("activities_by_category", row, "count"), "场"]
        for row in f.rows("activities_by_category")
        if row["count"] and row["keys"][0] not in OWN_WORK_CATEGORIES
    ]
    if categories:
        paragraphs.append(para("按活动类别分，", joined(categories), "。"))
    return paragraphs


# --- 五、评先评优 ---------------------------------------------------------------------------------


def _honour_items(f: Facts, breakdown: str, unit: str) -> list:
    items = []
    for row in f.rows(breakdown):
        if not row["count"]:
            continue
        title, level = row["keys"]
        name = f"“{row['labels'][0]}”" if title != "other" else "其他荣誉"
        items.append([LEVEL_WORDING.get(level, ""), name, f.row_fig(breakdown, row, "count"), unit])
    return items


def honours(f: Facts) -> list[Paragraph]:
    clauses = []
    if f.now("union_honours"):
        union = ["全年基层工会获得各级集体荣誉", *f.n("union_honours")]
        items = _honour_items(f, "union_honours", "项")
        if items:
            union += ["，其中", joined(items)]
        clauses.append(union)
    if f.now("member_honours"):
        member = ["会员获得各级个人荣誉", *f.n("member_honours", "人次")]
        items = _honour_items(f, "member_honours", "人次")
        if items:
            member += ["，其中", joined(items)]
        clauses.append(member)
    return [para(_sentence(clauses, "；"))] if clauses else []


# --- 六、联合会自身建设 ---------------------------------------------------------------------------


def own_work(f: Facts) -> list[Paragraph]:
    rows = {row["keys"][0]: row for row in f.rows("activities_by_category")}
    clauses = []
    training = rows.get("cadre_training")
    if training and training["count"]:
        item = ["举办工会干部培训", f.row_fig("activities_by_category", training, "count"), "期"]
        if training["participants"]:
            item += ["，参训", f.row_fig("activities_by_category", training, "participants"), "人次"]
        clauses.append(item)
    research = rows.get("research")
    if research and research["count"]:
        clauses.append(["开展调查研究", f.row_fig("activities_by_category", research, "count"), "次"])
    if not clauses:
        return []
    return [para("全年辖区各级工会", joined(clauses, "，"), "。")]


# --- 存在问题 and 下一年工作计划 (defaults when staff wrote none) --------------------------------


def _uncovered_employers(f: Facts) -> int:
    should, covered = f.now("employers_should_unionise"), f.now("employers_covered") or 0
    return max((should or 0) - covered, 0)


def problems(f: Facts) -> list[Paragraph]:
    """Only what the figures show; a modest general sentence when they show nothing amiss."""
    items = []
    rate = f.now("unionisation_rate")
    if rate is not None and rate < 100 and _uncovered_employers(f):
        items.append(
            [
                Strong("工会组建仍有空白。"),
                "建会率为",
                *f.rate("unionisation_rate"),
                "，尚有",
                count_text(_uncovered_employers(f)),
                "家应建会单位未纳入工会组织覆盖。",
            ]
        )
    rate = f.now("membership_rate")
    if rate is not None and rate < MEMBERSHIP_RATE_TARGET:
        items.append(
            [
                Strong("会员发展有待加强。"),
                "职工入会率为",
                *f.rate("membership_rate"),
                "，会员发展仍有提升空间。",
            ]
        )
    if f.now("unions_overdue"):
        items.append(
            [
                Strong("部分基层工会换届不够及时。"),
                f"{f.as_of}，有",
                f.fig("unions_overdue"),
                "个基层工会任期已满尚未完成换届选举。",
            ]
        )
    rate = f.now("contract_rate")
    if rate is not None and rate < CONTRACT_RATE_TARGET:
        items.append(
            [Strong("集体合同覆盖面有待扩大。"), "企业集体合同签订率为", *f.rate("contract_rate"), "。"]
        )
    if f.now("cases_overdue_review"):
        items.append(
            [
                Strong("困难职工档案动态管理有待加强。"),
                "有",
                f.fig("cases_overdue_review"),
                "户在档困难职工超过12个月未复核。",
            ]
        )
    if not items:
        return [para(MODEST_SHORTCOMINGS)]
    return [para("在肯定成绩的同时，我们也清醒地看到工作中存在的不足："), *numbered(items)]


def plan(f: Facts, next_year: int) -> list[Paragraph]:
    items = []
    uncovered = _uncovered_employers(f)
    if uncovered:
        items.append(
            [
                Strong("继续推进基层工会组建。"),
                f"对尚未建会的{count_text(uncovered)}家单位逐一跟进，扩大工会组织覆盖面。",
            ]
        )
    else:
        items.append([Strong("巩固基层工会组建成果。"), "做好新设立单位的建会工作，推进基层工会规范化建设。"])
    if f.now("unions_overdue"):
        items.append(
            [
                Strong("抓好换届选举工作。"),
                "督促任期已满的",
                f.fig("unions_overdue"),
                "个基层工会按期完成换届。",
            ]
        )
    contract = [Strong("深化集体协商。")]
    if f.now("contracts_expiring"):
        contract += ["做好", f.fig("contracts_expiring"), f"份将于{next_year}年到期的集体合同的续签工作，"]
    contract.append("推进工资集体协商，扩大集体合同覆盖面。")
    items.append(contract)
    if f.now("cases_open") or f.now("aid_count"):
        help_item = [Strong("做好困难职工帮扶。"), "加强困难职工档案动态管理，按时开展复核回访"]
        if f.now("cases_overdue_review"):
            help_item += ["（现有", f.fig("cases_overdue_review"), "户待复核）"]
        kept_up = f.now("festival_visits") or f.now("school_students") or f.now("school_amount")
        help_item.append(
            "，继续开展送温暖、金秋助学等帮扶活动。" if kept_up else "，开展送温暖、金秋助学等帮扶活动。"
        )
        items.append(help_item)
    if f.now("activities"):
        items.append(
            [Strong("丰富职工文化生活。"), "继续组织劳动和技能竞赛、职工文体活动，提升职工技能素质。"]
        )
    items.append([Strong("加强会员管理。"), "落实会员实名制管理，做好会员发展和会籍转接工作。"])
    return [para(f"{next_year}年，我会将重点做好以下工作："), *numbered(items)]
