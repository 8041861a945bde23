"""The summary's charts as PNG pictures, for the Word document (which holds no SVG that every Word,
WPS and LibreOffice shows).

    chart_png(chart: BarChart) -> bytes

Pillow draws the same BarChart that pygal draws as SVG for the page and the PDF (reports.summary.
charts): the same title, bars, values and labels, in the same colours and the same SC font. Drawn here
rather than converted from the SVG because nothing the production machine has can rasterise SVG:
cairosvg is not installed, WeasyPrint 70 writes only PDF, and poppler's pdftoppm is a test package.
Pillow (already used for activity photos) and the Noto CJK font (fonts-noto-cjk, which the PDF needs)
are all this takes. The picture is drawn at three times the SVG's size: sharp when printed at 15 cm.
"""

from __future__ import annotations

import functools
import io
import logging
import math
import subprocess

from PIL import Image, ImageDraw, ImageFont

from reports.summary.charts import ACCENT, COMMON, INK, STYLE, BarChart, _headroom

logger = logging.getLogger(__name__)

SCALE = 3
FONT_FAMILY = "Noto Sans CJK SC"
BAR_FILL = "#c96464"  # ACCENT at pygal's 0.7 fill opacity on white
GUIDE = STYLE.guide_stroke_color
AXIS = STYLE.major_guide_stroke_color
SUBTLE = STYLE.foreground_subtle


@functools.cache
def _font_file() -> tuple[str, int] | None:
    """The file and face index of the SC sans font (fontconfig knows where fonts-noto-cjk put it)."""
    try:
        found = subprocess.run(
            ["fc-match", "--format=%{file}\n%{index}", f"{FONT_FAMILY}:lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.split("\n")
        path, index = found[0], int(found[1] or 0)
        if ImageFont.truetype(path, 12, index=index).getname()[0] == FONT_FAMILY:
            return path, index
    except (OSError, ValueError, IndexError, subprocess.SubprocessError):
        pass
    logger.warning(
        "%s not found by fontconfig: the charts of the Word document lack Chinese glyphs", FONT_FAMILY
    )
    return None


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    found = _font_file()
    if found is None:
        return ImageFont.load_default(size)
    path, index = found
    return ImageFont.truetype(path, size, index=index)


def _ticks(top: float) -> list[float]:
    """Round steps (1, 2 or 5 × 10ⁿ) from 0 to at most `top`, about five of them."""
    if top <= 0:
        return [0]
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if step < 1 and top >= 1:
        step = 1
    return [i * step for i in range(int(top // step) + 1)]


class _Canvas:
    """A picture measured in the SVG's pixels, drawn at SCALE."""

    def __init__(self, width: int, height: int) -> None:
        self.image = Image.new("RGB", (width * SCALE, height * SCALE), "white")
        self.draw = ImageDraw.Draw(self.image)

    def text_width(self, text: str, size: int) -> float:
        return self.draw.textlength(text, font=_font(size * SCALE)) / SCALE

    def text(self, x: float, y: float, text: str, size: int, *, fill: str = INK, anchor: str = "mm") -> None:
        self.draw.text((x * SCALE, y * SCALE), text, font=_font(size * SCALE), fill=fill, anchor=anchor)

    def line(self, x0: float, y0: float, x1: float, y1: float, *, fill: str, width: float = 1) -> None:
        self.draw.line(
            [(x0 * SCALE, y0 * SCALE), (x1 * SCALE, y1 * SCALE)], fill=fill, width=round(width * SCALE)
        )

    def bar(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.draw.rectangle(
            [(x0 * SCALE, y0 * SCALE), (x1 * SCALE, y1 * SCALE)], fill=BAR_FILL, outline=ACCENT, width=SCALE
        )

    def png(self) -> bytes:
        out = io.BytesIO()
        self.image.save(out, format="PNG", dpi=(96 * SCALE, 96 * SCALE))
        return out.getvalue()


def chart_png(chart: BarChart) -> bytes:
    """The chart as a PNG picture of SCALE times its SVG size."""
    canvas = _Canvas(chart.width, chart.height)
    margin, label_size, value_size = COMMON["margin"], STYLE.label_font_size, STYLE.value_font_size
    canvas.text(chart.width / 2, margin + STYLE.title_font_size / 2 + 2, chart.title, STYLE.title_font_size)
    top = margin + STYLE.title_font_size + 16
    if chart.horizontal:
        _horizontal(canvas, chart, top, margin, label_size, value_size)
    else:
        _vertical(canvas, chart, top, margin, label_size, value_size)
    return canvas.png()


def _vertical(
    canvas: _Canvas, chart: BarChart, top: float, margin: int, label_size: int, value_size: int
) -> None:
    """Bars standing on the category axis, value guides across, values above the bars."""
    ticks = _ticks(chart.largest * 1.05)
    scale_top = max(ticks[-1], chart.largest * 1.05) or 1
    tick_labels = [chart.value_text(t) for t in ticks]
    left = margin + max(canvas.text_width(t, label_size) for t in tick_labels) + 10
    right, bottom = chart.width - margin, chart.height - margin - label_size - 12
    height = bottom - top - value_size - 6

    def y_of(value: float) -> float:
        return bottom - height * value / scale_top

    for tick, label in zip(ticks, tick_labels, strict=True):
        canvas.line(left, y_of(tick), right, y_of(tick), fill=GUIDE if tick else AXIS)
        canvas.text(left - 6, y_of(tick), label, label_size, fill=SUBTLE, anchor="rm")
    slot = (right - left) / len(chart.values)
    for i, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        x0 = left + slot * i + slot * 0.1
        x1 = left + slot * (i + 1) - slot * 0.1
        canvas.bar(x0, y_of(value), x1, bottom)
        canvas.text((x0 + x1) / 2, y_of(value) - 4, chart.value_text(value), value_size, anchor="md")
        canvas.text((x0 + x1) / 2, bottom + 6, label, label_size, fill=SUBTLE, anchor="mt")


def _horizontal(
    canvas: _Canvas, chart: BarChart, top: float, margin: int, label_size: int, value_size: int
) -> None:
    """Bars from the category axis on the left, first category at the top, values after the bars."""
    scale_top = _headroom(chart.largest)
    ticks = _ticks(scale_top)
    left = margin + max(canvas.text_width(label, label_size) for label in chart.labels) + 10
    right, bottom = chart.width - margin, chart.height - margin - label_size - 10
    width = right - left

    def x_of(value: float) -> float:
        return left + width * value / scale_top

    for tick in ticks:
        canvas.line(x_of(tick), top, x_of(tick), bottom, fill=GUIDE if tick else AXIS)
        canvas.text(x_of(tick), bottom + 6, chart.value_text(tick), label_size, fill=SUBTLE, anchor="mt")
    slot = (bottom - top) / len(chart.values)
    for i, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        y0 = top + slot * i + slot * 0.12
        y1 = top + slot * (i + 1) - slot * 0.12
        canvas.bar(left, y0, x_of(value), y1)
        canvas.text(left - 6, (y0 + y1) / 2, label, label_size, fill=SUBTLE, anchor="rm")
        canvas.text(x_of(value) + 5, (y0 + y1) / 2, chart.value_text(value), value_size, anchor="lm")
