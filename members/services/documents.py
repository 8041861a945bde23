"""证明材料 of a hardship case: attached and removed by those who keep the case, while it is open."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from federation import scoping
from federation.history import record_as, save_as
from federation.models import User
from members.choices import CaseStatus
from members.models import CaseDocument, HardshipCase


def _require_open_case_kept_by(case: HardshipCase, by: User) -> None:
    if not scoping.can_change(by, case):
        raise PermissionDenied(_("您无权修改该困难职工档案。"))
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("该档案已结档，不能再修改证明材料。"))


@transaction.atomic
def case_document_add(
    *, case: HardshipCase, by: User, kind: str, file: UploadedFile, description: str = ""
) -> CaseDocument:
    """Attach a document (already checked by its form field: PDF, JPEG or PNG within the size limit)."""
    _require_open_case_kept_by(case, by)
    document = CaseDocument(case=case, kind=kind, file=file, description=description, uploaded_by=by)
    document.full_clean()
    save_as(document, by)
    return document


@transaction.atomic
def case_document_delete(*, document: CaseDocument, by: User) -> None:
    """删除: the record goes (its history keeps who removed it); the file leaves the storage once the
    transaction commits (federation.uploads.fields)."""
    _require_open_case_kept_by(document.case, by)
    record_as(document, by)
    document.delete()
