from members.models.applications import ApplicationStatus, JoinApplication, JoinLink
from members.models.documents import CaseDocument
from members.models.flows import MembershipFlow
from members.models.hardship import AidRecord, CaseReview, HardshipCase, HouseholdMember
from members.models.membership import (
    IDENTITY_FIELDS,
    MEMBER_FIELDS,
    PROFILE_FIELDS,
    Member,
    MemberHonour,
    MembershipChange,
    MembershipTransfer,
)

__all__ = [
    "IDENTITY_FIELDS",
    "MEMBER_FIELDS",
    "PROFILE_FIELDS",
    "AidRecord",
    "ApplicationStatus",
    "CaseDocument",
    "CaseReview",
    "HardshipCase",
    "HouseholdMember",
    "JoinApplication",
    "JoinLink",
    "Member",
    "MemberHonour",
    "MembershipChange",
    "MembershipFlow",
    "MembershipTransfer",
]
