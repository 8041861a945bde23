"""Official identifiers: resident ID numbers (GB 11643), unified social credit codes (GB 32100),
mainland mobile numbers — validation, the facts they encode, masking for display, and construction
(for demo data and tests).
"""

from __future__ import annotations

import datetime as dt
import re
import time
import unicodedata
from operator import mul

from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, IntegerField, Q, Value, When
from django.db.models.functions import Cast, Mod, Substr
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- Resident ID number (居民身份证号码), GB 11643-1999 -------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ZERO_WEIGHTED = ord("0") * sum(_ID_WEIGHTS)
_ID_SHAPE = re.compile(r"^[1-9]\d{16}[\dX]$", re.ASCII)
RESIDENT_ID_SHAPE = _ID_SHAPE

MALE = "M"
FEMALE = "F"


def _half_width(value: str) -> str:
    """Full-width digits, letters and spaces (as Chinese input methods type them) become ASCII."""
    return unicodedata.normalize("NFKC", value or "")


def normalise_resident_id(value: str) -> str:
    """Upper-case the check character and strip spaces, the way people type it."""
    return _half_width(value).strip().replace(" ", "").upper()


def resident_id_check_digit(first17: str) -> str:
    if len(first17) == 17 and first17.isascii() and first17.isdigit():
        # The digits' character codes, weighted, less the weighted code of "0": the same sum, computed
        # in C — an import checks 100 000 numbers.
        total = sum(map(mul, first17.encode(), _ID_WEIGHTS)) - _ZERO_WEIGHTED
    else:
        total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def resident_id_birth_date(value: str) -> dt.date | None:
    """The date of birth an 18-character ID number encodes, or None where it encodes no real date."""
    try:
        return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except (ValueError, IndexError):
        return None


def resident_id_gender(value: str) -> str:
    """Odd 17th digit: male; even: female."""
    return MALE if int(value[16]) % 2 else FEMALE


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def _utc_yesterday_ordinal() -> int:
    """Yesterday in UTC as a date's ordinal: timezone.now()'s clock (time.time), without building a
    datetime for each of an import's 100 000 numbers."""
    return int(time.time() // 86400) + _EPOCH_ORDINAL - 1


def validate_resident_id(value: str) -> None:
    """Raise ValidationError unless value is a well-formed 18-character resident ID number."""
    check_normalised_resident_id(normalise_resident_id(value))


def check_normalised_resident_id(value: str) -> None:
    """validate_resident_id for a value normalise_resident_id has made already (an import's cells:
    100 000 of them are not normalised twice)."""
    if len(value) != 18:
        raise ValidationError(
            _("身份证号应为18位，现为%(n)d位。"), code="id_length", params={"n": len(value)}
        )
    if not _ID_SHAPE.match(value):
        raise ValidationError(_("身份证号前17位应为数字，最后一位为数字或X。"), code="id_shape")
    born = resident_id_birth_date(value)
    # No time zone is a day ahead of UTC: a birth date before yesterday in UTC is in the past
    # everywhere, without asking for the local date (a roster of 100 000 asks 100 000 times).
    if (
        born is None
        or born.year < 1900
        or (born.toordinal() >= _utc_yesterday_ordinal() and born > timezone.localdate())
    ):
        raise ValidationError(_("身份证号中的出生日期无效。"), code="id_birth_date")
    expected = resident_id_check_digit(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("身份证号校验位错误（应为%(expected)s），请核对号码。"),
            code="id_check_digit",
            params={"expected": expected},
        )


def resident_id_well_formed(value: str) -> bool:
    """Is `value` (as stored) a well-formed resident ID number: the shape and the check digit of GB
    11643 — exactly what resident_id_invalid_q tests in the database (not the birth date, which
    depends on the day it is asked)."""
    return bool(value and _ID_SHAPE.match(value)) and value[17] == resident_id_check_digit(value[:17])


def resident_id_invalid_q(field: str) -> Q:
    """A database condition true for rows whose `field` is not a well-formed resident ID number: wrong
    shape, or a check digit that disagrees with the first 17 digits (GB 11643, computed in SQL so
    that a scope of any size is checked in one query). Birth dates are not tested here."""
    shape = r"^[1-9][0-9]{16}[0-9X]$"
    total = Value(0)
    for position, weight in enumerate(_ID_WEIGHTS, start=1):
        total = total + Cast(Substr(field, position, 1), IntegerField()) * weight
    # The digits are only cast where the shape holds (CASE evaluates its branch lazily).
    expected = Case(
        When(**{f"{field}__regex": shape}, then=Substr(Value(_ID_CHECK), Mod(total, 11) + 1, 1)),
        default=Value(""),
        output_field=CharField(),
    )
    return ~Q(**{f"{field}__regex": shape}) | ~Q(Exact(Substr(field, 18, 1), expected))


def make_resident_id(area_code: str, born: dt.date, sequence: int, gender: str) -> str:
    """Build a valid ID number: 6-digit area, birth date, 3-digit sequence whose parity is the gender."""
    seq = sequence % 1000
    if (seq % 2 == 1) != (gender == MALE):
        seq = (seq + 1) % 1000
    first17 = f"{area_code}{born:%Y%m%d}{seq:03d}"
    return first17 + resident_id_check_digit(first17)


def mask_id_number(value: str) -> str:
    """110105********1234 — the first six and last four characters stay."""
    if not value:
        return ""
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 4, 0) + value[-2:]
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


# --- Unified social credit code (统一社会信用代码), GB 32100-2015 ---------------------------------

_USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$", re.ASCII)


def normalise_credit_code(value: str) -> str:
    return _half_width(value).strip().replace(" ", "").upper()


def credit_code_check_char(first17: str) -> str:
    total = sum(_USCC_CHARSET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    value = normalise_credit_code(value)
    if len(value) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，现为%(n)d位。"), code="uscc_length", params={"n": len(value)}
        )
    if not _USCC_SHAPE.match(value):
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）。"), code="uscc_shape"
        )
    expected = credit_code_check_char(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误（应为%(expected)s），请核对。"),
            code="uscc_check_char",
            params={"expected": expected},
        )


def make_credit_code(registry: str, kind: str, area_code: str, body9: str) -> str:
    """Build a valid code from the registry (e.g. '9'), kind ('1'), 6-digit area and 9-char body."""
    first17 = f"{registry}{kind}{area_code}{body9}"
    return first17 + credit_code_check_char(first17)


# --- Mobile numbers ------------------------------------------------------------------------------

_MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)


def normalise_phone(value: str) -> str:
    value = _half_width(value).strip().replace(" ", "").replace("-", "")
    return value[3:] if value.startswith("+86") else value


def validate_mobile(value: str) -> None:
    if not _MOBILE.match(normalise_phone(value)):
        raise ValidationError(_("手机号码应为以1开头的11位数字。"), code="mobile")


def mask_phone(value: str) -> str:
    """138****5678."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
