"""A model's own rules (clean()) applied to an import row: each error is shown under the column that
filled the field, so the rule is written once, on the model, and reported by row and column."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from federation.imports.engine import ImportSpec, RowResult


def reject_model_errors(
    spec: ImportSpec, row: RowResult, exc: ValidationError, model: type[models.Model]
) -> None:
    """Reject `row` with the errors of `exc`; a field no column fills is named by its verbose name."""
    headers = {column.field: column.header for column in spec.columns}
    for field, messages in exc.message_dict.items():
        if field in headers:
            header = headers[field]
        elif field == NON_FIELD_ERRORS:
            header = ""
        else:
            header = str(model._meta.get_field(field).verbose_name)
        row.reject(header, "；".join(messages))
