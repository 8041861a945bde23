"""Demo inputs of the statistical return (基层工会调查表) on each UnionYear: 职代会 delegates where the
union has a 职代会, boards in the company forms that have them, 工会经费 拨缴 and 会费 收缴.

Drawn from a generator of their own (seeded by the union, the year and the plan's shares), so that
adding them changed none of the other demo figures a seed gives."""

from __future__ import annotations

import random
from decimal import Decimal

from unions.choices import EmployerNature
from unions.models import GrassrootsUnion

# Company forms with a board of directors and a supervisory board (公司法).
BOARD_NATURES = frozenset(
    {
        EmployerNature.STATE_SOLE_LLC,
        EmployerNature.OTHER_LLC,
        EmployerNature.STATE_CONTROLLED,
        EmployerNature.OTHER_JOINT_STOCK,
        EmployerNature.HMT_INVESTED,
        EmployerNature.FOREIGN_INVESTED,
        EmployerNature.STATE_OWNED,
    }
)


def _women(rng: random.Random, people: int, share: float) -> int:
    return min(people, max(0, round(people * rng.uniform(share - 0.1, share + 0.1))))


def survey_inputs(
    union: GrassrootsUnion, year: int, employees: int, members: int, women_share: float
) -> dict:
    """The survey inputs of `union` for `year`, within the rules of UnionYear.survey_errors."""
    rng = random.Random(f"survey-{union.pk}-{year}-{women_share}")
    values: dict = {}
    if union.has_workers_congress and employees >= 10:
        delegates = min(employees, max(5, round(employees * rng.uniform(0.05, 0.2))))
        values["congress_delegates"] = delegates
        values["congress_delegates_women"] = _women(rng, delegates, women_share)
    if union.employer_nature in BOARD_NATURES:
        values["has_board"] = has_board = employees >= 30 and rng.random() < 0.8
        values["has_supervisory_board"] = has_supervisors = has_board and rng.random() < 0.8
        directors = rng.randint(1, 2) if has_board else 0
        supervisors = rng.randint(1, 2) if has_supervisors else 0
        values.update(
            worker_directors=directors,
            worker_directors_women=_women(rng, directors, women_share),
            worker_supervisors=supervisors,
            worker_supervisors_women=_women(rng, supervisors, women_share),
        )
    # 2 % of a payroll of 4,000 – 9,000 元 a month per employee; 会费 0.5 % of a member's wage.
    wage = Decimal(rng.randint(4000, 9000))
    values["funds_remitted"] = (employees * wage * 12 * Decimal("0.02")).quantize(Decimal("0.01"))
    values["dues_collected"] = (members * wage * 12 * Decimal("0.005")).quantize(Decimal("0.01"))
    return values
