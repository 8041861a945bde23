"""The years the ledger accepts — of a summary, of yearly figures, of an import: from FIRST_YEAR to next
year (a summary or a figure may be prepared ahead). Every view, form and command that takes a year
checks it here, so that a year refused on one page is refused on all of them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2000


def last_valid_year(today: dt.date | None = None) -> int:
    return (today or timezone.localdate()).year + 1


def valid_year(year: int, today: dt.date | None = None) -> bool:
    return FIRST_YEAR <= year <= last_valid_year(today)


def validate_year(year: int | None) -> None:
    """A form field's validator: the year is in the valid range (a Chinese message if not)."""
    if year is not None and not valid_year(year):
        raise ValidationError(
            _("年度应在%(first)s至%(last)s年之间。"),
            code="year_range",
            params={"first": FIRST_YEAR, "last": last_valid_year()},
        )
