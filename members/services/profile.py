"""Editing a member's ordinary fields (会员资料).

The union, the joining date and the status follow from the membership history (membership,
transfers); the ID type and number, the birth date and the gender identify the person, so a mistake
in them is a correction an administrator makes. Everything else on the 会员实名信息采集表 is kept here.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from federation import scoping
from federation.history import save_as
from federation.models import User
from members.flows import Facts, record_member_facts
from members.models import PROFILE_FIELDS, Member
from members.services.common import lock_member, reject_unknown_fields


@transaction.atomic
def member_update(*, member: Member, by: User, **fields) -> Member:
    """Change the ordinary fields of `member` (a TypeError for any other field: union, joined_on,
    status, ID type and number, birth date and gender are not edited here)."""
    reject_unknown_fields(fields, PROFILE_FIELDS)
    member = lock_member(member)
    if not scoping.can_change(by, member):
        raise PermissionDenied(_("您无权修改会员“%(name)s”的资料。") % {"name": member.name})
    before = Facts.of(member)
    for field, value in fields.items():
        setattr(member, field, value)
    member.full_clean()
    save_as(member, by)
    record_member_facts({member.pk: before}, {member.pk: Facts.of(member)})
    return member
