"""Activities (活动) of federations and unions in every category, in the season each belongs to:
送温暖 before the Spring Festival, 夏送清凉 in the heat, 金秋助学 in August and September, 女职工 around
8 March, 读书 around 23 April, 普法 around 4 December, 安康杯 through the summer."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import NamedTuple

from federation.demo.tiers import (
    SPRING_FESTIVAL,
    Calendar,
    Weighted,
    add_days,
    day_between,
    share,
    weights,
    write,
)
from federation.demo.tree import FederationPlan
from unions.activities.models import Activity
from unions.demo.unions import UnionPlan

C = Activity.Category
UNION_MIX = weights(
    "culture_sports 22 warmth 9 skill_training 11 legal_education 6 labour_contest 9 ankang_cup 7 women 9 "
    "reading 6 summer_cool 7 autumn_school 2 model_selection 2 research 2 cadre_training 3 other 5"
)
FEDERATION_MIX = weights(
    "warmth 14 autumn_school 10 cadre_training 12 research 9 model_selection 8 legal_education 10 "
    "culture_sports 10 labour_contest 6 ankang_cup 5 summer_cool 7 women 5 reading 2 skill_training 2"
)


class Spec(NamedTuple):
    titles: tuple[str, ...]
    season: tuple[int, int, int, int] | None  # (first month, day, last month, day); None: before 春节
    days: tuple[int, int]  # how long it lasts, shortest and longest
    per_100: int  # participants per 100 members of the organiser
    per_head: int  # spending per participant, 元


SPORTS = ("篮球", "乒乓球", "羽毛球", "拔河", "趣味运动会", "健步走", "象棋", "登山")
TRADES = ("电工", "焊工", "叉车司机", "钳工", "数控车工", "育婴员", "中式烹调师", "快递员")
THEMES = ("比学赶超", "五比一创", "质量提升", "节能降耗", "安全生产百日", "创新创效")
TOPICS = ("新就业形态劳动者入会情况", "非公企业工会规范化建设", "职工收入和劳动关系状况", "困难职工帮扶工作")
SPEC = {
    C.WARMTH: Spec(("{y}年“两节”送温暖走访慰问", "春节前走访慰问困难职工和一线职工"), None, (1, 10), 30, 120),
    C.SUMMER_COOL: Spec(
        ("“夏送清凉”高温慰问一线职工", "{y}年夏季防暑降温慰问"), (6, 20, 8, 20), (1, 30), 40, 35
    ),
    C.AUTUMN_SCHOOL: Spec(("{y}年“金秋助学”助学金发放", "“金秋助学”圆梦行动"), (8, 5, 9, 25), (1, 5), 5, 600),
    C.LABOUR_CONTEST: Spec(
        ("“{theme}”劳动竞赛", "{y}年度“{theme}”立功竞赛"), (3, 1, 6, 30), (60, 180), 60, 40
    ),
    C.ANKANG_CUP: Spec(
        ("{y}年度“安康杯”竞赛", "“安康杯”安全知识竞赛", "“安全生产月”应急演练"),
        (5, 15, 7, 31),
        (1, 120),
        50,
        25,
    ),
    C.SKILL_TRAINING: Spec(
        ("职工{trade}技能培训班", "第{n}届职工技能大赛（{trade}）"), (3, 1, 11, 30), (1, 15), 25, 150
    ),
    C.CULTURE_SPORTS: Spec(
        ("职工{sport}比赛", "迎新春职工文艺汇演", "庆“五一”职工{sport}比赛", "迎国庆职工{sport}友谊赛"),
        (3, 10, 10, 30),
        (1, 3),
        45,
        45,
    ),
    C.LEGAL_EDUCATION: Spec(
        ("“尊法学法守法用法”普法宣传进企业", "《劳动合同法》《工会法》宣传咨询", "“12·4”国家宪法日普法宣传"),
        (11, 25, 12, 10),
        (1, 3),
        40,
        10,
    ),
    C.READING: Spec(
        ("“世界读书日”职工读书分享会", "“书香职工”读书征文", "职工书屋图书更新和阅读推广"),
        (4, 10, 5, 10),
        (1, 30),
        20,
        30,
    ),
    C.MODEL_SELECTION: Spec(
        ("{y}年度劳动模范和先进工作者推荐评选", "“最美职工”评选表彰"), (3, 1, 4, 25), (10, 45), 10, 60
    ),
    C.WOMEN: Spec(
        ("庆“三八”女职工{sport}活动", "女职工“两癌”免费筛查", "女职工权益保护专题讲座"),
        (3, 1, 3, 15),
        (1, 5),
        30,
        80,
    ),
    C.RESEARCH: Spec(("{topic}专题调研",), (4, 1, 10, 31), (10, 60), 2, 20),
    C.CADRE_TRAINING: Spec(
        ("基层工会主席培训班", "工会财务和经审干部培训", "新当选工会主席岗位培训"),
        (4, 1, 11, 15),
        (1, 3),
        5,
        200,
    ),
    C.OTHER: Spec(
        ("职工心理健康讲座", "户外劳动者驿站揭牌", "职工无偿献血", "青年职工联谊交友活动"),
        (3, 1, 11, 30),
        (1, 2),
        20,
        50,
    ),
}


class ActivityBuilder:
    def __init__(self, rng: random.Random, cal: Calendar):
        self.rng, self.cal = rng, cal
        self.rows: list[Activity] = []
        self.forced = list(C.values)

    def activity(
        self,
        year: int,
        mix: Weighted,
        *,
        members: int,
        place: str,
        federation=None,
        union=None,
        earliest: dt.date | None = None,
    ):
        rng, today = self.rng, self.cal.today
        category = self.forced.pop(0) if self.forced else mix(rng)
        titles, season, (short, long), per_100, per_head = SPEC[category]
        if season is None:  # before the Spring Festival
            festival = SPRING_FESTIVAL[year]
            starts = add_days(festival, -rng.randint(5, 25))
        else:
            m1, d1, m2, d2 = season
            starts = day_between(rng, dt.date(year, m1, d1), dt.date(year, m2, d2))
        if starts > today:
            starts = day_between(rng, dt.date(year, 1, 5), add_days(today, -1))
        if earliest and starts < earliest:  # a union founded during the year
            starts = day_between(rng, earliest, min(self.cal.year_end(year), add_days(today, -1)))
        ends = add_days(starts, rng.randint(short, long) - 1)
        participants = max(5, int(members * per_100 / 100 * rng.uniform(0.5, 1.5)))
        beneficiaries = (
            participants
            if category not in (C.WARMTH, C.AUTUMN_SCHOOL, C.SUMMER_COOL)
            else max(1, int(participants * rng.uniform(0.8, 1.0)))
        )
        if category in (C.RESEARCH, C.CADRE_TRAINING, C.MODEL_SELECTION):
            participants = min(participants, rng.randint(8, 120))
            beneficiaries = rng.randint(0, participants)
        title = rng.choice(titles).format(
            y=year,
            theme=rng.choice(THEMES),
            trade=rng.choice(TRADES),
            sport=rng.choice(SPORTS),
            topic=rng.choice(TOPICS),
            n=rng.randint(2, 12),
        )
        spending = Decimal(int(participants * per_head * rng.uniform(0.6, 1.4)) // 10 * 10).quantize(
            Decimal("0.01")
        )
        self.rows.append(
            Activity(
                federation_id=federation.pk if federation else None,
                union_id=union.pk if union else None,
                title=title,
                category=category,
                starts_on=starts,
                ends_on=ends if ends > starts else None,
                place=place,
                participants=participants,
                beneficiaries=beneficiaries,
                spending=spending,
                summary=f"{title}，参与{participants}人次，受益{beneficiaries}人，支出经费{int(spending)}元。",
            )
        )


def build_activities(
    rng: random.Random, cal: Calendar, feds: list[FederationPlan], unions: list[UnionPlan], target: int
) -> int:
    builder = ActivityBuilder(rng, cal)
    years = list(cal.years)
    # The current year is not over: it gets its share up to today.
    year_weights = [min(1.0, (cal.year_end(y) - dt.date(y, 1, 1)).days / 364) for y in years]
    by_year = share(target, year_weights)
    for year, count in zip(years, by_year, strict=True):
        feds_count = round(count * 0.2)
        fed_weights = [len(f.unions) + 3 for f in feds]
        for fed, n in zip(feds, share(feds_count, fed_weights), strict=True):
            members = sum(u.size for u in fed.unions) or 200
            for _ in range(n):
                builder.activity(year, FEDERATION_MIX, members=members, place=fed.obj.address, federation=fed)
        day = cal.year_end(year)
        live = [u for u in unions if u.exists_on(day)]
        union_weights = [u.size**0.7 for u in live]
        for union, n in zip(live, share(count - feds_count, union_weights), strict=True):
            for _ in range(n):
                builder.activity(
                    year,
                    UNION_MIX,
                    members=union.size,
                    place=union.obj.address,
                    union=union,
                    earliest=union.obj.established_on,
                )
    write(Activity, builder.rows)
    return len(builder.rows)
