"""Hardship-case (困难职工档案) and aid (帮扶记录) pages: thin views. Reads come from federation.scoping,
writes go through members.services; a service's ValidationError goes back beside the form's fields,
its PermissionDenied becomes a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from federation import scoping
from federation.exports import base as exports
from federation.service_errors import add_service_errors
from members import services
from members.choices import CaseStatus
from members.hardship.forms import (
    AidRecordEditForm,
    AidRecordForm,
    CaseCloseForm,
    CaseDocumentForm,
    CaseReviewForm,
    HardshipCaseFiguresForm,
    HardshipCaseOpenForm,
    HouseholdFormSet,
    household_rows,
)
from members.lists import AID_RECORDS, HARDSHIP_CASES
from members.models import AidRecord, CaseDocument, CaseReview, HardshipCase, HouseholdMember

# --- 困难职工档案 -----------------------------------------------------------------------------


@login_required
def case_list(request):
    if exports.wants_export(request):
        return HARDSHIP_CASES.export(request)
    return HARDSHIP_CASES.render(
        request,
        full_identifiers=scoping.can_see_full_identifiers(request.user),
        may_add=scoping.may_write(request.user),
    )


def _case(request, pk: int) -> HardshipCase:
    return scoping.get_visible_or_404(request.user, HardshipCase, pk=pk)


def _case_context(request, case: HardshipCase, **forms) -> dict:
    user = request.user
    may_change = case.status == CaseStatus.OPEN and scoping.can_change(user, case)
    return {
        "case": case,
        "member": case.member,
        "household": scoping.visible(user, HouseholdMember).filter(case=case),
        "reviews": scoping.visible(user, CaseReview).filter(case=case).select_related("reviewed_by"),
        "aid_records": scoping.visible(user, AidRecord).filter(hardship_case=case),
        "documents": scoping.visible(user, CaseDocument).filter(case=case).select_related("uploaded_by"),
        "document_form": forms.get("document_form") or CaseDocumentForm(),
        "full_identifiers": scoping.can_see_full_identifiers(user),
        "may_change": may_change,
        "may_add_aid": scoping.can_change(user, case),
        "review_form": forms.get("review_form") or CaseReviewForm(case=case),
        "close_form": forms.get("close_form") or CaseCloseForm(),
    }


@login_required
def case_detail(request, pk: int):
    case = _case(request, pk)
    return render(request, "members/hardship/case_detail.html", _case_context(request, case))


@login_required
def case_create(request):
    scoping.require_writer(request.user)
    data = request.POST if request.method == "POST" else None
    initial = {"member": request.GET.get("member")} if request.GET.get("member") else None
    form = HardshipCaseOpenForm(data, user=request.user, initial=initial)
    household = HouseholdFormSet(data, prefix="household")
    if request.method == "POST" and form.is_valid() & household.is_valid():
        try:
            case = services.hardship_case_open(
                by=request.user, household=household_rows(household), **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已为“%(name)s”建立困难职工档案。") % {"name": case.member.name})
            return redirect("hardship:detail", pk=case.pk)
    chosen = None
    if not form.is_bound and initial:
        chosen = form.fields["member"].queryset.filter(pk=initial["member"]).first()
    elif form.is_bound and form.is_valid():
        chosen = form.cleaned_data.get("member")
    return render(
        request,
        "members/hardship/case_form.html",
        {"form": form, "household": household, "chosen": chosen},
    )


@login_required
def case_edit(request, pk: int):
    """更新档案数据 through hardship_case_update_figures (an open case only)."""
    case = _case(request, pk)
    scoping.require_writer(request.user)
    if not scoping.can_change(request.user, case):
        raise Http404
    if case.status != CaseStatus.OPEN:
        messages.error(request, _("档案已结档，不能再修改。"))
        return redirect("hardship:detail", pk=case.pk)
    form = HardshipCaseFiguresForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        category = data.pop("category")
        reason = data.pop("category_override_reason")
        try:
            services.hardship_case_update_figures(
                case=case, by=request.user, category=category, category_override_reason=reason, **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("档案数据已更新。"))
            return redirect("hardship:detail", pk=case.pk)
    return render(request, "members/hardship/case_edit.html", {"form": form, "case": case})


def _render_case_with(request, case, **forms):
    return render(
        request, "members/hardship/case_detail.html", _case_context(request, case, **forms), status=400
    )


@login_required
@require_POST
def case_review(request, pk: int):
    case = _case(request, pk)
    scoping.require_writer(request.user)
    form = CaseReviewForm(request.POST)
    if form.is_valid():
        try:
            review = services.hardship_case_review(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已记录%(kind)s。") % {"kind": review.get_kind_display()})
            return redirect("hardship:detail", pk=case.pk)
    return _render_case_with(request, case, review_form=form)


@login_required
@require_POST
def case_close(request, pk: int):
    case = _case(request, pk)
    scoping.require_writer(request.user)
    form = CaseCloseForm(request.POST)
    if form.is_valid():
        try:
            services.hardship_case_close(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("档案已结档。"))
            return redirect("hardship:detail", pk=case.pk)
    return _render_case_with(request, case, close_form=form)


# --- 帮扶记录 ------------------------------------------------------------------------------------


@login_required
def aid_list(request):
    if exports.wants_export(request):
        return AID_RECORDS.export(request)
    # The page's totals are those of the whole filtered set (AID_RECORDS.totals).
    return AID_RECORDS.render(
        request,
        full_identifiers=scoping.can_see_full_identifiers(request.user),
        may_add=scoping.may_write(request.user),
    )


@login_required
def aid_create(request):
    scoping.require_writer(request.user)
    data = request.POST if request.method == "POST" else None
    initial = {key: request.GET[key] for key in ("member", "hardship_case") if request.GET.get(key)}
    form = AidRecordForm(data, user=request.user, initial=initial or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.aid_record_create(by=request.user, **form.service_arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已为“%(name)s”登记%(kind)s。")
                % {"name": record.member.name, "kind": record.get_kind_display()},
            )
            if record.hardship_case_id:
                return redirect("hardship:detail", pk=record.hardship_case_id)
            return redirect("hardship:aid-list")
    chosen_case = chosen = None
    if form.is_bound:
        if form.is_valid():
            chosen, chosen_case = form.cleaned_data.get("member"), form.cleaned_data.get("hardship_case")
    else:
        if initial.get("hardship_case"):
            cases = form.fields["hardship_case"].queryset.select_related("member")
            chosen_case = cases.filter(pk=initial["hardship_case"]).first()
            chosen = chosen_case.member if chosen_case else None
        elif initial.get("member"):
            chosen = form.fields["member"].queryset.filter(pk=initial["member"]).first()
    return render(
        request, "members/aid/aid_form.html", {"form": form, "chosen": chosen, "chosen_case": chosen_case}
    )


def _aid_record(request, pk: int) -> AidRecord:
    related = AidRecord.objects.select_related("member", "union", "hardship_case", "recorded_by")
    return get_object_or_404(scoping.visible(request.user, AidRecord, related), pk=pk)


@login_required
def aid_detail(request, pk: int):
    record = _aid_record(request, pk)
    return render(
        request,
        "members/aid/aid_detail.html",
        {
            "record": record,
            "member": record.member,
            "full_identifiers": scoping.can_see_full_identifiers(request.user),
            "may_change": scoping.can_change(request.user, record),
        },
    )


@login_required
def aid_edit(request, pk: int):
    scoping.get_writable_or_404(request.user, AidRecord, pk=pk)
    record = _aid_record(request, pk)
    form = AidRecordEditForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.aid_record_update(record=record, by=request.user, **form.service_arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("帮扶记录已保存。"))
            return redirect("hardship:aid-detail", pk=record.pk)
    return render(request, "members/aid/aid_edit.html", {"form": form, "record": record})
