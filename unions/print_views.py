"""Print view (A4, templates/federation/print_base.html): 工会组织信息采集表 of one union."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from federation import scoping
from unions.models import Election, GrassrootsUnion, UnionYear


@login_required
def union_print(request, pk: int):
    user = request.user
    union = scoping.get_visible_or_404(user, GrassrootsUnion, pk=pk)
    return render(
        request,
        "unions/union_print.html",
        {
            "union": union,
            "member_count": union.members.live().count(),
            "years": scoping.visible(user, UnionYear).filter(union=union).order_by("-year"),
            "elections": scoping.visible(user, Election).filter(union=union).order_by("-held_on"),
            "full_identifiers": scoping.can_see_full_identifiers(user),
            "printed_on": timezone.localdate(),
        },
    )
