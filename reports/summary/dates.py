"""Dates written the way a 公文 sign-off writes them: 二〇二五年十二月二十日.

The year is read digit by digit (with 〇 for zero, never 零); month and day are read as numbers
(十, 十一, 二十, 二十一, 三十一).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

DIGITS = "〇一二三四五六七八九"


def year_in_chinese(year: int) -> str:
    """2025 → 二〇二五 (digit by digit)."""
    return "".join(DIGITS[int(d)] for d in str(year))


def number_in_chinese(n: int) -> str:
    """1–99 as read aloud: 一 … 十, 十一 … 十九, 二十, 二十一 … 九十九."""
    if not 1 <= n <= 99:
        raise ValueError(f"{n} is outside 1–99")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    head = "十" if tens == 1 else DIGITS[tens] + "十"
    return head + (DIGITS[ones] if ones else "")


def date_in_chinese(day: dt.date) -> str:
    """2025-12-20 → 二〇二五年十二月二十日."""
    return f"{year_in_chinese(day.year)}年{number_in_chinese(day.month)}月{number_in_chinese(day.day)}日"


def as_of_text(year: int, today: dt.date | None = None) -> str:
    """截至年底 for a year that has ended; for the year still running (or one prepared ahead), the day
    the figures are from — 截至12月3日, 截至2026年12月3日 — since the year's end has not come yet."""
    today = today or timezone.localdate()
    if year < today.year:
        return "截至年底"
    if year == today.year:
        return f"截至{today.month}月{today.day}日"
    return f"截至{today.year}年{today.month}月{today.day}日"


def ordinal_in_chinese(n: int) -> str:
    """The heading numbers of a 公文: 1 → 一, 12 → 十二."""
    return number_in_chinese(n)
