"""Finalising and reopening a federation's summary of a year or half-year (定稿 / 重新打开) — or a
grassroots union's own (reports.subjects).

A finalised version keeps the figures, the narrative and the PDF, Word and XLSX files (in the storage: the
disk or S3) as they were at that moment; downloads return those files unchanged, whatever happens to
the records afterwards. Reopening marks the version superseded (it stays downloadable) so that the
chair can finalise the next one.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from federation.models import Federation, User
from reports import subjects
from reports.indicators import Catalogue
from reports.models import SummaryDraft, SummaryPeriod, SummaryVersion
from reports.subjects import Subject
from reports.summary.document import build_summary
from reports.summary.docx import render_summary_docx
from reports.summary.render import render_summary_pdf
from reports.summary.xlsx import render_summary_xlsx
from unions.models import GrassrootsUnion


def json_safe(value):
    """Decimals as strings (exact, unlike floats); everything else the catalogue holds is already
    an int, a string or None."""
    if isinstance(value, Decimal):
        return str(value)
    return value


def frozen_indicators(catalogue: Catalogue) -> dict:
    """The figures of the catalogue as stored in a version: this year and last year by key."""
    return {
        "year": catalogue.year,
        "period": catalogue.kind,
        "current": {key: json_safe(value) for key, value in catalogue.current.items()},
        "previous": {key: json_safe(value) for key, value in catalogue.previous.items()},
    }


def frozen_narrative(draft: SummaryDraft | None) -> dict:
    if draft is None:
        return {}
    narrative = {field: getattr(draft, field) for field in SummaryDraft.NARRATIVE_FIELDS}
    narrative["signoff_date"] = draft.signoff_date.isoformat() if draft.signoff_date else None
    return narrative


def current_version(subject: Subject, year: int, kind: str = SummaryPeriod.YEAR) -> SummaryVersion | None:
    """The version in force (finalised and not reopened) of the year or half-year, if any — of a
    federation's summary or a union's own (reports.subjects)."""
    return SummaryVersion.objects.filter(
        **subjects.rows_of(subject), year=year, period=kind, reopened_at__isnull=True
    ).first()


def latest_version(subject: Subject, year: int, kind: str = SummaryPeriod.YEAR) -> SummaryVersion | None:
    """The last version of the year, in force or reopened (with who finalised and reopened it), in one
    query: what the summary page says about its state (已定稿 · 第N版, or 第N版已重新打开)."""
    return (
        SummaryVersion.objects.filter(**subjects.rows_of(subject), year=year, period=kind)
        .select_related("finalised_by", "reopened_by")
        .order_by("-number")
        .first()
    )


def current_versions(federations, years) -> dict[tuple[int, int, str], SummaryVersion]:
    """The versions in force of these federations and years, annual and half-year, by (federation pk,
    year, period), in one query."""
    versions = SummaryVersion.objects.filter(
        federation__in=federations, union__isnull=True, year__in=list(years), reopened_at__isnull=True
    ).only("federation_id", "year", "period", "number", "created_at")
    return {(version.federation_id, version.year, version.period): version for version in versions}


def _name(version: SummaryVersion) -> str:
    """2025年工作总结 / 2025年上半年工作总结."""
    half = "上半年" if version.period == SummaryPeriod.H1 else ""
    return f"{version.year}年{half}工作总结"


def _refuse_unless_chair(by: User, subject: Subject) -> None:
    if subjects.may_finalise(by, subject):
        return
    if subjects.is_union(subject):
        raise PermissionDenied(_("只有本工会的工会干部或系统管理员可以定稿或重新打开本工会的工作总结。"))
    raise PermissionDenied(_("只有本联合会主席或系统管理员可以定稿或重新打开年度工作总结。"))


def already_finalised(version: SummaryVersion) -> ValidationError:
    return ValidationError(
        _("%(name)s已定稿（第%(number)s版）；如需修改，请先重新打开。")
        % {"name": _name(version), "number": version.number}
    )


def narrative_locked(version: SummaryVersion) -> ValidationError:
    """What staff are told when they would change the text of a finalised year."""
    return ValidationError(
        _(
            "%(name)s已定稿（第%(number)s版），文字部分已锁定，不能修改。"
            "如需修改，请联合会主席在工作总结页面“重新打开”。"
        )
        % {"name": _name(version), "number": version.number}
    )


def summary_draft_save(*, draft: SummaryDraft, by: User) -> SummaryDraft:
    """Save the narrative staff wrote — unless the year is finalised: its text is frozen in the
    version in force until the chair reopens it. The federation's row is locked as 定稿 locks it, so
    a save and a 定稿 at the same moment cannot both win."""
    subject = draft.subject
    if not subjects.may_edit(by, subject):
        if subjects.is_union(subject):
            raise PermissionDenied(_("只有本工会的工会干部可以编辑本工会工作总结的文字部分。"))
        raise PermissionDenied(_("只有联合会工作人员可以编辑年度工作总结的文字部分。"))
    with transaction.atomic():
        subjects.lock(subject)
        existing = current_version(subject, draft.year, draft.period)
        if existing is not None:
            raise narrative_locked(existing)
        draft.updated_by = by
        draft.save()
    return draft


def summary_finalise(
    *,
    federation: Federation | None = None,
    union: GrassrootsUnion | None = None,
    year: int,
    by: User,
    kind: str = SummaryPeriod.YEAR,
) -> SummaryVersion:
    """Freeze the federation's summary of `year` (or of its first half: `kind`) — or the union's own,
    given `union` instead: its figures, its narrative and its files. The annual summary and the
    half-year's are finalised apart.

    The catalogue is computed once and the document, the PDF, the Word document and the workbook are
    all built from it,
    so the stored figures and the stored files cannot disagree.
    """
    subject: Subject | None = union if union is not None else federation
    assert subject is not None, "a federation or a union"
    _refuse_unless_chair(by, subject)
    rows = subjects.rows_of(subject)
    with transaction.atomic():
        # One finalisation at a time per subject; the partial unique constraint is the last word.
        subjects.lock(subject)
        existing = current_version(subject, year, kind)
        if existing is not None:
            raise already_finalised(existing)

        catalogue = subjects.catalogue_of(subject, year, kind)
        draft = SummaryDraft.objects.filter(**rows, year=year, period=kind).first()
        document = build_summary(subject, year, kind=kind, draft=draft, catalogue=catalogue)
        pdf = render_summary_pdf(document)
        docx = render_summary_docx(document)
        # The workbook from the same catalogue and per-union rows as the document: computed once.
        xlsx = render_summary_xlsx(subject, year, kind=kind, catalogue=catalogue, rows=document.union_rows)
        last = SummaryVersion.objects.filter(**rows, year=year, period=kind).aggregate(n=Max("number"))["n"]
        version = SummaryVersion(
            **subjects.new_row_fields(subject),
            year=year,
            period=kind,
            number=(last or 0) + 1,
            indicators=frozen_indicators(catalogue),
            narrative=frozen_narrative(draft),
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            finalised_by=by,
        )
        # Into the storage (the disk or S3) before the record; a version that is not saved takes its
        # files with it, and one lost to a crash in between leaves files `manage.py cleanup` removes.
        version.pdf.save("summary.pdf", ContentFile(pdf), save=False)
        version.xlsx.save("summary.xlsx", ContentFile(xlsx), save=False)
        version.docx.save("summary.docx", ContentFile(docx), save=False)
        try:
            with transaction.atomic():
                version.save()
                return version
        except IntegrityError as exc:
            version.pdf.delete(save=False)
            version.xlsx.delete(save=False)
            version.docx.delete(save=False)
            raise ValidationError(_("该年度工作总结刚刚已被定稿，请刷新后查看。")) from exc


def summary_reopen(*, version: SummaryVersion, by: User) -> SummaryVersion:
    """Supersede a finalised version so that the summary can be finalised again. The old version, its
    figures and its files stay as they were and stay downloadable."""
    _refuse_unless_chair(by, version.subject)
    with transaction.atomic():
        version = SummaryVersion.objects.select_for_update().get(pk=version.pk)
        if version.reopened_at is not None:
            raise ValidationError(_("第%(number)s版已重新打开过。") % {"number": version.number})
        version.reopened_at = timezone.now()
        version.reopened_by = by
        version.save(update_fields=["reopened_at", "reopened_by", "updated_at"])
    return version
