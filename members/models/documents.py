"""证明材料: the documents behind a hardship case (income, illness, disability, the 公示 record …),
stored and served privately like every upload (federation.uploads): one storage, a random name, the
original name on the record, served only by a view that asks federation.scoping first."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from federation.history import HistoricalRecords
from federation.models import TimeStamped
from federation.uploads.content import ScanFormField
from federation.uploads.fields import PrivateFileField, RandomName
from members.choices import CaseDocumentKind
from members.models.hardship import HardshipCase
from members.models.membership import USER


class CaseDocument(TimeStamped):
    case = models.ForeignKey(
        HardshipCase, verbose_name=_("困难职工档案"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("材料类型"), max_length=20, choices=CaseDocumentKind.choices)
    file = PrivateFileField(
        _("文件"),
        upload_to=RandomName("hardship"),
        download_view="hardship:document",
        name_field="file_name",
        form_class=ScanFormField,  # PDF, JPEG or PNG by content, within UPLOAD_MAX_MB
    )
    file_name = models.CharField(_("文件名"), max_length=255, blank=True, editable=False)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        USER, verbose_name=_("上传人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")
        ordering = ["case", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file.original_name}"
