"""Writes on members that carry rules. Views, imports and commands call these, never save() directly.

membership: member_join, member_status_change — joining and leaving;
transfers: transfer_request / approve / accept / refuse / cancel — 会籍转接 between two unions;
hardship: hardship_case_open / update_figures / review / close — 困难职工档案;
aid: aid_record_create / update — 帮扶记录;
documents: case_document_add / delete — 证明材料 of a hardship case;
batches: transfers_approve_many, aid_festival_record_many — one step for many records, all or none.
"""

from members.services.aid import aid_record_create, aid_record_update
from members.services.batches import aid_festival_record_many, transfers_approve_many
from members.services.documents import case_document_add, case_document_delete
from members.services.hardship import (
    hardship_case_close,
    hardship_case_open,
    hardship_case_review,
    hardship_case_update_figures,
    min_living_standard,
)
from members.services.membership import member_join, member_status_change
from members.services.profile import member_update
from members.services.transfers import (
    transfer_accept,
    transfer_approve,
    transfer_cancel,
    transfer_refuse,
    transfer_request,
)

__all__ = [
    "aid_festival_record_many",
    "aid_record_create",
    "aid_record_update",
    "case_document_add",
    "case_document_delete",
    "hardship_case_close",
    "hardship_case_open",
    "hardship_case_review",
    "hardship_case_update_figures",
    "member_join",
    "member_status_change",
    "member_update",
    "min_living_standard",
    "transfer_accept",
    "transfer_approve",
    "transfer_cancel",
    "transfer_refuse",
    "transfer_request",
    "transfers_approve_many",
]
