"""Print views (A4, templates/federation/print_base.html): 会员登记表 of one member and the hardship
file 一户一档 of one case with its aid history. Each finds its record through federation.scoping (a
404 for another tenant's) and shows full ID and phone numbers only where the detail page would: after
显示完整号码, which the member's history records."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone

from federation import scoping
from members.models import (
    AidRecord,
    CaseDocument,
    CaseReview,
    HardshipCase,
    HouseholdMember,
    Member,
    MembershipChange,
)


def _full_identifiers(request, member: Member) -> bool:
    return request.session.get("revealed_member") == member.pk and scoping.can_see_full_identifiers(
        request.user
    )


@login_required
def member_print(request, pk: int):
    """会员登记表."""
    user = request.user
    member = scoping.get_visible_or_404(user, Member, pk=pk)
    changes = (
        scoping.visible(user, MembershipChange)
        .filter(member=member)
        .select_related("union", "counterpart_union")
        .order_by("changed_on", "pk")
    )
    return render(
        request,
        "members/member_print.html",
        {
            "member": member,
            "changes": changes,
            "full_identifiers": _full_identifiers(request, member),
            "printed_on": timezone.localdate(),
        },
    )


@login_required
def case_print(request, pk: int):
    """困难职工档案（一户一档）: the case, its household, reviews, aid and documents."""
    user = request.user
    case = scoping.get_visible_or_404(user, HardshipCase, pk=pk)
    member = Member.objects.select_related("union").get(pk=case.member_id)
    aid_records = scoping.visible(user, AidRecord).filter(hardship_case=case).order_by("aid_on", "pk")
    return render(
        request,
        "members/hardship/case_print.html",
        {
            "case": case,
            "member": member,
            "household": scoping.visible(user, HouseholdMember).filter(case=case),
            "reviews": scoping.visible(user, CaseReview).filter(case=case).select_related("reviewed_by"),
            "aid_records": aid_records,
            "aid_total": aid_records.aggregate(amount=Sum("amount"), goods=Sum("goods_value")),
            "documents": scoping.visible(user, CaseDocument).filter(case=case),
            "full_identifiers": _full_identifiers(request, member),
            "printed_on": timezone.localdate(),
        },
    )
