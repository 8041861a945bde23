"""The charts of the annual summary, drawn by pygal as SVG text.

The same SVG string is embedded inline in the HTML page and in the PDF, so the two always show the
same picture. The SVG carries no script: pygal always writes a `<script>` holding its configuration
(for its interactive tooltips), which an xml filter removes; the text uses the SC font named
explicitly, as everywhere else in the summary. A chart with nothing to show is not drawn (None).
"""

from __future__ import annotations

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


def members_trend_chart(trend: list[tuple[int, int]]) -> str | None:
    """Members at the end of each of the last five years (a bar per year)."""
    if not trend or not any(count for _year, count in trend):
        return None
    chart = pygal.Bar(
        width=720,
        height=320,
        title="近五年会员人数（年末，人）",
        value_formatter=lambda v: f"{int(v):,}",
        print_values_position="top",
        **COMMON,
    )
    chart.x_labels = [f"{year}年" for year, _count in trend]
    chart.add("会员人数", [count for _year, count in trend])
    return _render(chart, "members-trend")


def aid_by_kind_chart(rows: list[dict]) -> str | None:
    """Aid amounts by kind (horizontal bars: the kind names are long)."""
    rows = [row for row in rows if row.get("amount")]
    if not rows:
        return None
    chart = pygal.HorizontalBar(
        width=720,
        height=80 + 44 * len(rows),
        title="各类帮扶金额（元）",
        value_formatter=_money_formatter(max(float(row["amount"]) for row in rows)),
        print_values_position="top",
        range=(0, _headroom(max(float(row["amount"]) for row in rows))),
        margin_left=_label_margin([row["labels"][0] for row in rows]),
        **COMMON,
    )
    rows.reverse()  # pygal draws the first bar at the bottom; the official order reads downwards
    chart.x_labels = [row["labels"][0] for row in rows]
    chart.add("金额", [float(row["amount"]) for row in rows])
    return _render(chart, "aid-by-kind")


def activities_by_category_chart(rows: list[dict]) -> str | None:
    """Activities by category: the number held (horizontal bars)."""
    rows = [row for row in rows if row.get("count")]
    if not rows:
        return None
    chart = pygal.HorizontalBar(
        width=720,
        height=80 + 40 * len(rows),
        title="各类职工活动场次（场）",
        value_formatter=lambda v: f"{int(v):,}",
        print_values_position="top",
        range=(0, _headroom(max(row["count"] for row in rows))),
        margin_left=_label_margin([row["labels"][0] for row in rows]),
        **COMMON,
    )
    rows.reverse()
    chart.x_labels = [row["labels"][0] for row in rows]
    chart.add("场次", [row["count"] for row in rows])
    return _render(chart, "activities-by-category")
