"""Federation pages: the tree in scope, one federation with its 年度基本情况, and the forms for them.

Reads come from federation.scoping. A union cadre sees no federation record, so every page here is a
404 for them, as for another scope's federation; the chair reads and gets a 403 on the forms.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from federation import scoping
from federation.exports import base as exports
from federation.federations.forms import FederationForm, FederationYearForm
from federation.federations.lists import FEDERATIONS
from federation.history import record_as
from federation.models import Federation, FederationYear

# unions.choices.UnionStatus.ACTIVE (正常); the unions app sits above this one.
ACTIVE_UNION_STATUS = "active"


def _writable_or_404(request, pk: int) -> Federation:
    """Another scope's federation is a 404; a reader (the chair) gets a 403."""
    return scoping.get_writable_or_404(request.user, Federation, pk=pk)


@login_required
def federation_list(request):
    if not scoping.sees_federations(request.user):
        raise Http404
    if exports.wants_export(request):
        return FEDERATIONS.export(request)
    # The tree in scope is shown whole: no filters, no pages. A city has 400 federations: their links
    # are made from one reversed URL, not reversed 400 times.
    federations = list(FEDERATIONS.records(request.user))
    detail = reverse("federations:detail", args=[0]).removesuffix("0/")
    for federation in federations:
        federation.detail_url = f"{detail}{federation.pk}/"
    return render(request, FEDERATIONS.template, {"federations": federations})


@login_required
def federation_detail(request, pk: int):
    user = request.user
    federation = scoping.get_visible_or_404(user, Federation, pk=pk)
    children = (
        scoping.visible(user, Federation)
        .filter(parent=federation)
        .annotate(union_count=Count("unions"))
        .order_by("path")
    )
    years = scoping.visible(user, FederationYear).filter(federation=federation).order_by("-year")
    # Every union ever under the federation, and of them those still 正常 — the ones the 工作台 and
    # the summary count as 基层工会数 — so that the two figures are not read as disagreeing.
    unions = federation.unions.aggregate(
        all=Count("pk"), active=Count("pk", filter=Q(status=ACTIVE_UNION_STATUS))
    )
    return render(
        request,
        "federation/federations/federation_detail.html",
        {
            "federation": federation,
            "children": children,
            "years": years,
            "union_count": unions["all"],
            "active_union_count": unions["active"],
            "summary_year": timezone.localdate().year - 1,
            "may_change": scoping.can_change(user, federation),
            "full_identifiers": scoping.can_see_full_identifiers(user),
        },
    )


@login_required
def federation_edit(request, pk: int):
    """编辑基本信息, for staff of this federation or of one above it."""
    federation = _writable_or_404(request, pk)
    form = FederationForm(
        request.POST or None,
        instance=federation,
        full_identifiers=scoping.can_see_full_identifiers(request.user),
    )
    if request.method == "POST" and form.is_valid():
        record_as(form.instance, request.user)
        saved = form.save()
        messages.success(request, _("已保存“%(name)s”的基本信息。") % {"name": saved.name})
        return redirect("federations:detail", pk=federation.pk)
    return render(
        request, "federation/federations/federation_form.html", {"form": form, "federation": federation}
    )


def _year_form(request, federation: Federation, year: FederationYear | None):
    form = FederationYearForm(request.POST or None, instance=year, federation=federation)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        record_as(saved, request.user)
        saved.save()
        messages.success(request, _("已保存%(year)s年度基本情况。") % {"year": saved.year})
        return redirect("federations:detail", pk=federation.pk)
    return render(
        request,
        "federation/federations/federation_year_form.html",
        {"form": form, "federation": federation, "year": year},
    )


@login_required
def federation_year_create(request, pk: int):
    return _year_form(request, _writable_or_404(request, pk), None)


@login_required
def federation_year_edit(request, pk: int, year_pk: int):
    federation = _writable_or_404(request, pk)
    year = scoping.get_visible_or_404(request.user, FederationYear, pk=year_pk, federation=federation)
    return _year_form(request, federation, year)
