"""The union statistical return (全国工会统计年报, 基层工会调查表) filled from the records: its rows
(`rows`), their figures per union and per federation (`figures`), the survey's logic checks (`checks`),
and the workbook laid out like the survey's tables (`workbook`)."""

from __future__ import annotations

from dataclasses import dataclass

from federation.models import Federation
from federation.scope import StatisticalYear
from reports.statistics.checks import ERROR, Problem, run_checks
from reports.statistics.figures import Figures, compute_figures


@dataclass
class StatisticalReturn:
    federation: Federation
    period: StatisticalYear
    figures: Figures
    previous: Figures
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


def build_return(federation: Federation, year: int) -> StatisticalReturn:
    """The return of `federation` (and every federation below it) for the statistical year `year`,
    with last year's figures beside it and the logic checks run."""
    period = StatisticalYear(year)
    figures = compute_figures(federation, period)
    previous = compute_figures(federation, period.previous())
    return StatisticalReturn(federation, period, figures, previous, run_checks(figures, previous))


__all__ = ["StatisticalReturn", "build_return"]
