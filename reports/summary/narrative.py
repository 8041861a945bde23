"""The generated sentences of the annual summary, section by section, phrased the way a careful
federation secretary writes them (see ../shared/reference/): the figure, its unit, the change on last
year where it says something — and nothing where there is nothing to say. A section without records
says so in one modest sentence; the default 存在问题 and 工作计划 state only what the figures show.

Each writer takes the `Facts` of a catalogue and returns paragraphs (lists of text and Figures).
"""

from __future__ import annotations

from decimal import Decimal

from reports.indicators.breakdowns import BREAKDOWN_BY_KEY
from reports.indicators.highlights import HIGHLIGHT_BY_KEY
from reports.summary.dates import ordinal_in_chinese
from reports.summary.figures import (
    Composition,
    Facts,
    Named,
    Paragraph,
    Share,
    Strong,
    composition,
    count_text,
    joined,
    money_parts,
    numbered,
    para,
    sentence_unit,
)
from unions.choices import HonourTitle

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
# The departures 减少会员数 counts, in the order the text gives them (转出: to outside the subtree).
DEPARTURE_WORDING = {"withdraw": "退会", "transfer_out": "转出", "expel": "除名", "death": "去世"}
# How the aid kinds read in the sentence on aid.
AID_WORDING = {
    "festival": "节日慰问（送温暖）",
    "education": "金秋助学",
    "living": "生活救助",
    "medical": "医疗救助",
    "employment": "就业帮扶",
    "legal": "法律援助",
    "other": "其他帮扶",
}
CONTRACT_KIND_WORDING = {
    "comprehensive": "综合性集体合同",
    "wage": "工资专项集体合同",
    "women": "女职工权益保护专项集体合同",
    "safety": "劳动安全卫生专项集体合同",
    "other_special": "其他专项集体合同",
}
CONTRACT_SCOPE_WORDING = {"single": "单独签订", "regional": "区域性", "sectoral": "行业性"}
# Where a named record opens (Named): the record's own page.
MEMBER_URL, UNION_URL, CONTRACT_URL, ACTIVITY_URL = (
    "members:detail",
    "unions:detail",
    "unions:contract-detail",
    "activities:detail",
)
HONOUR_TITLES = dict(HonourTitle.choices)
# The activities whose participants section 四 gives on their own (劳动和技能竞赛, 安康杯, 技能培训).
CONTEST_CATEGORIES = ("labour_contest", "ankang_cup", "skill_training")


def _row_share(
    f: Facts, breakdown: str, row: dict, measure: str, before: tuple, after: tuple, text: str | None = None
) -> Share:
    """One row of a breakdown as a share: its value of `measure`, its figure between words; the share
    is labelled with the row's first key."""
    return Share(row["keys"][0], row[measure], (*before, f.row_fig(breakdown, row, measure, text), *after))


def _split_by(
    f: Facts,
    key: str,
    breakdown: str,
    field: str,
    unit: str,
    wording: dict | None = None,
    after: dict | None = None,
) -> Composition:
    """Indicator `key` split by one field of a breakdown — every value of the field, in the order of
    `wording` (values it does not know after them, named by their labels); `after` adds words after a
    value's figure."""
    index = BREAKDOWN_BY_KEY[breakdown].group_by.index(field)
    wording = dict(wording or {})
    sums: dict[str, int] = dict.fromkeys(wording, 0)
    for row in f.rows(breakdown):
        value = row["keys"][index]
        wording.setdefault(value, row["labels"][index])
        sums[value] = sums.get(value, 0) + row["count"]
    shares = []
    for value, n in sums.items():
        words = wording.get(value, value)
        parts = (words, f.group_fig(breakdown, {field: value}, n), unit, *(after or {}).get(value, ()))
        shares.append(Share(words, n, parts))
    return composition(key, f.now(key), shares, unit=unit)


def threads(items: list) -> list:
    """Several threads of one section as a secretary lists them: 「一是…；二是…；三是…」 — or the one
    thread alone; empty threads are left out."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return items
    return joined([[f"{ordinal_in_chinese(i)}是", item] for i, item in enumerate(items, start=1)], "；")


def _named(rule: str, text: str, url_name: str, pk: int) -> Named:
    """A name a highlight rule chose, with the rule as its tooltip on the page."""
    return Named(text, url_name, pk, str(HIGHLIGHT_BY_KEY[rule].definition))


def _quoted(rule: str, title: str, url_name: str, pk: int) -> list:
    """A title in quotation marks, its own quotation marks turned into the inner ones (‘’)."""
    title = title.replace("“", "‘").replace("”", "’")
    return ["“", _named(rule, title, url_name, pk), "”"]


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

        wording = {group: f"{words}工会" for group, words in GROUP_WORDING.items()}
        groups = _split_by(f, "unions", "unions_by_group", "group", "个", wording)
        if groups.shares:
            tail = []
            if f.now("non_public_unions"):
                tail = ["；其中非公有制企业工会", *f.n("non_public_unions")]
            paragraphs.append(para("从单位类型看，", groups, tail, "。"))

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
        details = _split_by(f, "members_left", "members_left_by_type", "change_type", "人", DEPARTURE_WORDING)
        if details.shares:
            left += ["（其中", details, "）"]
        flows.append(left)
    if flows:
        paragraphs.append(para(_sentence(flows)))
    return paragraphs


# --- 二、维权和集体合同 ---------------------------------------------------------------------------


def rights(f: Facts) -> list[Paragraph]:
    paragraphs = []
    if f.now("contracts_signed"):
        signed = ["全年签订集体合同", *f.n("contracts_signed"), f.change("contracts_signed")]
        after = {}
        if f.now("average_wage_increase") is not None:
            after["wage"] = ("（平均工资增幅", *f.rate("average_wage_increase"), "）")
        kinds = _split_by(
            f, "contracts_signed", "contracts_by_kind", "kind", "份", CONTRACT_KIND_WORDING, after
        )
        if kinds.shares:
            signed += ["，其中", kinds]
        scopes = _split_by(f, "contracts_signed", "contracts_by_kind", "scope", "份", CONTRACT_SCOPE_WORDING)
        if any(share.label != CONTRACT_SCOPE_WORDING["single"] for share in scopes.shares):
            signed += ["；从签订形式看，", scopes]
        paragraphs.append(para(signed, "。"))
        named = _contracts_named(f)
        if named:
            paragraphs.append(para(_sentence(named, "；")))
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


def _contest_participants(f: Facts) -> list:
    """「参加安康杯竞赛的职工285人次」: the participants of the contests and skill training."""
    items = [
        ["参加", row["labels"][0], "的职工", f.row_fig("activities_by_category", row, "participants"), "人次"]
        for row in f.rows("activities_by_category")
        if row["keys"][0] in CONTEST_CATEGORIES and row["participants"]
    ]
    return [joined(items, "，"), "。"] if items else []


def _contracts_named(f: Facts) -> list:
    """The first 工资专项集体合同 of the year with its enterprise, and the contract covering the most
    workers (reports.indicators.highlights) — the second only when it is another contract."""
    clauses = []
    first = next(iter(f.named("first_wage_contract")), None)
    if first:
        day = first["signed_on"]
        clause = [
            f"{day.month}月{day.day}日，",
            _named("first_wage_contract", first["party"], CONTRACT_URL, first["pk"]),
        ]
        clause.append("签订全年首份工资专项集体合同")
        if first["wage_increase_pct"] is not None:
            clause += [f"，约定工资增长{Decimal(first['wage_increase_pct']):.1f}%"]
        clauses.append(clause)
    largest = next(iter(f.named("largest_contract")), None)
    if largest and (not first or largest["pk"] != first["pk"]):
        clauses.append(
            [
                "覆盖职工最多的是",
                largest["party"],
                "签订的",
                _quoted("largest_contract", largest["title"], CONTRACT_URL, largest["pk"]),
                f"，覆盖职工{count_text(largest['covered_employees'])}人",
            ]
        )
    return clauses


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
        categories = _split_by(f, "cases_open", "cases_by_category", "category", "户")
        if categories.shares:
            open_cases += ["，其中", categories]
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
    # The three commonest causes (ties in the official order of the causes), the others as 其他原因.
    causes = sorted((row for row in f.rows("cases_by_cause") if row["count"]), key=lambda r: -r["count"])
    if causes and f.now("cases_open"):
        shares = [
            _row_share(f, "cases_by_cause", row, "count", (row["labels"][0], "（"), ("户）",))
            for row in causes
        ]
        main_causes = composition(
            "cases_open", f.now("cases_open"), shares, unit="户", limit=3, rest_label="其他原因"
        )
        if main_causes.shares:
            clauses.append(["主要致困原因为", main_causes])
    if clauses:
        paragraphs.append(para(_sentence(clauses, "；")))

    if f.now("aid_count"):
        paragraphs.append(_aid_paragraph(f))
    return paragraphs


def _aid_paragraph(f: Facts) -> Paragraph:
    """All aid, then its split by kind: 人次 and 金额 of every kind, so that both add up to the totals
    of the first sentence. Each sentence prints its amounts in one unit (federation.numbers)."""
    unit = f.money_unit("aid_amount", "aid_goods_value")
    aid = ["全年共开展各类帮扶", *f.n("aid_count")]
    if f.now("aid_people"):
        aid += ["，惠及职工", *f.n("aid_people")]
    if f.now("aid_amount"):
        aid += ["，发放帮扶资金共计", *f.money("aid_amount", unit), f.change("aid_amount")]
    if f.now("aid_goods_value"):
        aid += ["；另发放实物折价", *f.money("aid_goods_value", unit)]
    aid.append("。")
    rows = [row for row in f.rows("aid_by_kind") if row["count"]]
    kinds_unit = sentence_unit(row["amount"] for row in rows)
    shares = []
    for row in rows:
        number, unit_of_row = money_parts(row["amount"], kinds_unit)
        shares.append(_row_share(f, "aid_by_kind", row, "amount", (), (unit_of_row,), number))
    amounts = composition("aid_amount", f.now("aid_amount"), shares, unit=kinds_unit)
    amount_of = {share.label: share for share in amounts.shares}
    shares = []
    for row in rows:
        kind = row["keys"][0]
        wording = AID_WORDING.get(kind, row["labels"][0])
        item: list = [wording, f.row_fig("aid_by_kind", row, "count"), "人次"]
        if kind == "education" and row["students"]:
            item += ["，资助困难职工子女", f.row_fig("aid_by_kind", row, "students"), "人"]
        if kind in amount_of:
            verb = {"festival": "，发放慰问金", "education": "，发放助学金"}.get(kind, "，金额")
            item += [verb, *amount_of[kind].parts]
        shares.append(Share(wording, row["count"], tuple(item)))
    kinds = composition("aid_count", f.now("aid_count"), shares, unit="人次", sep="；")
    by_kind = len(kinds.shares) > 1 or kinds.rest  # a split of one kind only would repeat the total
    paragraph = para(aid, ["其中，", kinds, "。"] if by_kind else [])
    if by_kind and amounts.shares:
        paragraph.compositions.append(amounts)  # printed within the shares of `kinds`
    return paragraph


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
    categories = _split_by(f, "activities", "activities_by_category", "category", "场")
    if len(categories.shares) > 1 or categories.rest:
        paragraphs.append(para("按活动类别分，", categories, "。", _contest_participants(f)))
    largest = [
        [
            *_quoted("largest_activities", row["title"], ACTIVITY_URL, row["pk"]),
            f"（{count_text(row['participants'])}人次）",
        ]
        for row in f.named("largest_activities")
    ]
    if largest:
        lead = "参与人次最多的活动是" if len(largest) == 1 else "参与人次最多的活动有"
        paragraphs.append(para(lead, joined(largest), "。"))
    return paragraphs


# --- 五、评先评优 ---------------------------------------------------------------------------------


def _honour_items(f: Facts, breakdown: str, unit: str):
    shares = []
    for row in f.rows(breakdown):
        title, level = row["keys"]
        name = f"“{row['labels'][0]}”" if title != "other" else "其他荣誉"
        wording = LEVEL_WORDING.get(level, "") + name
        shares.append(Share(wording, row["count"], (wording, f.row_fig(breakdown, row, "count"), unit)))
    return composition(breakdown, f.now(breakdown), shares, unit=unit)


def honours(f: Facts) -> list[Paragraph]:
    clauses = []
    if f.now("union_honours"):
        union = ["全年基层工会获得各级集体荣誉", *f.n("union_honours")]
        items = _honour_items(f, "union_honours", "项")
        if items.shares:
            union += ["，其中", items]
        clauses.append(union)
    if f.now("member_honours"):
        member = ["会员获得各级个人荣誉", *f.n("member_honours", "人次")]
        items = _honour_items(f, "member_honours", "人次")
        if items.shares:
            member += ["，其中", items]
        clauses.append(member)
    paragraphs = [para(_sentence(clauses, "；"))] if clauses else []
    named = threads(
        [
            _honours_named(f, "member_honours_named", "个人荣誉方面，"),
            _honours_named(f, "union_honours_named", "集体荣誉方面，"),
            _honours_named(f, "home_ratings_named", "职工之家建设方面，"),
        ]
    )
    if named:
        paragraphs.append(para("在先进典型选树中，", named, "。"))
    return paragraphs


def _honour_title(row: dict) -> str:
    if row["title"] == HonourTitle.OTHER and row["title_other"]:
        return f"“{row['title_other']}”"
    return f"“{HONOUR_TITLES.get(row['title'], row['title'])}”"


def _honours_named(f: Facts, rule: str, lead: str) -> list:
    """「XX公司工会主席陈XX获全国“五一劳动奖章”」, 「XX工会获省级“…”」, 「XX工会被评为市级“模范职工之家”」."""
    items = []
    for row in f.named(rule):
        level = LEVEL_WORDING.get(row["level"], "")
        if "member_id" in row:
            who = [
                row["member__union__employer_name"],
                row["role"],
                _named(rule, row["member__name"], MEMBER_URL, row["member_id"]),
            ]
        else:
            who = [_named(rule, row["union__name"], UNION_URL, row["union_id"])]
        verb = "被评为" if rule == "home_ratings_named" else "获"
        items.append([*who, verb, level, _honour_title(row)])
    return [lead, joined(items, "，")] if items else []


# --- 六、联合会自身建设 ---------------------------------------------------------------------------


def _titles(f: Facts, rule: str, total: int) -> list:
    """「，包括“A”、“B”等」: the titles a rule named, 「等」 when there are more than it names."""
    rows = f.named(rule)
    if not rows:
        return []
    # No 顿号 between titles in quotation marks (GB/T 15834).
    titles = joined([_quoted(rule, row["title"], ACTIVITY_URL, row["pk"]) for row in rows], "")
    return ["，包括", titles, "等" if total > len(rows) else ""]


def own_work(f: Facts) -> list[Paragraph]:
    """Cadre training, 调查研究 and the unions' elections, each a thread (「一是…二是…三是…」), with the
    records the highlight rules name."""
    rows = {row["keys"][0]: row for row in f.rows("activities_by_category")}
    items = []
    training = rows.get("cadre_training")
    if training and training["count"]:
        item = [
            "加强工会干部队伍建设，举办工会干部培训",
            f.row_fig("activities_by_category", training, "count"),
            "期",
        ]
        if training["participants"]:
            item += ["，参训", f.row_fig("activities_by_category", training, "participants"), "人次"]
        items.append([*item, _titles(f, "cadre_trainings_named", training["count"])])
    research = rows.get("research")
    if research and research["count"]:
        item = [
            "深入开展调查研究，全年开展调研",
            f.row_fig("activities_by_category", research, "count"),
            "次",
        ]
        items.append([*item, _titles(f, "research_named", research["count"])])
    if f.now("unions_elected"):
        item = ["指导基层工会按期换届，全年有", f.fig("unions_elected"), "个基层工会完成换届选举"]
        elected = f.named("elections_named")
        if elected:
            names = joined(
                [_named("elections_named", row["union__name"], UNION_URL, row["union_id"]) for row in elected]
            )
            item += ["，包括", names, "等" if f.now("unions_elected") > len(elected) else ""]
        items.append(item)
    if not items:
        return []
    return [para("在联合会自身建设方面，", threads(items), "。")]


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
    return shortcomings(f, items)


def shortcomings(f: Facts, items: list[list]) -> list[Paragraph]:
    """存在问题 from the items the figures show, with the cases not reviewed for a year last — a
    federation's and a union's alike; the modest sentence when there is none."""
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
