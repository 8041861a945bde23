"""入会申请 for the demo: a join link of the demo cadre's union (so that 入会二维码 prints a poster) and
a few applications waiting on the 工作台 — one of them from a person who is already a live member of
another union, and one sent twice — written through members.services.applications, as a phone
would send them."""

from __future__ import annotations

import datetime as dt
import random

from federation.demo.names import mobile, person_name
from federation.identifiers import make_resident_id
from federation.models import User
from members.choices import LIVE_STATUSES, Education, PoliticalStatus
from members.models import Member
from members.services.applications import join_application_submit, join_link_create

JOBS = ("操作工", "仓库管理员", "质检员", "电工", "焊工", "销售代表", "会计")
PENDING = 4


def build_join_applications(rng: random.Random, cadre: User) -> tuple[int, int]:
    """(links, applications) written for the union `cadre` keeps."""
    union = cadre.union
    link = join_link_create(union=union, by=cadre, note="职工食堂门口")
    area = (
        Member.objects.filter(union=union).order_by("pk").values_list("id_number", flat=True).first()
        or "320102"
    )[:6]
    sent = []
    for n in range(PENDING):
        gender = rng.choice("MF")
        born = dt.date(rng.randrange(1975, 2004), rng.randrange(1, 13), rng.randrange(1, 29))
        sent.append(
            {
                "name": person_name(rng, gender, born.year),
                "id_number": make_resident_id(area, born, 900 + 2 * n + (gender == "M"), gender),
                "education": rng.choice([e.value for e in Education]),
                "political_status": rng.choice([PoliticalStatus.MASSES, PoliticalStatus.CYL_MEMBER]),
                "mobile": mobile(rng),
                "employer": union.employer_name,
                "job": rng.choice(JOBS),
                "is_migrant_worker": rng.random() < 0.4,
            }
        )
    elsewhere = (
        Member.objects.filter(status__in=LIVE_STATUSES, id_type="resident_id", id_number_valid=True)
        .exclude(union=union)
        .order_by("pk")
        .first()
    )
    if elsewhere is not None:  # 已是其他工会的在册会员: the review finds it, the applicant is not told
        sent[1] |= {"name": elsewhere.name, "id_number": elsewhere.id_number}
    sent.append(dict(sent[0]))  # 同一身份证号另有待审核申请
    for answers in sent:
        join_application_submit(link=link, consented=True, **answers)
    return 1, len(sent)
