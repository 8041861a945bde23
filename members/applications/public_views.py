"""The public pages of 入会申请, without an account: the application form a join link opens, the
status page a receipt code opens (with the electronic member card once approved), and the card's
verification page. They tell a stranger nothing about who is a member: the form accepts every
well-formed application, the status page shows only what the applicant sent and what the union
decided, the verification page only 有效会员 / 非有效会员 with a masked name.

Answers: an unknown or forged token, an unknown receipt code — 404; a revoked or expired link — 410;
too many requests from one address or through one link — 429; each a short Chinese page."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from federation.service_errors import add_service_errors
from members.applications import throttle
from members.applications.forms import HONEYPOT, JoinApplicationForm
from members.applications.qr import qr_svg
from members.models import ApplicationStatus, JoinApplication
from members.models.applications import RETENTION_DAYS, mask_name
from members.services.applications import (
    join_application_submit,
    join_link_for_token,
    member_card_token,
    member_for_card_token,
    normalise_receipt,
)
from unions.choices import UnionStatus

logger = logging.getLogger(__name__)


# The short pages that answer instead of a form: (title, text, HTTP status).
NOTICES = {
    "too_many": (
        gettext_lazy("操作太频繁"),
        gettext_lazy("短时间内提交或查询的次数太多，请过一个小时再试；如有急事，请直接联系本单位工会。"),
        429,
    ),
    "bad_link": (
        gettext_lazy("链接无效"),
        gettext_lazy("这个入会申请链接无效。请核对链接，或向本单位工会索取新的二维码。"),
        404,
    ),
    "closed_link": (
        gettext_lazy("链接已停用"),
        gettext_lazy("这个入会申请链接已停用或已过期，不再接受申请。请向本单位工会索取新的二维码。"),
        410,
    ),
    "no_application": (
        gettext_lazy("没有找到申请"),
        gettext_lazy("没有找到该回执码的申请。请核对回执码；未通过或长期未审核的申请在90天后删除。"),
        404,
    ),
    "bad_card": (
        gettext_lazy("无法验证"),
        gettext_lazy("这个二维码不是本系统的电子会员证，或已损坏。"),
        404,
    ),
}


def _notice(request, key: str):
    title, text, status = NOTICES[key]
    return render(
        request, "members/applications/public_notice.html", {"title": title, "text": text}, status=status
    )


@never_cache
def join_form(request, token: str):
    """入会申请表 of one join link."""
    link = join_link_for_token(token)
    if link is None:
        return _notice(request, "bad_link")
    if not link.is_open_on(timezone.localdate()) or link.union.status != UnionStatus.ACTIVE:
        return _notice(request, "closed_link")
    form = JoinApplicationForm(request.POST or None, employer=link.union.employer_name)
    if request.method == "POST":
        if not throttle.submit_allowed(request, link.key):
            return _notice(request, "too_many")
        if request.POST.get(HONEYPOT):
            logger.info("join application honeypot filled on link %s", link.pk)
            return render(request, "members/applications/public_received.html", {"union": link.union})
        if form.is_valid():
            try:
                application = join_application_submit(
                    link=link, consented=form.cleaned_data["consent"], **form.answers()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("join:status", receipt=application.receipt)
    return render(
        request,
        "members/applications/public_form.html",
        {"form": form, "union": link.union, "retention_days": RETENTION_DAYS},
    )


@never_cache
def status_lookup(request):
    """查询申请进度 by a receipt code typed in."""
    code = request.GET.get("code")
    error = ""
    if code is not None:
        if not throttle.lookup_allowed(request):
            return _notice(request, "too_many")
        receipt = normalise_receipt(code)
        if receipt and JoinApplication.objects.filter(receipt=receipt).exists():
            return redirect("join:status", receipt=receipt)
        error = _("没有找到该回执码的申请，请核对后再试。")
    return render(request, "members/applications/public_lookup.html", {"code": code or "", "error": error})


@never_cache
def status(request, receipt: str):
    """申请进度 of one application; once approved, the electronic member card."""
    if not throttle.lookup_allowed(request):
        return _notice(request, "too_many")
    application = (
        JoinApplication.objects.select_related("union", "member", "member__union")
        .filter(receipt=normalise_receipt(receipt))
        .first()
    )
    if application is None:
        return _notice(request, "no_application")
    context = {"application": application, "masked_name": mask_name(application.name)}
    member = application.member if application.status == ApplicationStatus.APPROVED else None
    if member is not None:
        verify_url = request.build_absolute_uri(reverse("join:card", args=[member_card_token(member)]))
        context |= {
            "member": member,
            "verify_url": verify_url,
            "qr": qr_svg(verify_url, title=_("电子会员证验证二维码")),
        }
    return render(request, "members/applications/public_status.html", context)


@never_cache
def card(request, token: str):
    """电子会员证验证: 有效会员 or 非有效会员, a masked name and the union — nothing else."""
    if not throttle.lookup_allowed(request):
        return _notice(request, "too_many")
    member = member_for_card_token(token)
    if member is None:
        return _notice(request, "bad_card")
    return render(
        request,
        "members/applications/public_card.html",
        {"valid": member.is_live, "masked_name": mask_name(member.name), "union": member.union},
    )
