from members.models.hardship import AidRecord, CaseReview, HardshipCase, HouseholdMember
from members.models.membership import (
    Member,
    MemberHonour,
    MembershipChange,
    MembershipTransfer,
)

__all__ = [
    "AidRecord",
    "CaseReview",
    "HardshipCase",
    "HouseholdMember",
    "Member",
    "MemberHonour",
    "MembershipChange",
    "MembershipTransfer",
]
