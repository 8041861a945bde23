"""The indicator catalogue of the annual summary."""

from reports.indicators.base import AnyScope, Indicator, Period, Scope
from reports.indicators.catalogue import BY_KEY, CORE_KEYS, INDICATORS, SECTIONS
from reports.indicators.compute import Catalogue, compute_catalogue, federation_rows, union_rows

__all__ = [
    "BY_KEY",
    "CORE_KEYS",
    "INDICATORS",
    "SECTIONS",
    "AnyScope",
    "Catalogue",
    "Indicator",
    "Period",
    "Scope",
    "compute_catalogue",
    "federation_rows",
    "union_rows",
]
