"""The logic checks (逻辑检查) the survey's offline tool runs, run on the return before it is written:

- 错误 (must be put right before the return is sent): a part above its total (women above all, 其中 above
  the row it belongs to), a union's members above its employees, 职代会 delegates above employees, worker
  directors or supervisors without a board, the groups of unions not adding up to 基层工会数,
  联合工会涵盖单位数 below 联合工会数;
- 核实 (to be checked and explained): a figure that changed on last year's by more than JUMP_PERCENT %;
- 缺报: a union active on 30 September without its yearly figures of the year.

Each problem names the union (or federation) and links to the record that breaks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.statistics.figures import ENTERPRISE_ROWS, Figures, Line
from reports.statistics.rows import BY_KEY, INPUT, ROWS, ReturnRow

ERROR, VERIFY, MISSING = "error", "verify", "missing"
SEVERITY_LABELS = {ERROR: gettext_lazy("错误"), VERIFY: gettext_lazy("核实"), MISSING: gettext_lazy("缺报")}

# A change on last year's figure above this share is flagged, when last year's figure is at least
# JUMP_MIN_BASE (a union of 5 members growing to 8 is not news).
JUMP_PERCENT = 30
JUMP_MIN_BASE = 10
GROUP_ROWS = ("enterprise", "institution", "organ", "individual", "social", "other")
# The union figures whose jump on last year is checked union by union.
UNION_JUMP_ROWS = ("members", "employees")


@dataclass(frozen=True)
class Problem:
    severity: str
    rule: str
    subject: str  # the union's or federation's name
    message: str
    url: str = ""

    @property
    def severity_label(self) -> str:
        return str(SEVERITY_LABELS[self.severity])


def full_label(row: ReturnRow) -> str:
    """A row's label with its total's in front where it reads 其中… (其中：女性 → 职工董事人数其中：女性)."""
    label = str(row.label)
    if row.part_of and label.startswith("其中"):
        return str(BY_KEY[row.part_of].label) + label
    return label


def shown(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return f"{value:,}"


def _union_url(line: Line) -> str:
    return reverse("unions:detail", args=[line.union_id])


def _union_year_url(line: Line) -> str:
    if line.union_year_id:
        return reverse("unions:year-edit", args=[line.union_id, line.union_year_id])
    return reverse("unions:year-create", args=[line.union_id])


def _members_url(line: Line) -> str:
    return f"{reverse('members:list')}?union={line.union_id}"


def _federation_url(line: Line) -> str:
    return reverse("federations:detail", args=[line.federation_id])


def _row_url(row: ReturnRow, line: Line) -> str:
    """Where the figure of `row` for a union is kept: its yearly figures, its members, its record."""
    if row.source == INPUT:
        return _union_year_url(line)
    if row.key in ("members", "women_members", "migrant_members", "joint_members"):
        return _members_url(line)
    return _union_url(line)


def parts_within_totals(line: Line, url) -> list[Problem]:
    problems = []
    for row in ROWS:
        if not row.part_of:
            continue
        part, total = line.get(row.key), line.get(row.part_of)
        if part is None or total is None or part <= total:
            continue
        problems.append(
            Problem(
                ERROR,
                _("分项不超过合计"),
                line.name,
                _("%(part)s（%(p)s）超过了%(total)s（%(t)s）。")
                % {
                    "part": full_label(row),
                    "p": shown(part),
                    "total": full_label(BY_KEY[row.part_of]),
                    "t": shown(total),
                },
                url(row, line),
            )
        )
    return problems


def union_problems(line: Line) -> list[Problem]:
    problems = parts_within_totals(line, _row_url)
    members, employees = line.get("members"), line.get("employees")
    if employees is None:
        problems.append(
            Problem(
                MISSING,
                _("年度职工情况"),
                line.name,
                _("未填写本年度职工情况（职工人数）。"),
                _union_year_url(line),
            )
        )
    elif members > employees:
        problems.append(
            Problem(
                ERROR,
                _("会员数不超过职工人数"),
                line.name,
                _("工会会员数（%(m)s）超过了职工人数（%(e)s）。")
                % {"m": shown(members), "e": shown(employees)},
                _members_url(line),
            )
        )
    delegates = line.get("congress_delegates")
    if delegates is not None and employees is not None and delegates > employees:
        problems.append(
            Problem(
                ERROR,
                _("职代会代表不超过职工人数"),
                line.name,
                _("职代会职工代表人数（%(d)s）超过了职工人数（%(e)s）。")
                % {"d": shown(delegates), "e": shown(employees)},
                _union_year_url(line),
            )
        )
    for people, units, message in (
        ("worker_directors", "board_units", _("有职工董事（%(n)s人）但未建立董事会。")),
        ("worker_supervisors", "supervisory_board_units", _("有职工监事（%(n)s人）但未建立监事会。")),
    ):
        if line.get(people) and line.get(units) != 1:
            problems.append(
                Problem(
                    ERROR,
                    _("董事会、监事会"),
                    line.name,
                    message % {"n": shown(line.get(people))},
                    _union_year_url(line),
                )
            )
    return problems


def federation_problems(line: Line) -> list[Problem]:
    """What only a sum shows: the groups add up, 联合工会涵盖单位数 ≥ 联合工会数."""
    problems = []
    url = _federation_url(line)
    groups = sum(line.get(key) or 0 for key in GROUP_ROWS)
    enterprises = sum(line.get(key) or 0 for key in ENTERPRISE_ROWS)
    if groups != line.get("unions") or enterprises != line.get("enterprise"):
        problems.append(
            Problem(
                ERROR,
                _("分组合计"),
                line.name,
                _("按单位性质分组的基层工会数（%(g)s）与基层工会数（%(u)s）不符。")
                % {"g": shown(groups), "u": shown(line.get("unions"))},
                url,
            )
        )
    joint, covered = line.get("joint_unions"), line.get("joint_covered_employers")
    if covered < joint:
        problems.append(
            Problem(
                ERROR,
                _("联合工会涵盖单位数"),
                line.name,
                _("联合工会涵盖单位数（%(c)s）少于联合工会数（%(j)s）。")
                % {"c": shown(covered), "j": shown(joint)},
                url,
            )
        )
    return problems


def jump(now, before) -> int | None:
    """The change on last year in whole %, when it is over the threshold; else None."""
    if now is None or before is None or before < JUMP_MIN_BASE:
        return None
    change = (Decimal(now) - Decimal(before)) * 100 / Decimal(before)
    return int(change.to_integral_value()) if abs(change) > JUMP_PERCENT else None


def jump_problem(row: ReturnRow, subject: str, now, before, url: str) -> Problem | None:
    change = jump(now, before)
    if change is None:
        return None
    return Problem(
        VERIFY,
        _("与上年比变动过大"),
        subject,
        _("%(label)s%(now)s，上年%(before)s，变动%(change)+d%%，请核实。")
        % {"label": full_label(row), "now": shown(now), "before": shown(before), "change": change},
        url,
    )


def run_checks(figures: Figures, previous: Figures | None) -> list[Problem]:
    """Every problem of the return: errors first, then the figures to verify, then what is missing."""
    problems: list[Problem] = []
    for line in figures.unions:
        problems += union_problems(line)
    for line in figures.federations:
        problems += federation_problems(line)
    # The sums of parts stay within the sums of totals when every union's do; the total is checked
    # anyway, as the survey's tool does.
    problems += parts_within_totals(figures.total, lambda row, line: _federation_url(line))
    if previous is not None:
        before = {line.union_id: line for line in previous.unions}
        for line in figures.unions:
            last = before.get(line.union_id)
            if last is None:
                continue
            for key in UNION_JUMP_ROWS:
                found = jump_problem(
                    BY_KEY[key], line.name, line.get(key), last.get(key), _row_url(BY_KEY[key], line)
                )
                if found:
                    problems.append(found)
        for row in ROWS:
            found = jump_problem(
                row,
                figures.total.name,
                figures.total.get(row.key),
                previous.total.get(row.key),
                _federation_url(figures.total),
            )
            if found:
                problems.append(found)
    order = {ERROR: 0, VERIFY: 1, MISSING: 2}
    return sorted(problems, key=lambda p: order[p.severity])
