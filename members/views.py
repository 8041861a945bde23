"""Member pages: thin views. Reads come from federation.scoping, writes go through members.services;
a service's ValidationError goes back to the form's fields, its PermissionDenied becomes a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from federation import scoping
from federation.exports import base as exports
from federation.history import record_as
from federation.service_errors import add_service_errors
from members import services
from members.forms import (
    MemberJoinForm,
    MemberLeaveForm,
    MemberProfileForm,
    TransferRefuseForm,
    TransferRequestForm,
)
from members.lists import MEMBER_ROSTER, MEMBERS, ROSTER_LAYOUT
from members.models import HardshipCase, Member, MembershipChange, MembershipTransfer

REVEAL_REASON = "显示完整号码"


def _next_or(request, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
def member_list(request):
    if exports.wants_export(request):
        if request.GET.get("layout") == ROSTER_LAYOUT:
            # Full ID and phone numbers, or it could not be imported again.
            if not scoping.can_see_full_identifiers(request.user):
                raise PermissionDenied
            return MEMBER_ROSTER.export(request)
        return MEMBERS.export(request)
    return MEMBERS.render(
        request,
        full_identifiers=scoping.can_see_full_identifiers(request.user),
        roster_export=scoping.can_see_full_identifiers(request.user),
        may_add=scoping.may_write(request.user),
    )


def _detail_context(request, member: Member, **forms) -> dict:
    user = request.user
    changes = (
        scoping.visible(user, MembershipChange)
        .filter(member=member)
        .select_related("union", "counterpart_union", "recorded_by")
        .order_by("changed_on", "pk")
    )
    transfers = list(
        scoping.visible(user, MembershipTransfer)
        .filter(member=member)
        .select_related("from_union", "to_union", "requested_by")
        .order_by("-requested_on", "-pk")
    )
    # The member's hardship files, newest first, each with the aid given under it (one query).
    cases = (
        scoping.visible(user, HardshipCase)
        .filter(member=member)
        .select_related("union")
        .annotate(aid_count=Count("aid_records"), aid_amount=Sum("aid_records__amount"))
        .order_by("-opened_on", "-pk")
    )
    may_change = scoping.can_change(user, member)
    open_transfer = next((t for t in transfers if t.is_open), None)
    deciding = None
    if open_transfer is not None:
        deciding = scoping.can_act_for_union(user, open_transfer.awaiting_union)
    revealed = request.session.get("revealed_member") == member.pk and scoping.can_see_full_identifiers(user)
    return {
        "member": member,
        "changes": changes,
        "transfers": transfers,
        "cases": cases,
        "open_transfer": open_transfer,
        "may_decide": deciding,
        "may_change": may_change and member.is_live,
        "may_request_transfer": member.is_live and open_transfer is None and scoping.may_write(user),
        "full_identifiers": revealed,
        "may_reveal": scoping.can_see_full_identifiers(user),
        "leave_form": forms.get("leave_form") or MemberLeaveForm(),
        "transfer_form": forms.get("transfer_form") or TransferRequestForm(user=user, member=member),
        "refuse_form": forms.get("refuse_form") or TransferRefuseForm(),
    }


def _member(request, pk: int) -> Member:
    return scoping.get_visible_or_404(request.user, Member, pk=pk)


@login_required
def member_detail(request, pk: int):
    member = _member(request, pk)
    return render(request, "members/member_detail.html", _detail_context(request, member))


@login_required
def member_create(request):
    scoping.require_writer(request.user)
    form = MemberJoinForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        union, joined_on = data.pop("union"), data.pop("joined_on")
        try:
            member = services.member_join(union=union, by=request.user, joined_on=joined_on, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记会员“%(name)s”入会。") % {"name": member.name})
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/member_form.html", {"form": form})


def _render_action(request, member, *, action: str, form, status: int = 200, **extra):
    """申请转会 / 会员离会 / 拒绝转会 as a page of its own, at the URL the form posts to: a refused
    submission comes back here with the error summary at the top, and reloading or opening the
    address again shows the same form (never a 405)."""
    context = {"member": member, "action": action, "form": form, **extra}
    return render(request, "members/member_action.html", context, status=status)


@login_required
def member_leave(request, pk: int):
    member = _member(request, pk)
    scoping.require_writer(request.user)
    if request.method != "POST":
        if not (scoping.can_change(request.user, member) and member.is_live):
            return redirect("members:detail", pk=member.pk)
        return _render_action(request, member, action="leave", form=MemberLeaveForm())
    form = MemberLeaveForm(request.POST)
    if form.is_valid():
        try:
            entry = services.member_status_change(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已办理“%(change)s”。") % {"change": entry.get_change_type_display()})
            return redirect("members:detail", pk=member.pk)
    return _render_action(request, member, action="leave", form=form, status=400)


@login_required
def transfer_request(request, pk: int):
    member = _member(request, pk)
    scoping.require_writer(request.user)
    form = TransferRequestForm(request.POST or None, user=request.user, member=member)
    if request.method != "POST":
        if not member.is_live:
            return redirect("members:detail", pk=member.pk)
        return _render_action(request, member, action="transfer", form=form)
    if form.is_valid():
        try:
            transfer = services.transfer_request(
                member=member,
                to_union=form.cleaned_data["to_union"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, transfer_next_step(request.user, transfer))
            return redirect("members:detail", pk=member.pk)
    return _render_action(request, member, action="transfer", form=form, status=400)


def transfer_next_step(user, transfer: MembershipTransfer) -> str:
    """After 申请转会: who acts next, by name — and when that is the user's own union, where to do it."""
    union = transfer.awaiting_union
    if transfer.awaits_approval:
        if scoping.can_act_for_union(user, union):
            return _("已提交转会申请。下一步由转出工会“%(union)s”审批转出，由您办理：请在待办中审批。") % {
                "union": union.name
            }
        return _("已提交转会申请，等待转出工会“%(union)s”审批转出。") % {"union": union.name}
    if scoping.can_act_for_union(user, union):
        return _("已提交转会申请。下一步由转入工会“%(union)s”接收转入，由您办理：请在待办中审批。") % {
            "union": union.name
        }
    return _("已提交转会申请，等待转入工会“%(union)s”接收转入。") % {"union": union.name}


def _transfer(request, pk: int) -> MembershipTransfer:
    """A transfer to act on: another scope's is a 404, a reader's request a 403 (before any form)."""
    transfer = scoping.get_visible_or_404(request.user, MembershipTransfer, pk=pk)
    scoping.require_writer(request.user)
    return transfer


def _transfer_action(request, pk: int, action, success: str, **kwargs):
    transfer = _transfer(request, pk)
    try:
        action(transfer=transfer, by=request.user, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(_next_or(request, reverse("members:detail", args=[transfer.member_id])))


@login_required
@require_POST
def transfer_approve(request, pk: int):
    return _transfer_action(request, pk, services.transfer_approve, _("已同意转出，等待转入工会接收。"))


@login_required
@require_POST
def transfer_accept(request, pk: int):
    return _transfer_action(request, pk, services.transfer_accept, _("已接收转入，会员已转到本工会。"))


@login_required
def transfer_refuse(request, pk: int):
    transfer = _transfer(request, pk)
    member = scoping.get_visible_or_404(request.user, Member, pk=transfer.member_id)
    if request.method != "POST":
        if not transfer.is_open:
            return redirect("members:detail", pk=member.pk)
        return _render_action(request, member, action="refuse", form=TransferRefuseForm(), transfer=transfer)
    form = TransferRefuseForm(request.POST)
    if not form.is_valid():
        return _render_action(request, member, action="refuse", form=form, transfer=transfer, status=400)
    return _transfer_action(
        request, pk, services.transfer_refuse, _("已拒绝该转会申请。"), reason=form.cleaned_data["reason"]
    )


@login_required
@require_POST
def member_reveal(request, pk: int):
    """显示完整号码: for users with the permission, shows one member's full ID and phone on the next
    page and writes who looked into the member's history (simple_history, with a change reason)."""
    if not scoping.can_see_full_identifiers(request.user):
        raise PermissionDenied
    member = _member(request, pk)
    record_as(member, request.user, reason=str(REVEAL_REASON))
    member.save(update_fields=["updated_at"])
    request.session["revealed_member"] = member.pk
    return redirect("members:detail", pk=member.pk)


@login_required
def member_edit(request, pk: int):
    """Another scope's member is a 404; a reader (the chair) gets a 403."""
    user = request.user
    member = scoping.get_writable_or_404(user, Member, pk=pk)
    form = MemberProfileForm(
        request.POST or None, instance=member, full_identifiers=scoping.can_see_full_identifiers(user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(member=member, by=user, **form.changes())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存会员“%(name)s”的资料。") % {"name": form.cleaned_data["name"]})
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/member_edit.html", {"form": form, "member": member})
