"""One small object per column type that turns a raw cell into a value, or says in Chinese why not.

Raw values come from python-calamine: str, int, float, bool, datetime.date/datetime/time, or None.
Every text is cleaned first by federation.text.clean_text, the step every form field takes too:
control characters out, full-width letters and digits to half-width, the ideographic space to a space, no
leading and trailing spaces — because that is how people's files really look. A cell that holds no prose
(a date, a number, an ID, a code) is NFKC besides (normalise_code), so its full-width punctuation folds too.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from federation.identifiers import (
    check_normalised_resident_id,
    normalise_credit_code,
    normalise_phone,
    normalise_resident_id,
    validate_credit_code,
    validate_mobile,
    validate_resident_id,
)
from federation.text import clean_text

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers of 1900-01-01 … 2100-12-31: outside this a number is not a date anyone typed.
SERIAL_RANGE = (1, 73415)
# Year first is the only unambiguous order: 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日, with the
# same separator twice, optionally followed by a midnight time (a date exported as text).
DATE_TEXT = re.compile(
    r"^(\d{4})\s*(?:([-/.])\s*(\d{1,2})\s*\2|年\s*(\d{1,2})\s*月)\s*(\d{1,2})\s*日?"
    r"(?:\s+0{1,2}:00(?::00(?:\.0+)?)?)?$"
)
COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# Day and month before the year (03/04/2024): 3 April in most of the world, 4 March in the US.
DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{2}|\d{4})$")
# Ideographic and other spaces between two CJK characters: “张　三” padded to line up with “欧阳明”.
CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
YES = {"是", "Y", "YES", "TRUE", "1", "√", "✓"}
NO = {"否", "N", "NO", "FALSE", "0", "×", ""}


class CellError(Exception):
    """This cell's value cannot be used; the message is shown beside its row and column."""


def normalise_text(value) -> str:
    """The cell as clean text (federation.text.clean_text, single-line: half-width letters and digits, no
    control characters), no surrounding spaces."""
    if value is None:
        return ""
    if type(value) is str:
        text = value
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    return clean_text(text).strip()


def normalise_code(value) -> str:
    """A cell that holds no prose — a date, a number, an ID, a code, a phone number, a yes/no — as
    clean text in NFKC: full-width punctuation too is made half-width there (２０２４－０３－０１,
    １２．５, （０１０）), where a name keeps its Chinese brackets."""
    return unicodedata.normalize("NFKC", normalise_text(value))


def _messages(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


@dataclass
class Column:
    """A column of an import: its Chinese header, the field it fills, and how to clean its cells.

    `aliases` are other headers people use for the same column (手机 for 手机号码). `example` fills
    the template's example row; `note` is shown on the template's instructions sheet.
    """

    header: str
    field: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    example: object = ""
    note: str = ""
    max_length: int = 100

    def clean(self, raw):
        if raw is None or (isinstance(raw, str) and not raw.strip()):  # str.strip knows U+3000
            if self.required:
                raise CellError(_("必填，不能为空。"))
            return self.empty()
        return self.to_value(raw)

    def empty(self):
        return ""

    def to_value(self, raw):
        text = normalise_text(raw)
        if len(text) > self.max_length:
            raise CellError(_("内容过长（最多%(n)d个字）。") % {"n": self.max_length})
        return text

    # What the template says about the column's format, and the Excel number format to give it.
    number_format = "@"

    def choices_for_template(self) -> list[str]:
        return []


@dataclass
class TextColumn(Column):
    pass


@dataclass
class NameColumn(Column):
    """A person's name: the spaces people put inside a Chinese name to line it up (“张　三”) are
    removed; a space between Latin letters (a foreign name) is kept, reduced to one."""

    max_length: int = 50

    def to_value(self, raw):
        text = normalise_text(raw)
        # Printable and without " ": no white space at all (every other space is unprintable), as
        # nearly every name is — the two substitutions would change nothing.
        if not text.isprintable() or " " in text:
            text = re.sub(r"\s+", " ", CJK_GAP.sub("", text))
        if len(text) > self.max_length:
            raise CellError(_("内容过长（最多%(n)d个字）。") % {"n": self.max_length})
        return text


@dataclass
class IdNumberColumn(Column):
    """身份证号: must be text — Excel keeps 15 significant digits, so a number is already wrong."""

    max_length: int = 18

    def to_value(self, raw):
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raise CellError(
                _("身份证号存成了数字，Excel只保留15位有效数字，后几位已丢失。请把该列设为“文本”格式后重填。")
            )
        try:
            if type(raw) is str and raw.isascii() and raw.isprintable() and " " not in raw:
                # What the normalisations below make of printable ASCII without a space (nearly
                # every ID number), at a fraction of their cost.
                value = raw.upper()
                check_normalised_resident_id(value)
            else:
                value = normalise_resident_id(normalise_code(raw))
                validate_resident_id(value)
        except ValidationError as exc:
            raise CellError(_messages(exc)) from exc
        return value


@dataclass
class CreditCodeColumn(Column):
    max_length: int = 18

    def empty(self):
        return None

    def to_value(self, raw):
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raise CellError(_("统一社会信用代码被存成了数字，请把该列设为“文本”格式后重新填写。"))
        value = normalise_credit_code(normalise_code(raw))
        try:
            validate_credit_code(value)
        except ValidationError as exc:
            raise CellError(_messages(exc)) from exc
        return value


@dataclass
class MobileColumn(Column):
    max_length: int = 20

    def to_value(self, raw):
        value = normalise_phone(normalise_code(raw))
        try:
            validate_mobile(value)
        except ValidationError as exc:
            raise CellError(_messages(exc)) from exc
        return value


@dataclass
class DateColumn(Column):
    """A date typed as a date, as text (2024-03-01, 2024/3/1, 2024年3月1日, 20240301) or left as an
    Excel serial number (45352) — all unambiguous, so all accepted."""

    number_format = "yyyy-mm-dd"

    def empty(self):
        return None

    def to_value(self, raw):
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            if raw == int(raw) and SERIAL_RANGE[0] <= raw <= SERIAL_RANGE[1]:
                return EXCEL_EPOCH + dt.timedelta(days=int(raw))
            if COMPACT_DATE.match(str(int(raw))):
                return self._from_text(str(int(raw)))
            raise CellError(_("不是有效的日期。"))
        return self._from_text(normalise_code(raw))

    def _from_text(self, text: str) -> dt.date:
        if match := DATE_TEXT.match(text):
            year, _separator, month, month_cn, day = match.groups()
            parts = (year, month or month_cn, day)
        elif match := COMPACT_DATE.match(text):
            parts = match.groups()
        elif DAY_MONTH_YEAR.match(text):
            raise CellError(
                _(
                    "“%(v)s”无法确定是几月几日（日/月/年与月/日/年写法相同），"
                    "请写成 2024-03-01 的形式（年-月-日）。"
                )
                % {"v": text[:20]}
            )
        else:
            raise CellError(_("“%(v)s”不是日期，请写成 2024-03-01 的形式。") % {"v": text[:20]})
        try:
            return dt.date(*(int(part) for part in parts))
        except ValueError as exc:
            raise CellError(_("“%(v)s”不是有效的日期。") % {"v": text[:20]}) from exc


@dataclass
class IntegerColumn(Column):
    minimum: int = 0
    number_format = "0"

    def empty(self):
        return None

    def to_value(self, raw):
        if isinstance(raw, bool):
            raise CellError(_("应填写整数。"))
        if isinstance(raw, float):
            if not raw.is_integer():
                raise CellError(_("应填写整数。"))
            raw = int(raw)
        if not isinstance(raw, int):
            text = normalise_code(raw).replace(",", "")
            if not re.fullmatch(r"-?\d+", text):
                raise CellError(_("“%(v)s”不是整数。") % {"v": text[:20]})
            raw = int(text)
        if raw < self.minimum:
            raise CellError(_("不能小于%(n)d。") % {"n": self.minimum})
        return raw


@dataclass
class DecimalColumn(Column):
    """Money: two decimals, never negative."""

    number_format = "#,##0.00"

    def empty(self):
        return None

    def to_value(self, raw):
        text = normalise_code(raw).replace(",", "").removesuffix("元")
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise CellError(_("“%(v)s”不是金额。") % {"v": text[:20]}) from exc
        if not value.is_finite() or value < 0:
            raise CellError(_("金额不能为负数。"))
        if value != value.quantize(Decimal("0.01")):
            raise CellError(_("金额最多保留两位小数。"))
        return value.quantize(Decimal("0.01"))


@dataclass
class YesNoColumn(Column):
    """是/否 (also Y/N, 1/0, √/×)."""

    def empty(self):
        return False

    def clean(self, raw):
        if isinstance(raw, bool):
            return raw
        text = normalise_code(raw).upper()
        if text in YES:
            return True
        if text in NO:
            if self.required and not text:
                raise CellError(_("必填，请填“是”或“否”。"))
            return False
        raise CellError(_("请填“是”或“否”。"))

    def choices_for_template(self) -> list[str]:
        return ["是", "否"]


@dataclass
class ChoiceColumn(Column):
    """An enumeration: the cell holds the Chinese label (or the code) of one choice."""

    choices: list[tuple[str, str]] = field(default_factory=list)
    # Extra spellings people use: {"群众": "masses"}.
    synonyms: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._lookup = {}
        for code, label in self.choices:
            self._lookup[normalise_text(str(label))] = code
            self._lookup[normalise_text(str(code))] = code
        for text, code in self.synonyms.items():
            self._lookup[normalise_text(text)] = code

    def to_value(self, raw):
        text = normalise_text(raw)
        if text in self._lookup:
            return self._lookup[text]
        labels = [str(label) for _code, label in self.choices]
        shown = "、".join(labels[:8]) + ("……" if len(labels) > 8 else "")
        raise CellError(_("“%(v)s”不是可选的值（可选：%(choices)s）。") % {"v": text[:20], "choices": shown})

    def choices_for_template(self) -> list[str]:
        return [str(label) for _code, label in self.choices]

    def label(self, code: str) -> str:
        return next((str(label) for c, label in self.choices if c == code), code)
