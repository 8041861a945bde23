"""Material for a federation's summary from its unions' own (issue 15): the passages the grassroots
unions in the federation's subtree wrote in their finalised summaries of the same year and period,
which staff quote into a section of the federation's text (static/js/summary_quotes.js) — with the
union named — instead of retyping them.

Only versions in force (finalised, not reopened) and only the text their cadres wrote: the generated
sentences are figures the federation's own catalogue already counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from federation import scoping
from federation.models import Federation, User
from federation.scope import Scope
from reports import subjects
from reports.models import SummaryDraft, SummaryVersion
from reports.summary.figures import text_paragraphs

# The union texts offered, in the order of the union's form, and the federation's field each goes to
# by default (the same section; the union's 荣誉 to 评先评优).
QUOTED_FIELDS = [name for name in SummaryDraft.NARRATIVE_FIELDS if name != "own_work_text"]
UNIONS_SHOWN = 20  # the newest finalised union summaries offered at once; a name search finds others


@dataclass(frozen=True)
class Passage:
    field: str  # the union's field it comes from, and the federation's field it goes to by default
    text: str


@dataclass(frozen=True)
class UnionMaterial:
    union_name: str
    version: SummaryVersion
    url: str
    passages: list[Passage]


def union_material(
    user: User, federation: Federation, year: int, kind: str, query: str = ""
) -> tuple[list[UnionMaterial], int]:
    """The finalised summaries of the subtree's unions for the year and period that have text of their
    own (newest first, at most UNIONS_SHOWN; `query` narrows by the union's name), and how many such
    summaries there are in all. Two queries."""
    versions = scoping.visible(user, SummaryVersion).filter(
        Scope(federation).union_q("union"),
        union__isnull=False,
        year=year,
        period=kind,
        reopened_at__isnull=True,
    )
    if query:
        versions = versions.filter(union__name__contains=query)
    total = versions.count()
    material = []
    for version in versions.select_related("union").order_by("-created_at", "-pk")[:UNIONS_SHOWN]:
        narrative = version.narrative or {}
        passages = [
            Passage(name, paragraph.text)
            for name in QUOTED_FIELDS
            for paragraph in text_paragraphs(narrative.get(name) or "")
        ]
        if passages:
            union = version.union
            assert union is not None
            material.append(
                UnionMaterial(
                    union.name, version, subjects.url("reports:summary", union, year, kind), passages
                )
            )
    return material, total
