"""Joining online (入会申请): join links a union hands out, and the applications workers send through
them from a phone, without an account.

A link is a revocable token with an optional expiry; the URL carries it signed (members.services.
applications), so a link cannot be made up from a number. An application holds what the worker
answered of the 会员实名信息采集表 until the union's cadre approves it (it becomes a member through
member_join) or rejects it with a reason; rejected and stale applications are deleted with their
personal data after RETENTION_DAYS (members.services.applications.join_applications_purge).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from federation.history import HistoricalRecords
from federation.identifiers import mask_id_number, mask_phone
from federation.models import TimeStamped
from members.choices import ETHNICITY_CHOICES, HAN, Education, Gender, PoliticalStatus
from members.models.membership import USER, Member
from unions.models import GrassrootsUnion

# How long an application the union rejected, or never decided, is kept (days) — then it is
# deleted with everything the applicant typed; the consent text tells the applicant so.
RETENTION_DAYS = 90


class JoinLink(TimeStamped):
    """入会申请链接: what a union prints on a poster (as a QR code) or sends to its workers."""

    union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("基层工会"), on_delete=models.PROTECT, related_name="join_links"
    )
    # Random; the URL carries it with a signature (members.services.applications.join_link_token).
    key = models.CharField(_("链接标识"), max_length=40, unique=True, editable=False)
    expires_on = models.DateField(
        _("有效期至"), null=True, blank=True, help_text=_("不填则长期有效，直到停用。")
    )
    note = models.CharField(
        _("备注"), max_length=100, blank=True, help_text=_("例如张贴地点，仅工作人员可见。")
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("创建人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        USER, verbose_name=_("停用人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("入会申请链接")
        verbose_name_plural = _("入会申请链接")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.union} {self.created_at:%Y-%m-%d}" if self.created_at else str(self.union)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_open_on(self, day) -> bool:
        """Does the link take applications on `day` (not revoked, not past its expiry)?"""
        return not self.is_revoked and (self.expires_on is None or day <= self.expires_on)


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


class JoinApplication(TimeStamped):
    """入会申请: what a worker answered through a join link, until the union decides.

    Only 居民身份证 holders apply online (the check digit is checked as they type); 性别 and 出生日期
    are what the number says. Nothing here says whether the number is already a member: the review
    finds that (members.applications.findings), the applicant is never told.
    """

    link = models.ForeignKey(
        JoinLink, verbose_name=_("申请链接"), on_delete=models.PROTECT, related_name="applications"
    )
    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("申请加入的基层工会"),
        on_delete=models.PROTECT,
        related_name="join_applications",
    )
    receipt = models.CharField(_("回执码"), max_length=20, unique=True, editable=False)
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号"), max_length=18, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    ethnicity = models.CharField(_("民族"), max_length=2, choices=ETHNICITY_CHOICES, default=HAN)
    education = models.CharField(_("学历"), max_length=30, choices=Education.choices, blank=True)
    political_status = models.CharField(
        _("政治面貌"), max_length=20, choices=PoliticalStatus.choices, default=PoliticalStatus.MASSES
    )
    mobile = models.CharField(_("手机号码"), max_length=20)
    employer = models.CharField(_("工作单位"), max_length=150)
    job = models.CharField(_("工作岗位"), max_length=100, blank=True)
    is_migrant_worker = models.BooleanField(_("农民工"), default=False)
    consented_at = models.DateTimeField(_("同意个人信息处理时间"))
    status = models.CharField(
        _("审核状态"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, verbose_name=_("审核人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reject_reason = models.CharField(_("未通过原因"), max_length=200, blank=True)
    member = models.ForeignKey(
        Member,
        verbose_name=_("入会后的会员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="join_applications",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("入会申请")
        verbose_name_plural = _("入会申请")
        ordering = ["created_at", "pk"]
        indexes = [
            # The 工作台's to-do and the list: the pending applications of a union, oldest first.
            models.Index(fields=["union", "status", "created_at"], name="join_application_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(member__isnull=False),
                name="join_application_approved_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.receipt}）"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile)

    @property
    def is_pending(self) -> bool:
        return self.status == ApplicationStatus.PENDING


# What an approved application hands to member_join, as the applicant gave it (性别 and 出生日期 from
# the ID number); 工作单位 is the union's own employer and stays with the application.
JOINING_FIELDS = (
    "name",
    "id_number",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "political_status",
    "mobile",
    "job",
    "is_migrant_worker",
)


def mask_name(name: str) -> str:
    """张*明, 张*, 欧**锋: the first and (for three characters or more) the last character stay."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
