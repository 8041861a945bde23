"""Hardship cases (困难职工档案), their household, reviews, and aid records (帮扶记录)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from federation.history import HistoricalRecords
from federation.models import TimeStamped, money_field
from members.choices import (
    AidKind,
    CaseStatus,
    DisabilityGrade,
    FundSource,
    HardshipCategory,
    HardshipCause,
    HealthStatus,
    Housing,
    ReviewKind,
)
from members.models.membership import USER, Member
from unions.models import GrassrootsUnion

MAX_SECONDARY_CAUSES = 3
ACCIDENT_SHARE_OF_INCOME = Decimal("0.8")
CENT = Decimal("0.01")


def monthly_income_per_head(
    *, annual_income: Decimal, rigid_expenses: Decimal, household_size: int
) -> Decimal:
    """(annual household disposable income − rigid expenses) / 12 / household size, in 元."""
    size = max(household_size or 1, 1)
    return ((annual_income - rigid_expenses) / 12 / size).quantize(CENT, rounding=ROUND_HALF_UP)


def suggest_category(
    *,
    annual_income: Decimal,
    rigid_expenses: Decimal,
    household_size: int,
    accident_costs: Decimal,
    min_living_standard: Decimal | None,
) -> str | None:
    """The category the figures point to, or None when they point to none.

    深度困难: monthly income per head below the local 低保 standard; 相对困难: below twice the
    standard; 意外致困: accident or illness costs above 80 % of the annual household income.
    The income tests come first because they are the more severe categories.
    """
    if min_living_standard is not None:
        per_head = monthly_income_per_head(
            annual_income=annual_income, rigid_expenses=rigid_expenses, household_size=household_size
        )
        if per_head < min_living_standard:
            return HardshipCategory.DEEP
        if per_head < 2 * min_living_standard:
            return HardshipCategory.RELATIVE
    if accident_costs > 0 and accident_costs > ACCIDENT_SHARE_OF_INCOME * annual_income:
        return HardshipCategory.ACCIDENT
    return None


def validate_secondary_causes(value) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("次要致困原因格式不正确。"))
    if len(value) > MAX_SECONDARY_CAUSES:
        raise ValidationError(_("次要致困原因最多选择3项。"))
    valid = set(HardshipCause.values)
    if any(not isinstance(cause, str) or cause not in valid for cause in value):
        raise ValidationError(_("次要致困原因含有不在官方列表中的项。"))
    if len(set(value)) != len(value):
        raise ValidationError(_("次要致困原因不能重复。"))


class HardshipCase(TimeStamped):
    """困难职工档案 of one member. Opened, reviewed and closed through members.services."""

    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="hardship_cases"
    )
    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("建档工会"),
        on_delete=models.PROTECT,
        related_name="hardship_cases",
    )
    category = models.CharField(_("困难类别"), max_length=20, choices=HardshipCategory.choices)
    suggested_category = models.CharField(
        _("系统建议类别"), max_length=20, choices=HardshipCategory.choices, blank=True, editable=False
    )
    category_override_reason = models.CharField(
        _("类别调整理由"), max_length=200, blank=True, help_text=_("与系统建议类别不一致时必填。")
    )
    primary_cause = models.CharField(_("主要致困原因"), max_length=30, choices=HardshipCause.choices)
    secondary_causes = models.JSONField(
        _("次要致困原因"), default=list, blank=True, validators=[validate_secondary_causes]
    )
    health_status = models.CharField(
        _("健康状况"), max_length=20, choices=HealthStatus.choices, default=HealthStatus.HEALTHY
    )
    disability_grade = models.CharField(
        _("残疾等级"), max_length=10, choices=DisabilityGrade.choices, default=DisabilityGrade.NONE
    )
    housing = models.CharField(_("住房情况"), max_length=20, choices=Housing.choices, default=Housing.OWN)
    household_size = models.PositiveSmallIntegerField(
        _("家庭人口"), default=1, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    annual_household_income = money_field(_("家庭年可支配收入(元)"))
    rigid_medical = money_field(_("刚性支出：医疗(元)"))
    rigid_schooling = money_field(_("刚性支出：就学(元)"))
    accident_costs = money_field(_("意外或疾病费用(元)"))
    monthly_income_per_head = models.DecimalField(
        _("家庭月人均收入(元)"), max_digits=14, decimal_places=2, default=Decimal("0"), editable=False
    )
    description = models.TextField(_("困难情况描述"), blank=True)
    opened_on = models.DateField(_("建档日期"))
    created_by = models.ForeignKey(
        USER, verbose_name=_("建档人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    initial_reviewed_on = models.DateField(_("初审日期"), null=True, blank=True, editable=False)
    initial_reviewed_by = models.ForeignKey(
        USER,
        verbose_name=_("初审人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    final_reviewed_on = models.DateField(_("终审日期"), null=True, blank=True, editable=False)
    final_reviewed_by = models.ForeignKey(
        USER,
        verbose_name=_("终审人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    last_reviewed_on = models.DateField(
        _("最近复核日期"), null=True, blank=True, editable=False, db_index=True
    )
    status = models.CharField(
        _("档案状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN, editable=False
    )
    closed_on = models.DateField(_("结档日期"), null=True, blank=True, editable=False)
    close_reason = models.CharField(_("结档原因"), max_length=200, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("困难职工档案")
        verbose_name_plural = _("困难职工档案")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status="open"),
                name="hardship_one_open_case_per_member",
                violation_error_message=_("该会员已有在档的困难职工档案。"),
                violation_error_code="unique",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="hardship_closed_after_opened",
            ),
            models.CheckConstraint(
                condition=Q(annual_household_income__gte=0)
                & Q(rigid_medical__gte=0)
                & Q(rigid_schooling__gte=0)
                & Q(accident_costs__gte=0),
                name="hardship_amounts_gte_0",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "category"]),
            # The case list's order: its pages, first to last, read from the index (federation.lists);
            # and what the catalogue counts of the cases open on a day (by category, by cause, closed
            # how), read from the index alone.
            models.Index(
                fields=["opened_on", "id"],
                include=["union", "closed_on", "status", "category", "primary_cause"],
                name="hardship_case_opened_on_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_category_display()}"

    @property
    def rigid_expenses(self) -> Decimal:
        return (self.rigid_medical or 0) + (self.rigid_schooling or 0)

    def compute_income_per_head(self) -> Decimal:
        return monthly_income_per_head(
            annual_income=self.annual_household_income or Decimal("0"),
            rigid_expenses=self.rigid_expenses,
            household_size=self.household_size,
        )

    def clean(self) -> None:
        errors = {}
        secondary = self.secondary_causes if isinstance(self.secondary_causes, list) else []
        if self.primary_cause and self.primary_cause in secondary:
            errors["secondary_causes"] = _("次要致困原因不能与主要致困原因相同。")
        if (
            self.suggested_category
            and self.category
            and self.category != self.suggested_category
            and not self.category_override_reason.strip()
        ):
            errors["category_override_reason"] = _("所选类别与系统建议不一致，请填写调整理由。")
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None) -> None:
        # `status` is not editable, so forms exclude it; the one-open-case rule depends on it.
        super().validate_constraints(exclude=set(exclude or ()) - {"status"})

    def save(self, *args, **kwargs) -> None:
        self.monthly_income_per_head = self.compute_income_per_head()
        if not self.union_id and self.member_id:
            self.union_id = self.member.union_id
        super().save(*args, **kwargs)


class HouseholdMember(TimeStamped):
    """家庭成员 of a hardship case."""

    case = models.ForeignKey(
        HardshipCase, verbose_name=_("困难职工档案"), on_delete=models.CASCADE, related_name="household"
    )
    name = models.CharField(_("姓名"), max_length=50)
    relation = models.CharField(_("与本人关系"), max_length=20)
    annual_income = money_field(_("年收入(元)"))
    health_status = models.CharField(
        _("健康状况"), max_length=20, choices=HealthStatus.choices, default=HealthStatus.HEALTHY
    )
    school_or_work = models.CharField(_("就学或工作单位"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.relation}）"


class CaseReview(TimeStamped):
    """初审 / 终审 / annual 复核(回访) of a hardship case."""

    case = models.ForeignKey(
        HardshipCase, verbose_name=_("困难职工档案"), on_delete=models.CASCADE, related_name="reviews"
    )
    kind = models.CharField(_("审核类型"), max_length=10, choices=ReviewKind.choices)
    reviewed_on = models.DateField(_("审核日期"))
    reviewed_by = models.ForeignKey(
        USER, verbose_name=_("审核人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(_("审核意见"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("档案审核")
        verbose_name_plural = _("档案审核")
        ordering = ["case", "reviewed_on", "id"]
        # The summary's cases overdue for review: the reviews of twelve months, read from the index.
        indexes = [models.Index(fields=["reviewed_on"], include=["case"], name="case_review_on")]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()} {self.reviewed_on}"


class AidRecord(TimeStamped):
    """帮扶记录: aid to a hardship case or, for ordinary festival visits, to any member."""

    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="aid_records"
    )
    hardship_case = models.ForeignKey(
        HardshipCase,
        verbose_name=_("困难职工档案"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="aid_records",
    )
    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("发放工会"),
        on_delete=models.PROTECT,
        related_name="aid_records",
    )
    aid_on = models.DateField(_("发放日期"))
    kind = models.CharField(_("帮扶类型"), max_length=20, choices=AidKind.choices)
    amount = money_field(_("金额(元)"))
    goods_description = models.CharField(_("实物内容"), max_length=200, blank=True)
    goods_value = money_field(_("实物折价(元)"))
    students_helped = models.PositiveSmallIntegerField(_("助学学生数"), default=0)
    fund_source = models.CharField(
        _("资金来源"), max_length=20, choices=FundSource.choices, default=FundSource.OWN_FUNDS
    )
    handled_by = models.CharField(_("经办人"), max_length=50, blank=True)
    notes = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("登记人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("帮扶记录")
        verbose_name_plural = _("帮扶记录")
        ordering = ["-aid_on", "-id"]
        indexes = [
            models.Index(fields=["aid_on", "kind"]),
            # The aid list's order: its pages, first to last, read from the index (federation.lists);
            # and the summary's aid of a period, summed from the index alone on PostgreSQL (issue 11).
            models.Index(
                fields=["aid_on", "id"],
                include=["union", "member", "kind", "amount", "goods_value", "students_helped"],
                name="aid_record_aid_on_id",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(goods_value__gte=0), name="aid_amounts_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()} {self.aid_on}"

    def clean(self) -> None:
        errors = {}
        if self.hardship_case_id and self.member_id and self.hardship_case.member_id != self.member_id:
            errors["hardship_case"] = _("所选档案不属于该会员。")
        if self.students_helped and self.kind != AidKind.EDUCATION:
            errors["students_helped"] = _("只有助学帮扶填写助学学生数。")
        if self.kind == AidKind.EDUCATION and not self.students_helped:
            errors["students_helped"] = _("助学帮扶请填写助学学生数。")
        if not self.amount and not self.goods_value:
            errors["amount"] = _("请填写金额或实物折价。")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if not self.union_id and self.member_id:
            self.union_id = self.member.union_id
        super().save(*args, **kwargs)
