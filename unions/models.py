"""Grassroots unions (基层工会), their yearly employee figures, elections, honours and collective
contracts; activities are defined in unions.activities.models and registered here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from federation.history import HistoricalRecords
from federation.identifiers import (
    mask_phone,
    normalise_credit_code,
    normalise_phone,
    validate_credit_code,
    validate_mobile,
)
from federation.models import Federation, TimeStamped
from federation.uploads.content import ScanFormField
from federation.uploads.fields import PrivateFileField, RandomName
from unions.activities.models import Activity, ActivityPhoto  # noqa: F401 (the app's models, registered)
from unions.choices import (
    STATISTICAL_GROUP_OF_NATURE,
    ContractKind,
    ContractScope,
    ContractStatus,
    EconomicType,
    EmployerNature,
    HonourLevel,
    HonourTitle,
    Industry,
    StatisticalGroup,
    UnionStatus,
    UnionType,
)

TERM_YEARS_CHOICES = [(3, _("3年")), (5, _("5年"))]


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class GrassrootsUnion(TimeStamped):
    """基层工会, with the fields of the official 工会组织信息采集表."""

    federation = models.ForeignKey(
        Federation, verbose_name=_("所属联合会"), on_delete=models.PROTECT, related_name="unions"
    )
    name = models.CharField(_("工会名称"), max_length=150)
    employer_name = models.CharField(_("单位名称"), max_length=150)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        null=True,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18位，含校验位；没有可不填。"),
    )
    union_type = models.CharField(
        _("基层工会类型"), max_length=20, choices=UnionType.choices, default=UnionType.INDEPENDENT
    )
    covered_employers = models.PositiveIntegerField(
        _("覆盖单位数"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("独立基层工会为1；联合基层工会填所覆盖的单位数。"),
    )
    employer_nature = models.CharField(_("单位性质"), max_length=30, choices=EmployerNature.choices)
    economic_type = models.CharField(_("经济类型"), max_length=20, choices=EconomicType.choices, blank=True)
    industry = models.CharField(_("行业"), max_length=1, choices=Industry.choices, blank=True)
    area = models.CharField(_("行政区划"), max_length=100, blank=True)
    address = models.CharField(_("单位地址"), max_length=200, blank=True)
    established_on = models.DateField(_("建会日期"))
    status = models.CharField(
        _("状态"), max_length=20, choices=UnionStatus.choices, default=UnionStatus.ACTIVE
    )
    status_changed_on = models.DateField(
        _("撤销/合并日期"), null=True, blank=True, help_text=_("状态为已撤销或已合并时填写。")
    )
    chair_name = models.CharField(_("工会主席"), max_length=50, blank=True)
    chair_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    full_time_chair = models.BooleanField(_("专职主席"), default=False)
    full_time_staff = models.PositiveIntegerField(_("专职工会工作人员数"), default=0)
    part_time_staff = models.PositiveIntegerField(_("兼职工会工作人员数"), default=0)
    term_years = models.PositiveSmallIntegerField(_("任期(年)"), choices=TERM_YEARS_CHOICES, default=5)
    term_started_on = models.DateField(_("本届任期开始日期"), null=True, blank=True)
    election_due_on = models.DateField(_("应换届日期"), null=True, blank=True, editable=False, db_index=True)
    has_women_committee = models.BooleanField(_("女职工委员会"), default=False)
    has_mediation_committee = models.BooleanField(_("劳动争议调解委员会"), default=False)
    has_audit_committee = models.BooleanField(_("经费审查委员会"), default=False)
    has_labour_supervision = models.BooleanField(_("劳动法律监督组织"), default=False)
    has_workers_congress = models.BooleanField(_("职工代表大会制度"), default=False)
    has_open_affairs = models.BooleanField(_("厂务公开"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("基层工会")
        verbose_name_plural = _("基层工会")
        ordering = ["federation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=Q(credit_code__isnull=False),
                name="union_credit_code_unique",
                violation_error_message=_("该统一社会信用代码已登记在另一个基层工会。"),
                violation_error_code="unique",  # reported on the credit_code field
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(status_changed_on__isnull=False),
                name="union_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(union_type="joint") | Q(covered_employers=1),
                name="union_independent_covers_one",
            ),
        ]
        indexes = [models.Index(fields=["federation", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_chair_phone(self) -> str:
        return mask_phone(self.chair_phone)

    @property
    def statistical_group(self) -> str:
        return STATISTICAL_GROUP_OF_NATURE.get(self.employer_nature, StatisticalGroup.COMMUNITY)

    def clean(self) -> None:
        errors = {}
        if self.credit_code == "":
            self.credit_code = None
        if self.credit_code:
            self.credit_code = normalise_credit_code(self.credit_code)
        if self.chair_phone:
            self.chair_phone = normalise_phone(self.chair_phone)
            try:
                validate_mobile(self.chair_phone)
            except ValidationError as exc:
                errors["chair_phone"] = exc.messages
        if self.union_type == UnionType.INDEPENDENT and self.covered_employers != 1:
            errors["covered_employers"] = _("独立基层工会的覆盖单位数应为1。")
        if self.status != UnionStatus.ACTIVE and not self.status_changed_on:
            errors["status_changed_on"] = _("撤销或合并的工会须填写日期。")
        if self.status_changed_on and self.established_on and self.status_changed_on < self.established_on:
            errors["status_changed_on"] = _("撤销/合并日期不能早于建会日期。")
        if self.term_started_on and self.established_on and self.term_started_on < self.established_on:
            errors["term_started_on"] = _("任期开始日期不能早于建会日期。")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if self.credit_code == "":
            self.credit_code = None
        self.election_due_on = self.compute_election_due_on()
        super().save(*args, **kwargs)

    def compute_election_due_on(self) -> dt.date | None:
        started = self.term_started_on or self.established_on
        return add_years(started, self.term_years) if started else None


class UnionYear(TimeStamped):
    """年度职工情况: employees cannot be counted from records, so they are entered once a year."""

    union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("基层工会"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    employees = models.PositiveIntegerField(_("职工人数"), default=0)
    women_employees = models.PositiveIntegerField(_("女职工人数"), default=0)
    migrant_employees = models.PositiveIntegerField(_("农民工人数"), default=0)
    # The inputs of the union statistical return (基层工会调查表) that no record counts: blank (None) is
    # "not filled", which the return shows as such, never as 0 (reports.statistics).
    congress_delegates = models.PositiveIntegerField(_("职代会职工代表人数"), null=True, blank=True)
    congress_delegates_women = models.PositiveIntegerField(_("其中女职工代表人数"), null=True, blank=True)
    has_board = models.BooleanField(_("建立董事会"), null=True, blank=True)
    has_supervisory_board = models.BooleanField(_("建立监事会"), null=True, blank=True)
    worker_directors = models.PositiveIntegerField(_("职工董事人数"), null=True, blank=True)
    worker_directors_women = models.PositiveIntegerField(_("其中女职工董事人数"), null=True, blank=True)
    worker_supervisors = models.PositiveIntegerField(_("职工监事人数"), null=True, blank=True)
    worker_supervisors_women = models.PositiveIntegerField(_("其中女职工监事人数"), null=True, blank=True)
    funds_remitted = models.DecimalField(
        _("工会经费拨缴(元)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("本年度按工资总额2%拨缴的工会经费合计。"),
    )
    dues_collected = models.DecimalField(
        _("会费收缴(元)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("本年度收缴的会员会费合计。"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度职工情况")
        verbose_name_plural = _("年度职工情况")
        ordering = ["union", "-year"]
        indexes = [
            # A year's figures of every union, read from the index alone (the catalogue's 职工总数 and
            # 集体合同覆盖职工数 at tier L: 20 000 unions).
            models.Index(
                fields=["year", "union"],
                include=["employees", "women_employees", "migrant_employees"],
                name="union_year_figures",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["union", "year"], name="union_year_unique"),
            models.CheckConstraint(
                condition=Q(women_employees__lte=F("employees")) & Q(migrant_employees__lte=F("employees")),
                name="union_year_parts_within_total",
            ),
            models.CheckConstraint(
                condition=Q(congress_delegates_women__lte=F("congress_delegates"))
                & Q(worker_directors_women__lte=F("worker_directors"))
                & Q(worker_supervisors_women__lte=F("worker_supervisors"))
                & Q(funds_remitted__gte=0)
                & Q(dues_collected__gte=0),
                name="union_year_survey_parts_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.union} {self.year}"

    def clean(self) -> None:
        errors = {}
        if self.women_employees > self.employees:
            errors["women_employees"] = _("女职工人数不能超过职工人数。")
        if self.migrant_employees > self.employees:
            errors["migrant_employees"] = _("农民工人数不能超过职工人数。")
        errors.update(self.survey_errors())
        if errors:
            raise ValidationError(errors)

    SURVEY_FIELDS = (
        "congress_delegates",
        "congress_delegates_women",
        "has_board",
        "worker_directors",
        "worker_directors_women",
        "has_supervisory_board",
        "worker_supervisors",
        "worker_supervisors_women",
        "funds_remitted",
        "dues_collected",
    )
    # (part, its total, the message when the part is larger, the message when only the part is filled)
    SURVEY_PARTS = (
        (
            "congress_delegates_women",
            "congress_delegates",
            _("女职工代表人数不能超过职代会职工代表人数。"),
            _("填写了女职工代表人数时，请填写职代会职工代表人数。"),
        ),
        (
            "worker_directors_women",
            "worker_directors",
            _("女职工董事人数不能超过职工董事人数。"),
            _("填写了女职工董事人数时，请填写职工董事人数。"),
        ),
        (
            "worker_supervisors_women",
            "worker_supervisors",
            _("女职工监事人数不能超过职工监事人数。"),
            _("填写了女职工监事人数时，请填写职工监事人数。"),
        ),
    )

    def survey_errors(self) -> dict[str, str]:
        """The statistical return's inputs: no negative figure, no part above its total, no worker
        director without a board (nor supervisor without a supervisory board). Shared by the form and
        the fill sheet's import."""
        errors = {}
        for field in (
            "congress_delegates",
            "congress_delegates_women",
            "worker_directors",
            "worker_directors_women",
            "worker_supervisors",
            "worker_supervisors_women",
        ):
            if (getattr(self, field) or 0) < 0:
                errors[field] = _("人数不能为负数。")
        for field in ("funds_remitted", "dues_collected"):
            if (getattr(self, field) or 0) < 0:
                errors[field] = _("金额不能为负数。")
        for part, total, too_many, without_total in self.SURVEY_PARTS:
            part_value, total_value = getattr(self, part), getattr(self, total)
            if part in errors or part_value is None:
                continue
            if total_value is None:
                errors[part] = without_total
            elif part_value > total_value:
                errors[part] = too_many
        if self.worker_directors and self.has_board is False:
            errors.setdefault("worker_directors", _("未建立董事会的单位不应有职工董事。"))
        if self.worker_supervisors and self.has_supervisory_board is False:
            errors.setdefault("worker_supervisors", _("未建立监事会的单位不应有职工监事。"))
        return errors


class Election(TimeStamped):
    """换届选举. Recording one (unions.services.election_record) starts a new term."""

    union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("基层工会"), on_delete=models.CASCADE, related_name="elections"
    )
    held_on = models.DateField(_("选举日期"))
    chair_name = models.CharField(_("新任主席"), max_length=50)
    term_years = models.PositiveSmallIntegerField(_("任期(年)"), choices=TERM_YEARS_CHOICES, default=5)
    notes = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(
        "federation.User",
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("换届选举")
        verbose_name_plural = _("换届选举")
        ordering = ["-held_on"]
        indexes = [
            models.Index(fields=["held_on"]),
            # A union's last election on or before a day and its term: one probe of the index each
            # (the summary's unions overdue for election, issue 11).
            models.Index(
                fields=["union", "held_on", "id"], include=["term_years"], name="election_of_union_on"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.union} {self.held_on:%Y-%m-%d}"


class HonourBase(TimeStamped):
    """荣誉/评先 — shared by the honours of unions and of members."""

    title = models.CharField(_("荣誉称号"), max_length=30, choices=HonourTitle.choices)
    title_other = models.CharField(
        _("其他称号"), max_length=100, blank=True, help_text=_("称号为“其他”时填写。")
    )
    level = models.CharField(_("级别"), max_length=20, choices=HonourLevel.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    awarded_by = models.CharField(_("授予单位"), max_length=150, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.title == HonourTitle.OTHER and not self.title_other:
            raise ValidationError({"title_other": _("称号为“其他”时请填写具体称号。")})


class UnionHonour(HonourBase):
    union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("基层工会"), on_delete=models.CASCADE, related_name="honours"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工会荣誉")
        verbose_name_plural = _("工会荣誉")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.union} {self.get_title_display()} {self.year}"


def contract_scan_path(instance: CollectiveContract, filename: str) -> str:
    # Named by migration 0001 only: scans are now stored under random names (RandomName below).
    return f"contracts/{instance.signed_on or 'undated'}/{filename}"


class CollectiveContract(TimeStamped):
    """集体合同. A single contract (单独签订) belongs to one union; a regional or sectoral one is signed
    by a federation and covers several unions."""

    kind = models.CharField(_("合同类别"), max_length=20, choices=ContractKind.choices)
    scope = models.CharField(
        _("签订形式"), max_length=20, choices=ContractScope.choices, default=ContractScope.SINGLE
    )
    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("签订工会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        help_text=_("单独签订的合同填写。"),
    )
    federation = models.ForeignKey(
        Federation,
        verbose_name=_("签订联合会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        help_text=_("区域性、行业性合同填写。"),
    )
    covered_unions = models.ManyToManyField(
        GrassrootsUnion,
        verbose_name=_("覆盖基层工会"),
        blank=True,
        related_name="regional_contracts",
    )
    title = models.CharField(_("合同名称"), max_length=200)
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    starts_on = models.DateField(_("期限开始"))
    ends_on = models.DateField(_("期限结束"))
    covered_employees = models.PositiveIntegerField(_("覆盖职工数"), default=0)
    wage_increase_pct = models.DecimalField(
        _("工资增幅(%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    filed_on = models.DateField(_("报送人社部门审查日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.SIGNED
    )
    scan = PrivateFileField(
        _("合同扫描件"),
        upload_to=RandomName("contracts"),
        blank=True,
        download_view="unions:contract-scan",
        name_field="scan_name",
        form_class=ScanFormField,
    )
    scan_name = models.CharField(_("扫描件文件名"), max_length=255, blank=True, editable=False)
    history = HistoricalRecords(m2m_fields=[covered_unions])

    class Meta:
        verbose_name = _("集体合同")
        verbose_name_plural = _("集体合同")
        ordering = ["-signed_on", "-id"]
        indexes = [
            models.Index(fields=["signed_on", "kind"]),
            models.Index(fields=["status", "ends_on"]),
            # The contracts in force on a day (the catalogue's 有效集体合同 and the unions they cover),
            # read from the index alone.
            models.Index(
                fields=["ends_on"],
                include=["id", "union", "federation", "signed_on", "starts_on", "status"],
                name="contract_in_force",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="contract_ends_after_start"),
            models.CheckConstraint(
                condition=(Q(scope="single") & Q(union__isnull=False))
                | (~Q(scope="single") & Q(federation__isnull=False)),
                name="contract_party_matches_scope",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            errors["ends_on"] = _("合同期限结束日期必须晚于开始日期。")
        if self.scope == ContractScope.SINGLE and not self.union_id:
            errors["union"] = _("单独签订的集体合同须指定签订工会。")
        if self.scope != ContractScope.SINGLE and not self.federation_id:
            errors["federation"] = _("区域性、行业性集体合同须指定签订联合会。")
        if self.signed_on and self.status == ContractStatus.NEGOTIATING:
            errors["status"] = _("已填写签订日期的合同不能是“协商中”。")
        if not self.signed_on and self.status not in (ContractStatus.NEGOTIATING, ContractStatus.TERMINATED):
            errors["signed_on"] = _("已签订的合同须填写签订日期。")
        if self.wage_increase_pct is not None and self.wage_increase_pct < -100:
            errors["wage_increase_pct"] = _("工资增幅不能低于-100%。")
        if errors:
            raise ValidationError(errors)
