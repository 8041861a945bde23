"""入会申请: join links, the applications workers send through them, and their review.

- join_link_create / join_link_revoke: a cadre for their own union, federation staff for any union in
  scope (require_union_scope). The URL carries the link's random key signed (join_link_token), so
  that neither a number nor a key without its signature opens a form.
- join_application_submit: anyone holding an open link. Every well-formed application is accepted
  for review: nothing here asks whether the ID number is a member anywhere (no oracle).
- join_application_approve / reject, join_applications_approve_many: the union's reviewers. Approval
  is 入会 through member_join, dated the day of the approval (so the year's 新发展会员数 counts it), with
  the member number the union's numbering gives next (member_number_next).
- join_applications_purge: rejected and stale applications go after RETENTION_DAYS with their
  personal data, their history rows included.
- member_card_token / member_for_card_token: the signed token of an electronic member card.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from federation.history import save_as
from federation.identifiers import (
    normalise_phone,
    normalise_resident_id,
    resident_id_birth_date,
    resident_id_gender,
    validate_mobile,
    validate_resident_id,
)
from federation.models import User
from members.choices import IdType
from members.models import Member
from members.models.applications import (
    JOINING_FIELDS,
    RETENTION_DAYS,
    ApplicationStatus,
    JoinApplication,
    JoinLink,
)
from members.services.batches import _named, _require_size
from members.services.common import require_union_scope, today
from members.services.membership import member_join
from unions.choices import UnionStatus
from unions.models import GrassrootsUnion

LINK_SALT = "members.join-link"
CARD_SALT = "members.member-card"
# What the applicant answers, besides the consent: the fields of the 会员实名信息采集表 a worker knows.
APPLICATION_FIELDS = (
    "name",
    "id_number",
    "ethnicity",
    "education",
    "political_status",
    "mobile",
    "employer",
    "job",
    "is_migrant_worker",
)
# Receipt codes: no 0/O, 1/I/L — read out over the phone and typed back without mistakes.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECEIPT_GROUPS = 3
RECEIPT_GROUP_LENGTH = 4


# --- Join links -------------------------------------------------------------------------------------


def join_link_token(link: JoinLink) -> str:
    """What the link's URL carries: its key with a signature only this installation can make."""
    return signing.Signer(salt=LINK_SALT).sign(link.key)


def join_link_for_token(token: str) -> JoinLink | None:
    """The link a token names (revoked or expired ones included: the page says which), or None for
    a token that is not ours."""
    try:
        key = signing.Signer(salt=LINK_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return JoinLink.objects.select_related("union").filter(key=key).first()


@transaction.atomic
def join_link_create(
    *, union: GrassrootsUnion, by: User, expires_on: dt.date | None = None, note: str = ""
) -> JoinLink:
    require_union_scope(by, union)
    if union.status != UnionStatus.ACTIVE:
        raise ValidationError({"union": _("该基层工会已撤销或合并，不能再发展会员。")})
    if expires_on is not None and expires_on < today():
        raise ValidationError({"expires_on": _("有效期不能早于今天。")})
    link = JoinLink(
        union=union, key=secrets.token_urlsafe(18), expires_on=expires_on, note=note, created_by=by
    )
    link.full_clean()
    save_as(link, by, reason=_("创建入会申请链接"))
    return link


@transaction.atomic
def join_link_revoke(*, link: JoinLink, by: User) -> JoinLink:
    locked = JoinLink.objects.select_for_update().select_related("union").get(pk=link.pk)
    require_union_scope(by, locked.union)
    if locked.revoked_at is None:
        locked.revoked_at, locked.revoked_by = timezone.now(), by
        save_as(
            locked, by, reason=_("停用入会申请链接"), update_fields=["revoked_at", "revoked_by", "updated_at"]
        )
    return locked


# --- Applications -------------------------------------------------------------------------------------


def new_receipt() -> str:
    chars = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_GROUPS * RECEIPT_GROUP_LENGTH))
    return "-".join(chars[i : i + RECEIPT_GROUP_LENGTH] for i in range(0, len(chars), RECEIPT_GROUP_LENGTH))


def normalise_receipt(value: str) -> str:
    """A receipt code as typed (lower case, spaces, without the dashes) in its stored form."""
    chars = re.sub(r"[^0-9A-Z]", "", normalise_resident_id(value or ""))
    if len(chars) != RECEIPT_GROUPS * RECEIPT_GROUP_LENGTH:
        return ""
    return "-".join(chars[i : i + RECEIPT_GROUP_LENGTH] for i in range(0, len(chars), RECEIPT_GROUP_LENGTH))


def application_rule_errors(*, id_number: str, mobile: str) -> dict[str, list]:
    """The applicant's ID number and mobile, checked as member_join will check them."""
    errors: dict[str, list] = {}
    try:
        validate_resident_id(id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages
    try:
        validate_mobile(mobile)
    except ValidationError as exc:
        errors["mobile"] = exc.messages
    return errors


@transaction.atomic
def join_application_submit(*, link: JoinLink, consented: bool, **fields) -> JoinApplication:
    """An application through `link`, for review by its union. Refused only for what the applicant
    can fix (a wrong ID number, a missing consent) or a closed link — never for who the person is."""
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(sorted(unknown))}")
    if not link.is_open_on(today()) or link.union.status != UnionStatus.ACTIVE:
        raise ValidationError(_("该入会申请链接已停用或已过期，请向工会索取新的链接。"))
    if not consented:
        raise ValidationError({"consent": _("请阅读并同意个人信息处理说明后再提交。")})
    fields["id_number"] = normalise_resident_id(fields.get("id_number", ""))
    fields["mobile"] = normalise_phone(fields.get("mobile", ""))
    errors = application_rule_errors(id_number=fields["id_number"], mobile=fields["mobile"])
    if errors:
        raise ValidationError(errors)
    number = fields["id_number"]
    born = resident_id_birth_date(number)
    if born is None:  # validate_resident_id has refused such a number already
        raise ValidationError({"id_number": _("身份证号中的出生日期无效。")})
    application = JoinApplication(
        link=link,
        union=link.union,
        receipt=new_receipt(),
        gender=resident_id_gender(number),
        birth_date=born,
        consented_at=timezone.now(),
        **fields,
    )
    application.full_clean()
    save_as(application, None, reason=_("提交入会申请"))
    return application


def _lock_application(application: JoinApplication) -> JoinApplication:
    return (
        JoinApplication.objects.select_related("union").select_for_update(of=("self",)).get(pk=application.pk)
    )


def _require_pending(application: JoinApplication) -> None:
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError(
            _("该申请已审核（%(status)s），不能再次办理。") % {"status": application.get_status_display()}
        )


TRAILING_DIGITS = re.compile(r"^(.*?)(\d+)$")


def member_number_next(union: GrassrootsUnion) -> str:
    """The union's next 会员证号: its numbering continued — the highest of its members' numbers that
    end in digits (longest first, then by value), plus one, in the same width and with the same
    prefix. A union with no number yet starts its own series: its record number in six digits, then
    0001. Call it with the union's row locked (join_application_approve does), so that two approvals
    never take the same number."""
    highest = (
        Member.objects.filter(union=union, member_number__regex=r"[0-9]$")
        .annotate(width=Length("member_number"))
        .order_by("-width", "-member_number")
        .values_list("member_number", flat=True)
        .first()
    )
    if highest is None:
        return f"{union.pk:06d}0001"
    prefix, digits = TRAILING_DIGITS.match(highest).groups()  # type: ignore[union-attr]
    return f"{prefix}{int(digits) + 1:0{len(digits)}d}"


@transaction.atomic
def join_application_approve(*, application: JoinApplication, by: User) -> Member:
    """通过: the applicant joins the union (member_join, dated today) with the union's next member
    number. member_join refuses a person who is already a live member anywhere, and names the union
    only where `by` sees it."""
    locked = _lock_application(application)
    require_union_scope(by, locked.union)
    _require_pending(locked)
    union = GrassrootsUnion.objects.select_for_update().get(pk=locked.union_id)
    member = member_join(
        union=union,
        by=by,
        joined_on=today(),
        id_type=IdType.RESIDENT_ID,
        member_number=member_number_next(union),
        **{name: getattr(locked, name) for name in JOINING_FIELDS},
    )
    locked.status, locked.member = ApplicationStatus.APPROVED, member
    locked.decided_at, locked.decided_by = timezone.now(), by
    save_as(
        locked,
        by,
        reason=_("审核通过，入会"),
        update_fields=["status", "member", "decided_at", "decided_by", "updated_at"],
    )
    application.status, application.member = locked.status, member
    return member


@transaction.atomic
def join_application_reject(*, application: JoinApplication, by: User, reason: str) -> JoinApplication:
    """不通过, with a reason the applicant reads on the status page."""
    locked = _lock_application(application)
    require_union_scope(by, locked.union)
    _require_pending(locked)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写未通过的原因，申请人会在查询页面看到。")})
    locked.status, locked.reject_reason = ApplicationStatus.REJECTED, reason[:200]
    locked.decided_at, locked.decided_by = timezone.now(), by
    save_as(
        locked,
        by,
        reason=_("审核未通过"),
        update_fields=["status", "reject_reason", "decided_at", "decided_by", "updated_at"],
    )
    application.status = locked.status
    return locked


@transaction.atomic
def join_applications_approve_many(*, applications: Sequence[JoinApplication], by: User) -> list[Member]:
    """通过 each application; all or none, the refusal named after the applicant."""
    _require_size(len(applications))
    members = []
    for application in applications:
        try:
            members.append(join_application_approve(application=application, by=by))
        except ValidationError as exc:
            raise _named(application, exc) from exc
    return members


def purge_q(now: dt.datetime) -> Q:
    """Applications past their keeping: rejected RETENTION_DAYS ago, or still undecided after them."""
    cutoff = now - dt.timedelta(days=RETENTION_DAYS)
    return Q(status=ApplicationStatus.REJECTED, decided_at__lt=cutoff) | Q(
        status=ApplicationStatus.PENDING, created_at__lt=cutoff
    )


@transaction.atomic
def join_applications_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the applications past their keeping with everything the applicants typed — their
    history rows too, which hold the same personal data. Approved ones stay: they are the member's
    own record of joining."""
    gone = list(JoinApplication.objects.filter(purge_q(now or timezone.now())).values_list("pk", flat=True))
    if gone:
        JoinApplication.objects.filter(pk__in=gone).delete()
        # After the rows: deleting them writes a history row of its own, with the same data.
        JoinApplication.history.filter(id__in=gone).delete()
    return len(gone)


# --- Electronic member card ------------------------------------------------------------------------------


def member_card_token(member: Member) -> str:
    return signing.Signer(salt=CARD_SALT).sign_object({"m": member.pk})


def member_for_card_token(token: str) -> Member | None:
    try:
        data = signing.Signer(salt=CARD_SALT).unsign_object(token)
        return Member.objects.select_related("union").filter(pk=int(data["m"])).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError, UnicodeDecodeError):
        return None
