"""Numbers as the annual summary prints them, and the parts its paragraphs are made of.

Figures carry their units and thousands separators; money follows federation.numbers (万元 from ten
thousand up, else 元, no trailing .00 in prose; one unit per sentence; bare numbers in table cells with
the unit in the header); rates have one decimal; the change on last year is in the unit, in percentage
points for a rate, in % for money — and empty when last year had nothing to compare with.

Every number in the text is a `Figure`: the HTML page links it to the records it counts (or, for a
rate, to its written definition); the PDF prints it as text. A paragraph is a list of parts (text,
Figure, Strong, Named).

Every 「其中」 that splits a total into parts is a `Composition` made by `composition()`: it lists every
part of its total, or says 「等」 and gives the rest as 「其他」, so the parts printed always add up to
the total printed. A paragraph keeps the compositions it was built from (`Paragraph.compositions`),
which is what tests/reports/test_summary_breakdowns.py checks on the demo ledgers. 「其中」 before a
subset that is not a split of the total (「会员…人，其中女会员…人、农民工会员…人」: overlapping
attributes of the same members) is no Composition: its parts are not meant to add up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.urls import reverse

from federation.numbers import (  # one money formatter for every page (re-exported here)
    WAN,
    YUAN,
    money_parts,
    sentence_unit,
)
from reports.indicators import BY_KEY
from reports.indicators.breakdowns import BREAKDOWN_BY_KEY
from reports.summary.dates import as_of_text, ordinal_in_chinese
from reports.summary.drilldown import is_drillable

logger = logging.getLogger(__name__)

INDICATOR = "indicator"
BREAKDOWN = "breakdown"
DEFINITION = "definition"

# --- The parts of a paragraph ----------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A number printed in the text, and what it counts.

    kind INDICATOR: an indicator with a record set (drill-down list); BREAKDOWN: one row of a
    breakdown, `group` naming the fields and values of that row; DEFINITION: a derived figure (a rate)
    or one without a record list — it links to its written definition.
    """

    text: str
    key: str
    kind: str = INDICATOR
    group: tuple[tuple[str, str], ...] = ()
    title: str = ""
    previous: bool = False

    @property
    def drill_path(self) -> str:
        """The part of the drill-down URL after …/drill/ (empty for a DEFINITION)."""
        if self.kind == INDICATOR:
            return f"{self.key}/"
        if self.kind == BREAKDOWN:
            query = urlencode([(name, value) for name, value in self.group])
            return f"by/{self.key}/" + (f"?{query}" if query else "")
        return ""


@dataclass(frozen=True)
class Strong:
    """The lead sentence of a numbered paragraph, printed bold."""

    text: str


@dataclass(frozen=True)
class Named:
    """A name taken from a record — an honoured member or union, an activity's title, a contract's
    enterprise — which the HTML page links to that record (`url_name` reversed with `pk`)."""

    text: str
    url_name: str
    pk: int
    title: str = ""  # the written rule that chose it (reports.indicators.highlights), as a tooltip

    @property
    def url(self) -> str:
        return reverse(self.url_name, args=[self.pk])


Part = str | Figure | Strong | Named


@dataclass(frozen=True)
class Share:
    """One part of a Composition: its value and how it reads (「退会」, Figure("24"), 「人」)."""

    label: str
    value: int | Decimal
    parts: tuple = ()


@dataclass
class Composition:
    """A total and the parts it is split into, as one sentence prints them: the named shares and,
    when they do not reach the total, the rest (`rest`, printed as 「其他」). Made by composition()."""

    key: str
    total: int | Decimal
    unit: str
    shares: list[Share]
    rest: int | Decimal = 0
    rest_label: str = "其他"
    etc: bool = False  # 「等」 after the last named share: some shares were folded into the rest
    sep: str = "、"

    @property
    def adds_up(self) -> bool:
        return sum(share.value for share in self.shares) + self.rest == self.total

    def rendered(self) -> list:
        items = [list(share.parts) for share in self.shares]
        body: list = joined(items, self.sep)
        if self.rest:
            rest = (
                money_text(self.rest, self.unit)
                if self.unit in (WAN, YUAN)
                else f"{count_text(self.rest)}{self.unit}"
            )
            lead = ("等，" if self.etc else self.sep) if body else ""
            body = [*body, lead, self.rest_label, rest]
        return body


def composition(
    key: str,
    total,
    shares: Iterable[Share],
    *,
    unit: str,
    limit: int | None = None,
    rest_label: str = "其他",
    sep: str = "、",
) -> Composition:
    """The one way a sentence splits a total into parts: the shares with a value (in the order given,
    at most `limit` of them — the rest folded into 「其他」 after 「等」), and whatever of the total the
    shares do not reach as 「其他」.

    Shares adding up to more than the total (records that contradict each other) give an empty
    composition — no shares, which every caller leaves out of its sentence — and a logged warning:
    the sentence says less, never something that does not add up."""
    total = total or 0
    shares = [share for share in shares if share.value]
    folded = limit is not None and len(shares) > limit
    if folded:
        shares = shares[:limit]
    rest = total - sum(share.value for share in shares)
    if rest < 0:
        logger.warning("summary: the parts of %s (%s) exceed its total (%s)", key, total - rest, total)
        return Composition(key, total, unit, [], 0, rest_label, sep=sep)
    return Composition(key, total, unit, shares, rest, rest_label, etc=folded, sep=sep)


@dataclass
class Paragraph:
    parts: list[Part] = field(default_factory=list)
    compositions: list[Composition] = field(default_factory=list)
    highlights: list[Named] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(part if isinstance(part, str) else part.text for part in self.parts)

    def __str__(self) -> str:
        return self.text


def para(*chunks) -> Paragraph:
    """A paragraph from strings, Figures, Strong leads, Named records, Compositions and (nested) lists
    of them; empty bits vanish. The paragraph keeps the Compositions and Named records it holds."""
    parts: list[Part] = []
    compositions: list[Composition] = []
    highlights: list[Named] = []

    def add(chunk) -> None:
        if chunk is None or chunk == "":
            return
        if isinstance(chunk, Composition):
            compositions.append(chunk)
            add(chunk.rendered())
            return
        if isinstance(chunk, Named):
            highlights.append(chunk)
        if isinstance(chunk, list | tuple):
            for item in chunk:
                add(item)
        elif isinstance(chunk, str) and parts and isinstance(parts[-1], str):
            parts[-1] += chunk
        else:
            parts.append(chunk)

    add(chunks)
    return Paragraph(parts, compositions, highlights)


def text_paragraphs(text: str) -> list[Paragraph]:
    """Staff narrative: each non-empty line is a paragraph."""
    return [Paragraph([line.strip()]) for line in (text or "").splitlines() if line.strip()]


def joined(items: Iterable, sep: str = "、") -> list:
    """Lists of parts joined by a separator."""
    out: list = []
    for item in items:
        if not item:
            continue
        if out:
            out.append(sep)
        out.append(item)
    return out


def numbered(items: list[list]) -> list[Paragraph]:
    """（一）…（二）…: one paragraph per item."""
    return [para(f"（{ordinal_in_chinese(i)}）", item) for i, item in enumerate(items, start=1)]


# --- Numbers as printed ----------------------------------------------------------------------------


def count_text(n) -> str:
    return f"{int(n):,}"


def rate_text(value: Decimal) -> str:
    return f"{Decimal(value):.1f}"


def money_text(amount, unit: str | None = None) -> str:
    number, unit = money_parts(amount, unit)
    return number + unit


# --- Year-on-year change ---------------------------------------------------------------------------


def count_change(current, previous, unit: str) -> str:
    """比上年增加3个 / 减少2个 / 与上年持平; nothing when last year had none."""
    if current is None or not previous:
        return ""
    diff = int(current) - int(previous)
    if diff > 0:
        return f"比上年增加{diff:,}{unit}"
    if diff < 0:
        return f"比上年减少{-diff:,}{unit}"
    return "与上年持平"


def rate_change(current, previous) -> str:
    """比上年提高1.6个百分点 / 下降 / 与上年持平."""
    if current is None or previous is None:
        return ""
    diff = Decimal(current) - Decimal(previous)
    if diff > 0:
        return f"比上年提高{diff:.1f}个百分点"
    if diff < 0:
        return f"比上年下降{-diff:.1f}个百分点"
    return "与上年持平"


def _growth_pct(current, previous) -> Decimal:
    return ((Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def money_change(current, previous) -> str:
    """比上年增长12.3% / 增长1.5倍 / 下降 / 与上年基本持平; nothing against an empty year, nor beyond
    tenfold (last year's records were then most likely incomplete: the comparison would mislead)."""
    if current is None or not previous or Decimal(current) > 10 * Decimal(previous):
        return ""
    pct = _growth_pct(current, previous)
    if pct >= 100:
        return f"比上年增长{pct / 100:.1f}倍"
    if pct > 0:
        return f"比上年增长{pct}%"
    if pct < 0:
        return f"比上年下降{-pct}%"
    return "与上年基本持平"


def change_text(indicator, current, previous) -> str:
    """The change of one indicator, by its unit: percentage points, %, or the unit itself."""
    if indicator.unit == "%":
        return rate_change(current, previous)
    if indicator.unit == "元":
        return money_change(current, previous)
    return count_change(current, previous, str(indicator.unit))


def appendix_change(indicator, current, previous) -> str:
    """The 增减 column of the appendix: +3 / −2 / 持平 / +1.6个百分点 / +12.3% / —."""
    if current is None or previous is None:
        return "—"
    if indicator.unit == "%":
        diff = Decimal(current) - Decimal(previous)
        return "持平" if diff == 0 else f"{diff:+.1f}个百分点".replace("-", "−")
    if indicator.unit == "元":
        if not previous:
            return "—"
        pct = _growth_pct(current, previous)
        return "持平" if pct == 0 else f"{pct:+}%".replace("-", "−")
    diff = Decimal(current) - Decimal(previous)
    if diff == 0:
        return "持平"
    return (f"{diff:+,}" if diff == diff.to_integral() else f"{diff:+,.1f}").replace("-", "−")


def value_text(indicator, value) -> str:
    """A value with its unit, for the appendix: 52个 / 92.4% / 128.6万元 / —."""
    if value is None:
        return "—"
    if indicator.unit == "%":
        return f"{rate_text(value)}%"
    if indicator.unit == "元":
        return money_text(value)
    return f"{count_text(value)}{indicator.unit}"


# --- Facts: figures of the catalogue as parts of sentences -----------------------------------------


class Facts:
    """The catalogue seen by the writer: values of this year and last, as Figures."""

    def __init__(self, catalogue):
        self.catalogue = catalogue
        self.year = catalogue.year
        # The catalogue's own indicators (a union's read their definitions of one union).
        self.by_key = {**BY_KEY, **{i.key: i for i in getattr(catalogue, "indicators", ())}}

    @property
    def as_of(self) -> str:
        """How the text dates the stock figures: 截至年底, or 截至X月X日 while the year runs."""
        return as_of_text(self.year)

    def now(self, key: str):
        return self.catalogue.current.get(key)

    def before(self, key: str):
        return self.catalogue.previous.get(key)

    def rows(self, breakdown: str) -> list[dict]:
        return self.catalogue.breakdowns.get(breakdown, [])

    def named(self, rule: str) -> list[dict]:
        """The records a highlight rule chose (reports.indicators.highlights); none when not computed."""
        return (getattr(self.catalogue, "highlights", None) or {}).get(rule, [])

    @staticmethod
    def _kind(indicator) -> str:
        return INDICATOR if is_drillable(indicator) else DEFINITION

    def kind_of(self, key: str) -> str:
        return self._kind(self.by_key[key])

    def fig(self, key: str, text: str | None = None) -> Figure:
        indicator = self.by_key[key]
        value = self.now(key)
        if text is None:
            text = rate_text(value) if indicator.unit == "%" else count_text(value)
        return Figure(text, key, self._kind(indicator), title=str(indicator.definition))

    def n(self, key: str, unit: str | None = None) -> list:
        """A count with its unit: [Figure("52"), "个"]."""
        return [self.fig(key), str(self.by_key[key].unit) if unit is None else unit]

    def rate(self, key: str) -> list:
        return [self.fig(key), "%"]

    def money(self, key: str, unit: str | None = None) -> list:
        """An amount with its unit: [Figure("8.63"), "万元"]; `unit` is the sentence's (sentence_unit)."""
        number, unit = money_parts(self.now(key), unit)
        return [self.fig(key, number), unit]

    def money_unit(self, *keys: str) -> str:
        """The one unit of the amounts of these indicators printed in one sentence."""
        return sentence_unit(self.now(key) for key in keys)

    def change(self, key: str) -> str:
        """ "，比上年增加3个" — with its comma — or nothing."""
        text = change_text(self.by_key[key], self.now(key), self.before(key))
        return f"，{text}" if text else ""

    def row_fig(self, breakdown: str, row: dict, measure: str, text: str | None = None) -> Figure:
        spec = BREAKDOWN_BY_KEY[breakdown]
        group = tuple((name, value or "") for name, value in zip(spec.group_by, row["keys"], strict=True))
        return Figure(
            count_text(row[measure]) if text is None else text,
            breakdown,
            BREAKDOWN,
            group=group,
            title=str(spec.label),
        )

    def group_fig(self, breakdown: str, group: dict, value, text: str | None = None) -> Figure:
        """A figure summed over several rows of a breakdown, drilled by the fields given."""
        return Figure(
            count_text(value) if text is None else text,
            breakdown,
            BREAKDOWN,
            group=tuple(group.items()),
            title=str(BREAKDOWN_BY_KEY[breakdown].label),
        )
