"""The statistical return's figures: one line per grassroots union active on 30 September, one per
federation of the subtree (its own unions and every federation's below it), and the total.

Every set of records is the indicator catalogue's (reports.indicators.records) taken over a
StatisticalYear instead of a calendar Period, and the member counts are the catalogue's own aggregates
(reports.indicators.catalogue.BY_KEY) grouped by union — the rules are written once, there. The whole
return costs a fixed number of queries, whatever the number of unions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from federation.models import Federation
from federation.scope import Scope, StatisticalYear
from reports.indicators import records
from reports.indicators.catalogue import BY_KEY as INDICATORS
from reports.statistics.rows import FEDERATION_INPUT, INPUT, RECORDS, ROWS
from unions.choices import STATISTICAL_GROUP_OF_NATURE, EmployerNature, StatisticalGroup, UnionType

# The survey's groups of 单位性质. They follow the 工会统计年报 groups of unions.choices, but the survey
# lists 个体经济组织 on its own row, apart from the enterprises.
GROUP_ROW = {
    StatisticalGroup.ENTERPRISE_DOMESTIC: "enterprise_domestic",
    StatisticalGroup.ENTERPRISE_HMT: "enterprise_hmt",
    StatisticalGroup.ENTERPRISE_FOREIGN: "enterprise_foreign",
    StatisticalGroup.INSTITUTION: "institution",
    StatisticalGroup.ORGAN: "organ",
    StatisticalGroup.SOCIAL_ORGANISATION: "social",
    StatisticalGroup.COMMUNITY: "other",
}
ENTERPRISE_ROWS = frozenset({"enterprise_domestic", "enterprise_hmt", "enterprise_foreign"})

UNION_FIELDS = (
    "pk",
    "name",
    "federation_id",
    "federation__path",
    "employer_nature",
    "union_type",
    "covered_employers",
    "full_time_staff",
    "part_time_staff",
    "full_time_chair",
    "has_workers_congress",
    "has_open_affairs",
    "has_women_committee",
    "has_audit_committee",
    "has_mediation_committee",
    "has_labour_supervision",
)
FLAG_ROWS = {
    "full_time_chairs": "full_time_chair",
    "workers_congress_units": "has_workers_congress",
    "open_affairs_units": "has_open_affairs",
    "women_committee_units": "has_women_committee",
    "audit_committee_units": "has_audit_committee",
    "mediation_units": "has_mediation_committee",
    "labour_supervision_units": "has_labour_supervision",
}
# Inputs of UnionYear read as they are (blank: None).
INPUT_FIELDS = (
    "employees",
    "women_employees",
    "migrant_employees",
    "congress_delegates",
    "congress_delegates_women",
    "worker_directors",
    "worker_directors_women",
    "worker_supervisors",
    "worker_supervisors_women",
    "funds_remitted",
    "dues_collected",
)
INPUT_ROWS = frozenset(row.key for row in ROWS if row.source == INPUT)
FEDERATION_INPUT_ROWS = frozenset(row.key for row in ROWS if row.source == FEDERATION_INPUT)


def return_group(employer_nature: str) -> str:
    """The row of the survey's group of a union of this 单位性质."""
    if employer_nature == EmployerNature.INDIVIDUAL_BUSINESS:
        return "individual"
    return GROUP_ROW[STATISTICAL_GROUP_OF_NATURE.get(employer_nature, StatisticalGroup.COMMUNITY)]


@dataclass
class Line:
    """The figures of one union, or summed over a federation's subtree. `values` holds every row's
    figure (None: an input nobody filled); `filled` how many unions (federations, for a federation's
    input) filled each input row, and `of` out of how many."""

    name: str
    values: dict[str, int | Decimal | None]
    filled: dict[str, int] = field(default_factory=dict)
    of: int = 1
    union_id: int | None = None
    union_year_id: int | None = None
    federation_id: int | None = None
    depth: int = 0

    def get(self, key: str):
        return self.values.get(key)


@dataclass
class Figures:
    """The return of one statistical year: every union, every federation, the total."""

    period: StatisticalYear
    unions: list[Line]
    federations: list[Line]
    total: Line


def _union_values(
    union: dict, year: dict | None, stock: dict, new: int, covered: bool, elected: bool
) -> dict:
    values: dict[str, int | Decimal | None] = {row.key: 0 for row in ROWS if row.source != FEDERATION_INPUT}
    values["unions"] = 1
    group = return_group(union["employer_nature"])
    values[group] = 1
    values["enterprise"] = 1 if group in ENTERPRISE_ROWS else 0
    joint = union["union_type"] == UnionType.JOINT
    values["joint_unions"] = int(joint)
    values["joint_covered_employers"] = union["covered_employers"] if joint else 0
    values["employers_covered"] = union["covered_employers"]
    values["members"] = stock.get("members", 0)
    values["women_members"] = stock.get("women_members", 0)
    values["migrant_members"] = stock.get("migrant_members", 0)
    values["joint_members"] = values["members"] if joint else 0
    values["new_members"] = new
    values["full_time_staff"] = union["full_time_staff"]
    values["part_time_staff"] = union["part_time_staff"]
    for key, flag in FLAG_ROWS.items():
        values[key] = int(bool(union[flag]))
    values["elected_units"] = int(elected)
    values["contract_covered_units"] = int(covered)
    for key in INPUT_FIELDS:
        values[key] = year.get(key) if year else None
    for key, flag in (("board_units", "has_board"), ("supervisory_board_units", "has_supervisory_board")):
        answer = year.get(flag) if year else None
        values[key] = None if answer is None else int(answer)
    return values


def _add(into: Line, values: dict, keys) -> None:
    for key in keys:
        value = values.get(key)
        if value is None:
            continue
        into.values[key] = (into.values.get(key) or 0) + value
        into.filled[key] = into.filled.get(key, 0) + 1


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def compute_figures(federation: Federation, period: StatisticalYear) -> Figures:
    """The return's lines for `federation` with every federation below it, for the statistical year."""
    scope = Scope(federation)
    unions = list(
        records.unions_active_at_end(scope, period)
        .order_by("federation__path", "name", "pk")
        .values(*UNION_FIELDS)
    )
    years = {
        y["union_id"]: y
        for y in records.union_years_of_active_unions(scope, period).values(
            "pk", "union_id", *INPUT_FIELDS, "has_board", "has_supervisory_board"
        )
    }
    stock_keys = ("members", "women_members", "migrant_members")
    stock = {
        row["union"]: row
        for row in records.membership_changes_to_end(scope, period)
        .values("union")
        .order_by()
        .annotate(**{key: INDICATORS[key].aggregate_for(scope) for key in stock_keys})
    }
    new = {
        row["union"]: row["new"]
        for row in records.membership_changes_in(scope, period)
        .values("union")
        .order_by()
        .annotate(new=INDICATORS["new_members"].aggregate_for(scope))
    }
    covered = set(records.covered_unions_at_end(scope, period).values_list("pk", flat=True))
    elected = set(records.elections_in(scope, period).values_list("union_id", flat=True))
    federation_years = {
        y["federation_id"]: y
        for y in records.federation_years(scope, period).values(
            "federation_id", "own_full_time_staff", "own_part_time_staff"
        )
    }
    federations = list(
        Federation.objects.filter(scope.federation_q("self")).order_by("path").values("pk", "name", "path")
    )

    root_depth = len(_path_ids(federation.path))
    by_federation: dict[int, Line] = {}
    for row in federations:
        by_federation[row["pk"]] = Line(
            name=row["name"],
            values={r.key: None if r.source != RECORDS else 0 for r in ROWS},
            of=0,
            federation_id=row["pk"],
            depth=len(_path_ids(row["path"])) - root_depth,
        )
    all_keys = [r.key for r in ROWS if r.source != FEDERATION_INPUT]
    record_keys = [r.key for r in ROWS if r.source == RECORDS]
    union_lines = []
    for union in unions:
        year = years.get(union["pk"])
        values = _union_values(
            union,
            year,
            stock.get(union["pk"], {}),
            new.get(union["pk"], 0),
            union["pk"] in covered,
            union["pk"] in elected,
        )
        line = Line(
            name=union["name"],
            values=values,
            filled={key: int(values[key] is not None) for key in INPUT_ROWS},
            union_id=union["pk"],
            union_year_id=year["pk"] if year else None,
            federation_id=union["federation_id"],
        )
        union_lines.append(line)
        for federation_id in _path_ids(union["federation__path"]):
            above = by_federation.get(federation_id)
            if above is not None:
                above.of += 1
                _add(above, values, all_keys)
    # Record rows are counts: a federation without unions has 0 of them, already there; `filled` of a
    # record row means nothing and is dropped.
    for line in by_federation.values():
        for key in record_keys:
            line.filled.pop(key, None)
    for row in federations:
        own = federation_years.get(row["pk"])
        if not own:
            continue
        for federation_id in _path_ids(row["path"]):
            above = by_federation.get(federation_id)
            if above is not None:
                _add(above, own, FEDERATION_INPUT_ROWS)
    federation_lines = [by_federation[row["pk"]] for row in federations]
    total = by_federation[federation.pk]
    return Figures(period=period, unions=union_lines, federations=federation_lines, total=total)
