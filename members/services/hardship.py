"""困难职工档案: opening a case with the category the figures suggest, its reviews (初审 → 终审 →
yearly 复核/回访), updating its figures, and closing it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from federation.history import save_as
from federation.models import Federation, FederationYear, User
from members.choices import LIVE_STATUSES, CaseStatus, HardshipCategory, ReviewKind
from members.models import CaseReview, HardshipCase, HouseholdMember, Member
from members.models.hardship import suggest_category
from members.services.common import (
    insert_guarded,
    lock_case,
    lock_member,
    reject_unknown_fields,
    require_not_future,
    require_union_scope,
    today,
)

# The figures a caller gives when opening or updating a case.
FIGURE_FIELDS = frozenset(
    {
        "household_size",
        "annual_household_income",
        "rigid_medical",
        "rigid_schooling",
        "accident_costs",
        "secondary_causes",
        "health_status",
        "disability_grade",
        "housing",
        "description",
    }
)
HOUSEHOLD_FIELDS = frozenset({"name", "relation", "annual_income", "health_status", "school_or_work"})
CLOSING_STATUSES = frozenset({CaseStatus.RESOLVED, CaseStatus.EXITED})


def open_case_error() -> ValidationError:
    return ValidationError({"member": _("该会员已有在档的困难职工档案。")})


def min_living_standard(federation: Federation, year: int) -> Decimal | None:
    """当地城市低保标准 for `year`: the federation's own figure, else the nearest federation above it
    that has one (a township usually takes the county's standard), else None."""
    ancestor_ids = [int(pk) for pk in federation.path.strip("/").split("/") if pk]
    standards = dict(
        FederationYear.objects.filter(
            federation_id__in=ancestor_ids, year=year, min_living_standard__isnull=False
        ).values_list("federation_id", "min_living_standard")
    )
    for pk in reversed(ancestor_ids):
        if pk in standards:
            return standards[pk]
    return None


@transaction.atomic
def hardship_case_open(
    *,
    member: Member,
    by: User,
    opened_on: dt.date,
    primary_cause: str,
    category: str | None = None,
    category_override_reason: str = "",
    household: Iterable[Mapping] = (),
    **fields,
) -> HardshipCase:
    """建档: open a hardship case for a live member.

    The category the figures suggest is computed against the 低保 standard of the member's
    federation for the year of `opened_on`. `category=None` takes the suggestion; any other category
    needs `category_override_reason`. `household` lists the *other* members of the household
    (household_size counts the member too), one dict of HouseholdMember fields each.
    """
    reject_unknown_fields(fields, FIGURE_FIELDS)
    household = [dict(person) for person in household]
    for person in household:
        reject_unknown_fields(person, HOUSEHOLD_FIELDS)
    locked = lock_member(member)
    require_union_scope(by, locked.union)
    if locked.status not in LIVE_STATUSES:
        raise ValidationError(
            {"member": _("该会员会籍状态为“%(s)s”，不能建档。") % {"s": locked.get_status_display()}}
        )
    require_not_future(opened_on, "opened_on")
    if opened_on < locked.joined_on:
        raise ValidationError({"opened_on": _("建档日期不能早于入会日期。")})
    if HardshipCase.objects.filter(member=locked, status=CaseStatus.OPEN).exists():
        raise open_case_error()

    case = HardshipCase(
        member=locked,
        union=locked.union,
        primary_cause=primary_cause,
        opened_on=opened_on,
        created_by=by,
        **fields,
    )
    standard = min_living_standard(locked.union.federation, opened_on.year)
    _apply_category(
        case,
        category,
        category_override_reason,
        suggestion=_suggest(case, standard),
        standard=standard,
        year=opened_on.year,
    )
    if len(household) > case.household_size - 1:
        raise ValidationError(
            {
                "household": _("家庭成员（不含本人）有%(n)d人，与家庭人口%(size)d人不符。")
                % {"n": len(household), "size": case.household_size}
            }
        )
    case.full_clean()
    insert_guarded(case, by, constraint="hardship_one_open_case_per_member", error=open_case_error())

    for index, person in enumerate(household, start=1):
        row = HouseholdMember(case=case, **person)
        try:
            row.full_clean()
        except ValidationError as exc:
            raise ValidationError(
                {"household": [_("第%(i)d位家庭成员：%(m)s") % {"i": index, "m": m} for m in exc.messages]}
            ) from exc
        save_as(row, by)
    return case


@transaction.atomic
def hardship_case_update_figures(
    *,
    case: HardshipCase,
    by: User,
    category: str | None = None,
    category_override_reason: str = "",
    **fields,
) -> HardshipCase:
    """Update the figures (and primary_cause) of an open case and suggest the category again, against
    this year's 低保 standard — the figures describe the household now.

    `category=None` keeps the current category. Whenever the kept or chosen category differs from
    the new suggestion a reason is needed; a reason given before still stands only while neither
    the category nor the suggestion has changed.
    """
    reject_unknown_fields(fields, FIGURE_FIELDS | {"primary_cause"})
    locked = lock_case(case)
    require_union_scope(by, locked.union)
    _require_open(locked)
    for name, value in fields.items():
        setattr(locked, name, value)
    year = today().year
    standard = min_living_standard(locked.union.federation, year)
    suggestion = _suggest(locked, standard)
    chosen = category if category is not None else locked.category
    reason = category_override_reason
    if not reason and chosen == locked.category and (suggestion or "") == locked.suggested_category:
        reason = locked.category_override_reason
    _apply_category(locked, chosen, reason, suggestion=suggestion, standard=standard, year=year)
    locked.full_clean()
    save_as(locked, by)
    return locked


@transaction.atomic
def hardship_case_review(
    *, case: HardshipCase, kind: str, reviewed_on: dt.date, by: User, notes: str = ""
) -> CaseReview:
    """初审, then 终审 by another person (four eyes: the one who checked the file first cannot also
    approve it), then 复核/回访 at least yearly. Every review moves last_reviewed_on."""
    locked = lock_case(case)
    require_union_scope(by, locked.union)
    _require_open(locked)
    require_not_future(reviewed_on, "reviewed_on")
    if reviewed_on < locked.opened_on:
        raise ValidationError({"reviewed_on": _("审核日期不能早于建档日期。")})
    if locked.last_reviewed_on and reviewed_on < locked.last_reviewed_on:
        raise ValidationError(
            {"reviewed_on": _("审核日期不能早于最近一次审核（%(d)s）。") % {"d": locked.last_reviewed_on}}
        )

    if kind == ReviewKind.INITIAL:
        if locked.initial_reviewed_on:
            raise ValidationError({"kind": _("该档案已经初审。")})
        locked.initial_reviewed_on, locked.initial_reviewed_by = reviewed_on, by
    elif kind == ReviewKind.FINAL:
        if not locked.initial_reviewed_on:
            raise ValidationError({"kind": _("请先完成初审，再进行终审。")})
        if locked.final_reviewed_on:
            raise ValidationError({"kind": _("该档案已经终审。")})
        if locked.initial_reviewed_by_id == by.pk:
            raise ValidationError({"kind": _("终审须由初审人以外的人员进行。")})
        locked.final_reviewed_on, locked.final_reviewed_by = reviewed_on, by
    elif kind == ReviewKind.ANNUAL:
        if not locked.final_reviewed_on:
            raise ValidationError({"kind": _("档案终审后才能复核/回访。")})
    else:
        raise ValidationError({"kind": _("审核类型不正确。")})

    review = CaseReview(case=locked, kind=kind, reviewed_on=reviewed_on, reviewed_by=by, notes=notes)
    review.full_clean()
    save_as(review, by)
    locked.last_reviewed_on = reviewed_on
    save_as(
        locked,
        by,
        update_fields=[
            "initial_reviewed_on",
            "initial_reviewed_by",
            "final_reviewed_on",
            "final_reviewed_by",
            "last_reviewed_on",
            "updated_at",
        ],
    )
    _copy_state(case, locked)
    return review


@transaction.atomic
def hardship_case_close(
    *, case: HardshipCase, status: str, closed_on: dt.date, reason: str, by: User
) -> HardshipCase:
    """结档: 已解困脱困 (the household is out of hardship) or 已退出 (left the file for another
    reason), with a reason."""
    locked = lock_case(case)
    require_union_scope(by, locked.union)
    _require_open(locked)
    if status not in CLOSING_STATUSES:
        raise ValidationError({"status": _("结档状态须为“已解困脱困”或“已退出”。")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写结档原因。")})
    require_not_future(closed_on, "closed_on")
    if closed_on < locked.opened_on:
        raise ValidationError({"closed_on": _("结档日期不能早于建档日期。")})
    locked.status, locked.closed_on, locked.close_reason = status, closed_on, reason
    locked.full_clean()
    save_as(locked, by, update_fields=["status", "closed_on", "close_reason", "updated_at"])
    _copy_state(case, locked)
    return case


def _suggest(case: HardshipCase, standard: Decimal | None) -> str | None:
    return suggest_category(
        annual_income=Decimal(case.annual_household_income or 0),
        rigid_expenses=Decimal(case.rigid_medical or 0) + Decimal(case.rigid_schooling or 0),
        household_size=case.household_size or 1,
        accident_costs=Decimal(case.accident_costs or 0),
        min_living_standard=standard,
    )


def _apply_category(
    case: HardshipCase,
    category: str | None,
    reason: str,
    *,
    suggestion: str | None,
    standard: Decimal | None,
    year: int,
) -> None:
    """Apply the caller's choice of category, refusing one that departs from the figures without a
    reason. With no 低保 standard on file the figures cannot be judged, so a chosen category needs
    no reason; with one, a category the figures do not support is an override like any other."""
    reason = (reason or "").strip()
    if category is None:
        if suggestion is None:
            if standard is None:
                message = _("未登记%(y)d年当地城市低保标准，系统无法建议类别，请选择困难类别。") % {"y": year}
            else:
                message = _("填写的收入和支出未达到任何困难类别的标准，请选择类别并填写认定理由。")
            raise ValidationError({"category": message})
        category = suggestion
    elif suggestion is not None and category != suggestion and not reason:
        raise ValidationError(
            {
                "category_override_reason": _("系统建议类别为“%(s)s”，所选类别与之不一致，请填写调整理由。")
                % {"s": HardshipCategory(suggestion).label}
            }
        )
    elif suggestion is None and standard is not None and not reason:
        raise ValidationError(
            {"category_override_reason": _("填写的收入和支出未达到任何困难类别的标准，请填写认定理由。")}
        )
    case.category = category
    case.suggested_category = suggestion or ""
    case.category_override_reason = reason


def _require_open(case: HardshipCase) -> None:
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("该档案已结档（%(s)s）。") % {"s": case.get_status_display()})


def _copy_state(original: HardshipCase, locked: HardshipCase) -> None:
    for field in (
        "status",
        "closed_on",
        "close_reason",
        "initial_reviewed_on",
        "initial_reviewed_by",
        "final_reviewed_on",
        "final_reviewed_by",
        "last_reviewed_on",
        "updated_at",
    ):
        setattr(original, field, getattr(locked, field))
