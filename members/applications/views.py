"""Staff pages of 入会申请: the review list (with batch approval), one application with its findings
and the approve / reject actions, and the join links with their printable poster. Thin views: reads
from federation.scoping and members.applications.selectors, writes through
members.services.applications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from federation import scoping
from federation.lists.paging import list_page, query_without_page
from federation.service_errors import add_service_errors
from members.applications.forms import JoinLinkForm, RejectForm
from members.applications.qr import qr_svg
from members.applications.selectors import applications_to_review, findings_for
from members.batch_views import _ids
from members.models import ApplicationStatus, JoinApplication, JoinLink
from members.services import applications as services

STATUS_FILTERS = {
    "pending": ApplicationStatus.PENDING,
    "approved": ApplicationStatus.APPROVED,
    "rejected": ApplicationStatus.REJECTED,
}


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def _show_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def application_list(request):
    """入会申请: pending ones first (the default), with what the review finds about each."""
    shown = request.GET.get("status", "pending")
    queryset = scoping.visible(request.user, JoinApplication).select_related("union")
    if shown in STATUS_FILTERS:
        queryset = queryset.filter(status=STATUS_FILTERS[shown])
    else:
        shown = "all"
    page = list_page(request, queryset.order_by("-created_at", "-pk"))
    findings = findings_for(request.user, page.object_list)
    for application in page.object_list:
        application.findings = findings[application.pk]
    return render(
        request,
        "members/applications/application_list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "shown": shown,
            "may_review": scoping.may_write(request.user),
            "full_identifiers": scoping.can_see_full_identifiers(request.user),
        },
    )


def _detail(request, application: JoinApplication, reject_form: RejectForm):
    """The application, what the review finds, and (while it waits) the approve and reject forms."""
    return render(
        request,
        "members/applications/application_detail.html",
        {
            "application": application,
            "findings": findings_for(request.user, [application])[application.pk],
            "may_review": application.is_pending and scoping.can_change(request.user, application),
            "reject_form": reject_form,
            "full_identifiers": scoping.can_see_full_identifiers(request.user),
        },
    )


@login_required
def application_detail(request, pk: int):
    application = scoping.get_visible_or_404(request.user, JoinApplication, pk=pk)
    return _detail(request, application, RejectForm())


@login_required
@require_POST
def application_approve(request, pk: int):
    application = scoping.get_writable_or_404(request.user, JoinApplication, pk=pk)
    detail = reverse("applications:detail", args=[application.pk])
    try:
        member = services.join_application_approve(application=application, by=request.user)
    except ValidationError as exc:
        _show_errors(request, exc)
        return redirect(detail)
    messages.success(
        request,
        _("已通过“%(name)s”的入会申请，会员证号 %(number)s。")
        % {"name": member.name, "number": member.member_number},
    )
    return redirect(_next_or(request, detail))


@login_required
@require_POST
def application_reject(request, pk: int):
    application = scoping.get_writable_or_404(request.user, JoinApplication, pk=pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.join_application_reject(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已将“%(name)s”的入会申请标为未通过。") % {"name": application.name})
            return redirect("applications:list")
    return _detail(request, application, form)


@login_required
@require_POST
def application_approve_many(request):
    scoping.require_writer(request.user)
    ids = _ids(request.POST.getlist("application"))
    chosen = list(applications_to_review(request.user).filter(pk__in=ids)) if ids else []
    if ids is None or len(chosen) != len(ids) or not chosen:
        messages.error(
            request, _("请选择待审核的申请；所选的申请中有已审核或不归您审核的，请核对后重新选择。")
        )
    else:
        try:
            services.join_applications_approve_many(applications=chosen, by=request.user)
        except ValidationError as exc:
            _show_errors(request, exc)
            messages.error(request, _("因以上原因，所选申请一项也未通过。"))
        else:
            messages.success(request, _("已通过%(n)s份入会申请。") % {"n": len(chosen)})
    return redirect(reverse("applications:list"))


# --- join links ---------------------------------------------------------------------------------------


@login_required
def link_list(request):
    """入会二维码: the links of the unions in scope, newest first, and a form for a new one."""
    links = scoping.visible(request.user, JoinLink).select_related("union").order_by("-created_at", "-pk")
    may_write = scoping.may_write(request.user)
    return render(
        request,
        "members/applications/link_list.html",
        {
            "page": list_page(request, links),
            "query": query_without_page(request),
            "form": JoinLinkForm(user=request.user) if may_write else None,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def link_create(request):
    scoping.require_writer(request.user)
    form = JoinLinkForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            link = services.join_link_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已为“%(union)s”创建入会申请链接。") % {"union": link.union})
            return redirect("applications:poster", pk=link.pk)
    links = scoping.visible(request.user, JoinLink).select_related("union").order_by("-created_at", "-pk")
    return render(
        request,
        "members/applications/link_list.html",
        {"page": list_page(request, links), "query": "", "form": form, "today": timezone.localdate()},
    )


@login_required
@require_POST
def link_revoke(request, pk: int):
    link = scoping.get_writable_or_404(request.user, JoinLink, pk=pk)
    services.join_link_revoke(link=link, by=request.user)
    messages.success(request, _("已停用该入会申请链接，扫码将看到“链接已停用”。"))
    return redirect("applications:links")


@login_required
def link_poster(request, pk: int):
    """入会二维码海报 (A4): the union's name, the QR code of the link and the link itself."""
    link = scoping.get_visible_or_404(request.user, JoinLink, pk=pk)
    if link.is_revoked:
        raise Http404
    url = request.build_absolute_uri(reverse("join:form", args=[services.join_link_token(link)]))
    return render(
        request,
        "members/applications/link_poster.html",
        {
            "link": link,
            "url": url,
            "qr": qr_svg(url, title=_("入会申请二维码"), scale=8),
            "printed_on": timezone.localdate(),
        },
    )
