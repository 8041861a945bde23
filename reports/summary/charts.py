"""The charts of the annual summary: what each shows (a BarChart), drawn by pygal as SVG text.

The same SVG string is embedded inline in the HTML page and in the PDF, so the two always show the
same picture; the Word document draws the same BarChart as PNG (reports.summary.chart_png). The
SVG carries no script: pygal always writes a `<script>` holding its configuration (for its
interactive tooltips), which an xml filter removes; the text uses the SC font named explicitly, as
everywhere else in the summary. A chart with nothing to show is not drawn (None).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pygal
from pygal.style import Style

SANS = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif'
INK = "#1f2933"
ACCENT = "#b22222"  # 公文 red, used sparingly

STYLE = Style(
    font_family=SANS,
    background="#ffffff",
    plot_background="#ffffff",
    foreground=INK,
    foreground_strong=INK,
    foreground_subtle="#7b8794",
    colors=(ACCENT, "#3e4c59", "#9aa5b1"),
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=13,
    value_label_font_size=13,
    title_font_size=15,
    legend_font_size=13,
    tooltip_font_size=13,
    no_data_font_size=16,
    guide_stroke_color="#e4e7eb",
    major_guide_stroke_color="#cbd2d9",
    guide_stroke_dasharray="1,0",
    major_guide_stroke_dasharray="1,0",
)

COMMON = {
    "style": STYLE,
    "disable_xml_declaration": True,
    "js": [],
    "show_legend": False,
    "print_values": True,
    "margin": 12,
    "spacing": 10,
    "truncate_label": -1,
    "show_y_guides": True,
    "show_x_guides": False,
}


def _drop_script(tree):
    """pygal always adds a <script> with its configuration; the summary's SVG carries none."""
    for parent in list(tree.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return tree


def _render(chart: pygal.graph.graph.Graph, name: str) -> str:
    # A stable id instead of a random one: the same chart renders to the same text, and the CSS
    # pygal writes (scoped by that id) cannot clash between two charts of one page.
    chart.uuid = f"summary-{name}"
    chart.add_xml_filter(_drop_script)
    return chart.render(is_unicode=True)


def _label_margin(labels: list[str]) -> int:
    """Extra left margin for Chinese axis labels: pygal sizes labels at 0.6 em a character, but a
    CJK character is a full em wide."""
    wide = max((sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in label) for label in labels), default=0)
    narrow = max((0.6 * len(label) for label in labels), default=0)
    return COMMON["margin"] + int((wide - narrow) * STYLE.label_font_size) + 4


def _headroom(largest: float) -> float:
    """Room beyond the longest bar for its value label."""
    return largest * 1.15 or 1


def _money_formatter(largest: float):
    """Axis and value labels in 万 when the largest amount reaches ten thousand (as the text writes
    money), else in 元 — one unit for the whole axis."""
    if largest >= 10000:

        def wan(value) -> str:
            if not value:
                return "0"
            return f"{Decimal(str(value)) / 10000:,.2f}".rstrip("0").rstrip(".") + "万"

        return wan
    return lambda value: f"{value:,.0f}"


@dataclass(frozen=True)
class BarChart:
    """What a chart shows, drawn as SVG by pygal (`svg`, for the page and the PDF) and as PNG by
    Pillow (reports.summary.chart_png, for the Word document): one drawing, two renderers.

    `labels` and `values` read in the official order: left to right, or top to bottom for horizontal
    bars. `value_text` prints a value (on the bar and on the value axis)."""

    name: str
    title: str
    series: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    value_text: Callable[[float], str]
    horizontal: bool = False
    width: int = 720
    height: int = 320

    @property
    def largest(self) -> float:
        return max(self.values, default=0)


def svg(chart: BarChart) -> str:
    """The chart as pygal's SVG text (no script, a stable id)."""
    labels, values = list(chart.labels), list(chart.values)
    if chart.horizontal:
        drawn = pygal.HorizontalBar(
            width=chart.width,
            height=chart.height,
            title=chart.title,
            value_formatter=chart.value_text,
            print_values_position="top",
            range=(0, _headroom(chart.largest)),
            margin_left=_label_margin(labels),
            **COMMON,
        )
        # pygal draws the first bar at the bottom; the official order reads downwards
        labels.reverse()
        values.reverse()
    else:
        drawn = pygal.Bar(
            width=chart.width,
            height=chart.height,
            title=chart.title,
            value_formatter=chart.value_text,
            print_values_position="top",
            **COMMON,
        )
    drawn.x_labels = labels
    drawn.add(chart.series, values)
    return _render(drawn, chart.name)


def members_trend_chart(trend: list[tuple[int, int]], on: str = "年末") -> BarChart | None:
    """Members at the end of each of the last five years (a bar per year) — or on 30 June of each
    (on="6月末"), the half-year summary's."""
    if not trend or not any(count for _year, count in trend):
        return None
    return BarChart(
        "members-trend",
        f"近五年会员人数（{on}，人）",
        "会员人数",
        tuple(f"{year}年" for year, _count in trend),
        tuple(count for _year, count in trend),
        lambda v: f"{int(v):,}",
    )


def aid_by_kind_chart(rows: list[dict]) -> BarChart | None:
    """Aid amounts by kind (horizontal bars: the kind names are long)."""
    rows = [row for row in rows if row.get("amount")]
    if not rows:
        return None
    return BarChart(
        "aid-by-kind",
        "各类帮扶金额（元）",
        "金额",
        tuple(row["labels"][0] for row in rows),
        tuple(float(row["amount"]) for row in rows),
        _money_formatter(max(float(row["amount"]) for row in rows)),
        horizontal=True,
        height=80 + 44 * len(rows),
    )


def activities_by_category_chart(rows: list[dict]) -> BarChart | None:
    """Activities by category: the number held (horizontal bars)."""
    rows = [row for row in rows if row.get("count")]
    if not rows:
        return None
    return BarChart(
        "activities-by-category",
        "各类职工活动场次（场）",
        "场次",
        tuple(row["labels"][0] for row in rows),
        tuple(row["count"] for row in rows),
        lambda v: f"{int(v):,}",
        horizontal=True,
        height=80 + 40 * len(rows),
    )
