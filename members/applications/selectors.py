"""The reads of 入会申请 that the review list, its detail page and the 工作台 share: the applications a
user reviews, and what the review finds about each — in a fixed number of queries for a page of them.

The findings are for the reviewer only, never for the applicant (no oracle): a number that is
already a live member elsewhere names that union only when it lies within the reviewer's scope.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from federation import scoping
from federation.identifiers import resident_id_well_formed
from federation.models import User
from members.choices import LIVE_STATUSES
from members.models import ApplicationStatus, JoinApplication, Member
from unions.models import GrassrootsUnion


def applications_to_review(user: User) -> QuerySet[JoinApplication]:
    """The pending applications of the unions this user keeps (none for a reader), oldest first."""
    if not scoping.may_write(user):
        return JoinApplication.objects.none()
    return (
        scoping.owned(user, JoinApplication)
        .filter(status=ApplicationStatus.PENDING)
        .select_related("union")
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class Finding:
    text: str
    blocks: bool  # approving would be refused (the person already holds a live membership)


def findings_for(user: User, applications: Sequence[JoinApplication]) -> dict[int, list[Finding]]:
    """What the review finds about each application, by application pk: an invalid ID number, a live
    membership here or elsewhere, other pending applications of the same number. Three queries at
    most, whatever the number of applications."""
    numbers = {a.id_number for a in applications}
    found: dict[int, list[Finding]] = {a.pk: [] for a in applications}
    if not applications:
        return found
    live = dict(
        Member.objects.filter(id_number__in=numbers, status__in=LIVE_STATUSES).values_list(
            "id_number", "union_id"
        )
    )
    elsewhere = {
        union_id for a in applications if (union_id := live.get(a.id_number)) not in (None, a.union_id)
    }
    named = (
        dict(scoping.visible(user, GrassrootsUnion).filter(pk__in=elsewhere).values_list("pk", "name"))
        if elsewhere
        else {}
    )
    pending = Counter(
        dict(
            scoping.visible(user, JoinApplication)
            .filter(id_number__in=numbers, status=ApplicationStatus.PENDING)
            .values_list("id_number")
            .annotate(n=Count("pk"))
            .values_list("id_number", "n")
        )
    )
    for application in applications:
        notes = found[application.pk]
        if not resident_id_well_formed(application.id_number):
            notes.append(Finding(_("身份证号无效"), blocks=True))
        union_id = live.get(application.id_number)
        if union_id == application.union_id:
            notes.append(Finding(_("已是本会在册会员"), blocks=True))
        elif union_id in named:
            notes.append(
                Finding(_("已是“%(union)s”的在册会员，须先办理会籍转接") % {"union": named[union_id]}, True)
            )
        elif union_id is not None:
            notes.append(Finding(_("已是其他工会的在册会员，请联系上级工会联合会核实"), blocks=True))
        others = pending[application.id_number] - (1 if application.is_pending else 0)
        if others > 0:
            notes.append(Finding(_("同一身份证号另有%(n)s份待审核申请") % {"n": others}, blocks=False))
    return found
