"""Union and contract pages: thin views. Reads come from federation.scoping; the 换届选举 goes
through unions.services; another scope's record is a 404, a reader's write a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from federation import scoping
from federation.exports import base as exports
from federation.models import Federation
from federation.service_errors import add_service_errors
from federation.uploads.serving import file_response
from federation.years import valid_year
from unions import closing, services
from unions.choices import UnionStatus
from unions.filters import UnionFilter
from unions.forms import (
    ContractForm,
    ElectionForm,
    ScanForm,
    UnionCreateForm,
    UnionDissolveForm,
    UnionEditForm,
    UnionHonourForm,
    UnionMergeForm,
    UnionYearForm,
)
from unions.imports.year_sheet import year_sheet_workbook
from unions.lists import CONTRACTS, UNIONS
from unions.models import CollectiveContract, Election, GrassrootsUnion, UnionHonour, UnionYear
from unions.selectors import contract_covers_q, election_flags


def _writable_or_404(request, model, pk: int):
    return scoping.get_writable_or_404(request.user, model, pk=pk)


def _may_create_union(user) -> bool:
    return scoping.may_write(user) and scoping.owned(user, Federation).exists()


# ---- 基层工会 ----


@login_required
def union_list(request):
    if exports.wants_export(request):
        return UNIONS.export(request)
    return UNIONS.render(
        request,
        may_add=_may_create_union(request.user),
        may_download_year_sheet=_may_download_year_sheet(request.user),
        year_sheet_year=timezone.localdate().year,
    )


def _may_download_year_sheet(user) -> bool:
    """Federation staff fill the sheet; the chair may download it too, to read (importing it back is
    refused to a reader by the import services). A union cadre keeps its figures on the union page."""
    return scoping.sees_federations(user)


def _sheet_year(value: str | None) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(value or this_year)
    except ValueError:
        return this_year
    return year if valid_year(year) else this_year


@login_required
def union_year_sheet(request):
    """年度职工情况填报表: the unions of the list (its filters applied; active ones unless a status is
    chosen) with the figures on file for ?year=, to fill and import back."""
    if not _may_download_year_sheet(request.user):
        raise PermissionDenied
    year = _sheet_year(request.GET.get("year"))
    queryset = scoping.visible(request.user, GrassrootsUnion)
    if not request.GET.get("status"):
        queryset = queryset.filter(status=UnionStatus.ACTIVE)
    unions = UnionFilter(request.GET, queryset=queryset, request=request).qs
    if not request.GET.get("sort"):
        unions = unions.order_by("federation__path", "name", "pk")
    response = HttpResponse(year_sheet_workbook(unions, year), content_type=exports.XLSX_CONTENT_TYPE)
    filename = _("年度职工情况填报表-%(year)d.xlsx") % {"year": year}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _union_context(request, union: GrassrootsUnion, **forms) -> dict:
    user = request.user
    contracts = (
        scoping.visible(user, CollectiveContract)
        .filter(contract_covers_q(union))
        .select_related("union", "federation")
        .order_by("-ends_on", "-pk")
    )
    may_change = scoping.can_change(user, union)
    may_close = union.status == UnionStatus.ACTIVE and closing.can_close_union(user, union)
    return {
        "union": union,
        "years": scoping.visible(user, UnionYear).filter(union=union).order_by("-year"),
        "elections": scoping.visible(user, Election)
        .filter(union=union)
        .select_related("recorded_by")
        .order_by("-held_on"),
        "honours": scoping.visible(user, UnionHonour).filter(union=union).order_by("-year", "-pk"),
        "member_count": union.members.live().count(),
        "contracts": contracts,
        "may_change": may_change,
        "full_identifiers": scoping.can_see_full_identifiers(user),
        **election_flags(union, timezone.localdate()),
        "election_form": forms.get("election_form") or ElectionForm(),
        "may_close": may_close,
        "dissolve_form": forms.get("dissolve_form") or UnionDissolveForm(),
        "merge_form": forms.get("merge_form")
        or (UnionMergeForm(user=user, union=union) if may_close else None),
    }


@login_required
def union_detail(request, pk: int):
    union = scoping.get_visible_or_404(request.user, GrassrootsUnion, pk=pk)
    return render(request, "unions/union_detail.html", _union_context(request, union))


@login_required
def union_create(request):
    if not _may_create_union(request.user):
        raise PermissionDenied
    form = UnionCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        union = form.save()
        messages.success(request, _("已新建基层工会“%(name)s”。") % {"name": union.name})
        return redirect("unions:detail", pk=union.pk)
    return render(request, "unions/union_form.html", {"form": form, "union": None})


@login_required
def union_edit(request, pk: int):
    union = _writable_or_404(request, GrassrootsUnion, pk)
    form = UnionEditForm(
        request.POST or None,
        instance=union,
        full_identifiers=scoping.can_see_full_identifiers(request.user),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("已保存“%(name)s”的信息。") % {"name": union.name})
        return redirect("unions:detail", pk=union.pk)
    return render(request, "unions/union_form.html", {"form": form, "union": union})


@login_required
@require_POST
def union_election(request, pk: int):
    union = _writable_or_404(request, GrassrootsUnion, pk)
    form = ElectionForm(request.POST)
    if form.is_valid():
        try:
            services.election_record(union=union, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已登记换届选举，下次应换届日期为%(due)s。") % {"due": f"{union.election_due_on:%Y-%m-%d}"},
            )
            return redirect("unions:detail", pk=union.pk)
    context = _union_context(request, union, election_form=form)
    return render(request, "unions/union_detail.html", context, status=400)


def _union_closing_to(request, pk: int) -> GrassrootsUnion:
    """The union to dissolve or merge: another scope's is a 404, a reader's or a union cadre's
    request a 403 (the decision belongs to the federation above)."""
    union = _writable_or_404(request, GrassrootsUnion, pk)
    if not closing.can_close_union(request.user, union):
        raise PermissionDenied
    return union


@login_required
@require_POST
def union_dissolve(request, pk: int):
    union = _union_closing_to(request, pk)
    form = UnionDissolveForm(request.POST)
    if form.is_valid():
        try:
            closing.union_dissolve(union=union, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已撤销“%(name)s”。") % {"name": union.name})
            return redirect("unions:detail", pk=union.pk)
    context = _union_context(request, union, dissolve_form=form)
    return render(request, "unions/union_detail.html", context, status=400)


@login_required
@require_POST
def union_merge(request, pk: int):
    union = _union_closing_to(request, pk)
    form = UnionMergeForm(request.POST, user=request.user, union=union)
    if form.is_valid():
        try:
            moved = closing.union_merge(union=union, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已将“%(name)s”合并到“%(into)s”，转入会员%(n)s人。")
                % {"name": union.name, "into": form.cleaned_data["into"].name, "n": moved},
            )
            return redirect("unions:detail", pk=form.cleaned_data["into"].pk)
    context = _union_context(request, union, merge_form=form)
    return render(request, "unions/union_detail.html", context, status=400)


def _union_year_form(request, union: GrassrootsUnion, year: UnionYear | None):
    form = UnionYearForm(request.POST or None, instance=year, union=union)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("已保存%(year)s年度职工情况。") % {"year": saved.year})
        return redirect("unions:detail", pk=union.pk)
    return render(request, "unions/union_year_form.html", {"form": form, "union": union, "year": year})


@login_required
def union_year_create(request, pk: int):
    union = _writable_or_404(request, GrassrootsUnion, pk)
    return _union_year_form(request, union, None)


@login_required
def union_year_edit(request, pk: int, year_pk: int):
    union = _writable_or_404(request, GrassrootsUnion, pk)
    year = scoping.get_changeable_or_404(request.user, UnionYear, pk=year_pk, union=union)
    return _union_year_form(request, union, year)


@login_required
def union_honour_create(request, pk: int):
    union = _writable_or_404(request, GrassrootsUnion, pk)
    form = UnionHonourForm(request.POST or None, union=union)
    if request.method == "POST" and form.is_valid():
        honour = form.save()
        messages.success(request, _("已登记荣誉“%(title)s”。") % {"title": honour.get_title_display()})
        return redirect("unions:detail", pk=union.pk)
    return render(request, "unions/union_honour_form.html", {"form": form, "union": union})


# ---- 集体合同 ----


def _may_create_contract(user) -> bool:
    return scoping.may_write(user) and (
        scoping.owned(user, GrassrootsUnion).exists() or scoping.owned(user, Federation).exists()
    )


@login_required
def contract_list(request):
    if exports.wants_export(request):
        return CONTRACTS.export(request)
    return CONTRACTS.render(
        request,
        may_add=_may_create_contract(request.user),
    )


def _contract_context(request, contract: CollectiveContract, scan_form=None) -> dict:
    covered = scoping.visible(request.user, GrassrootsUnion).filter(regional_contracts=contract)
    return {
        "contract": contract,
        "covered": covered.select_related("federation").order_by("name"),
        # The covered unions outside the user's scope are counted, not named.
        "covered_total": contract.covered_unions.count(),
        "may_change": scoping.can_change(request.user, contract),
        "scan_form": scan_form or ScanForm(),
    }


@login_required
def contract_detail(request, pk: int):
    contract = scoping.get_visible_or_404(request.user, CollectiveContract, pk=pk)
    return render(request, "unions/contract_detail.html", _contract_context(request, contract))


@login_required
@require_POST
def contract_scan_upload(request, pk: int):
    contract = _writable_or_404(request, CollectiveContract, pk)
    form = ScanForm(request.POST, request.FILES)
    if form.is_valid():
        contract.scan = form.cleaned_data["scan"]
        contract.save(update_fields=["scan", "scan_name", "updated_at"])
        messages.success(request, _("已上传合同扫描件。"))
        return redirect("unions:contract-detail", pk=contract.pk)
    context = _contract_context(request, contract, scan_form=form)
    return render(request, "unions/contract_detail.html", context, status=400)


def _contract_form(request, contract: CollectiveContract | None, initial=None):
    form = ContractForm(
        request.POST or None, request.FILES or None, instance=contract, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("已保存集体合同“%(title)s”。") % {"title": saved.title})
        return redirect("unions:contract-detail", pk=saved.pk)
    return render(request, "unions/contract_form.html", {"form": form, "contract": contract})


@login_required
def contract_create(request):
    if not _may_create_contract(request.user):
        raise PermissionDenied
    # From a union's page the union is chosen already (the form's choices stay scoped).
    initial = {"union": request.GET["union"]} if request.GET.get("union", "").isdigit() else None
    return _contract_form(request, None, initial)


@login_required
def contract_edit(request, pk: int):
    return _contract_form(request, _writable_or_404(request, CollectiveContract, pk))


@login_required
def contract_scan(request, pk: int):
    """The scan, served only to those who may see the contract (there is no public media URL), under
    the name it was uploaded with."""
    contract = scoping.get_visible_or_404(request.user, CollectiveContract, pk=pk)
    return file_response(contract.scan, filename=contract.scan.original_name, as_attachment=False, sniff=True)
