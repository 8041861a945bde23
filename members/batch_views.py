"""Batch actions of the member and aid pages: approve the transfers waiting on the user in one step,
and record 节日慰问 for members picked from the member list. The views parse the choice and call one
service (members.services.batches), which writes every record or none."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from federation import scoping
from federation.lists.paging import list_page, query_without_page
from federation.service_errors import add_service_errors
from members import services
from members.hardship.forms import FestivalAidForm
from members.selectors import transfers_awaiting_user


def _ids(values: list[str]) -> set[int] | None:
    """The record numbers ticked, or None when one is not a number (a tampered form)."""
    try:
        return {int(value) for value in values}
    except (TypeError, ValueError):
        return None


@login_required
def transfer_batch(request):
    """待办会籍转接: every transfer whose turn it is for a union the user keeps, ticked and approved
    (转出审批 or 转入接收, each in its turn) in one step."""
    waiting = transfers_awaiting_user(request.user)
    if request.method == "POST":
        scoping.require_writer(request.user)
        ids = _ids(request.POST.getlist("transfer"))
        chosen = list(waiting.filter(pk__in=ids)) if ids else []
        if ids is None or len(chosen) != len(ids):
            messages.error(request, _("所选的转接中有已被办理或不归您办理的，请核对后重新选择。"))
        else:
            try:
                services.transfers_approve_many(transfers=chosen, by=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
                messages.error(request, _("因以上原因，所选转接一项也未办理。"))
            else:
                messages.success(request, _("已同意%(n)s项会籍转接。") % {"n": len(chosen)})
        return redirect(reverse("members:transfer-batch"))
    return render(
        request,
        "members/transfer_batch.html",
        {"page": list_page(request, waiting), "query": query_without_page(request)},
    )


@login_required
def aid_festival(request):
    """批量节日慰问: the members ticked on the member list (?members=…) receive the same 节日慰问."""
    scoping.require_writer(request.user)
    if request.method == "POST":
        form = FestivalAidForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                records = services.aid_festival_record_many(by=request.user, **form.service_arguments())
            except ValidationError as exc:
                add_service_errors(form, exc)
                form.add_error(None, _("因以上原因，本次慰问一条也未登记，请修改后重新提交。"))
            else:
                messages.success(request, _("已为%(n)s名会员登记节日慰问(送温暖)。") % {"n": len(records)})
                return redirect(reverse("hardship:aid-list") + "?kind=festival")
    else:
        form = FestivalAidForm(initial={"members": request.GET.getlist("members")}, user=request.user)
    chosen = form.fields["members"].queryset.filter(pk__in=_ids(_chosen_values(form)) or [])
    return render(
        request,
        "members/aid/aid_festival.html",
        {"form": form, "chosen": chosen.order_by("name", "pk")[:500]},
    )


def _chosen_values(form) -> list[str]:
    if form.is_bound:
        return form.data.getlist("members")
    return [str(value) for value in form.initial.get("members", [])]
