"""Batch actions: one step for what an office does to many records at once — approving the transfers
waiting on it, recording 节日慰问 for a list of members. Each goes through the one-record service,
all in one transaction: every record is written or, when one is refused, none is, and the message
names the member it was refused for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from federation.models import User
from members.choices import AidKind, TransferStatus
from members.models import AidRecord, JoinApplication, Member, MembershipTransfer
from members.services.aid import aid_record_create
from members.services.transfers import transfer_accept, transfer_approve

# More than this in one step is a mistake (a whole federation ticked), and too long a transaction.
BATCH_LIMIT = 500


def _named(person: Member | JoinApplication, error: ValidationError) -> ValidationError:
    """The error of one record, prefixed with the member (or applicant) it is about."""
    return ValidationError(
        [_("%(name)s：%(message)s") % {"name": person.name, "message": message} for message in error.messages]
    )


def _require_size(count: int) -> None:
    if not count:
        raise ValidationError(_("请至少选择一项。"))
    if count > BATCH_LIMIT:
        raise ValidationError(_("一次最多办理%(n)s项，请分批办理。") % {"n": BATCH_LIMIT})


@transaction.atomic
def transfers_approve_many(
    *, transfers: Sequence[MembershipTransfer], by: User, on: dt.date | None = None
) -> list[MembershipTransfer]:
    """同意 each transfer in its turn: 转出审批 for a request (transfer_approve), 转入接收 for one the
    other side approved (transfer_accept). All or none."""
    _require_size(len(transfers))
    for transfer in transfers:
        try:
            if transfer.status == TransferStatus.REQUESTED:
                transfer_approve(transfer=transfer, by=by, on=on)
            elif transfer.status == TransferStatus.APPROVED:
                transfer_accept(transfer=transfer, by=by, on=on)
            else:
                raise ValidationError(
                    _("该转接当前状态为“%(s)s”，不能办理此操作。") % {"s": transfer.get_status_display()}
                )
        except ValidationError as exc:
            raise _named(transfer.member, exc) from exc
    return list(transfers)


@transaction.atomic
def aid_festival_record_many(
    *, members: Sequence[Member], by: User, aid_on: dt.date, amount: Decimal, **fields
) -> list[AidRecord]:
    """节日慰问(送温暖) of the same date and amount (or goods) for every one of `members`, each through
    aid_record_create (its union's scope, the membership's dates). All or none."""
    _require_size(len(members))
    records = []
    for member in members:
        try:
            records.append(
                aid_record_create(
                    member=member, by=by, aid_on=aid_on, kind=AidKind.FESTIVAL, amount=amount, **fields
                )
            )
        except ValidationError as exc:
            raise _named(member, exc) from exc
    return records
