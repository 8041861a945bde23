"""The narrative staff write for a year's summary, and the finalised versions of it — of a federation
(over its subtree) or of one grassroots union (its own summary: `union` set)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from federation.history import HistoricalRecords
from federation.models import Federation, TimeStamped
from federation.uploads.fields import PrivateFileField, RandomName
from unions.models import GrassrootsUnion

USER = "federation.User"


class SummaryPeriod(models.TextChoices):
    """The period a summary covers (federation.scope.period_for): the calendar year or its first half."""

    YEAR = "year", _("全年")
    H1 = "h1", _("上半年")


def union_field(on_delete, related_name: str):
    """The grassroots union whose own summary this is (issue 15); empty for a federation's summary,
    whose federation is its subject. A union's rows keep its federation too: that is how federation
    staff see them (federation.scoping)."""
    return models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("基层工会"),
        on_delete=on_delete,
        null=True,
        blank=True,
        related_name=related_name,
    )


def per_subject(fields: list[str], name: str, condition: models.Q | None = None) -> list:
    """One unique constraint for the federations' summaries (no union) and one for the unions'."""
    extra = condition or models.Q()
    return [
        models.UniqueConstraint(
            fields=["federation", *fields], condition=extra & models.Q(union__isnull=True), name=name
        ),
        models.UniqueConstraint(
            fields=["union", *fields], condition=extra & models.Q(union__isnull=False), name=f"{name}_union"
        ),
    ]


def period_field():
    return models.CharField(
        _("期间"), max_length=8, choices=SummaryPeriod.choices, default=SummaryPeriod.YEAR
    )


class SummaryDraft(TimeStamped):
    """What staff write for a federation's summary of a year (or of its first half): an opening before
    the generated overview, a supplement after each section's generated text, 存在问题, the plan, and
    the date of the sign-off."""

    federation = models.ForeignKey(
        Federation, verbose_name=_("工会联合会"), on_delete=models.CASCADE, related_name="summary_drafts"
    )
    union = union_field(models.CASCADE, "summary_drafts")
    year = models.PositiveSmallIntegerField(_("年度"))
    period = period_field()
    opening_text = models.TextField(_("开篇段落"), blank=True)
    organisation_text = models.TextField(_("组织建设和会员发展（补充）"), blank=True)
    rights_text = models.TextField(_("维权和集体合同（补充）"), blank=True)
    help_text = models.TextField(_("困难职工帮扶（补充）"), blank=True)
    activities_text = models.TextField(_("职工活动和技能提升（补充）"), blank=True)
    honours_text = models.TextField(_("评先评优（补充）"), blank=True)
    own_work_text = models.TextField(_("联合会自身建设"), blank=True)
    problems_text = models.TextField(_("存在问题"), blank=True)
    plan_text = models.TextField(_("下一年工作计划"), blank=True)
    signoff_date = models.DateField(_("落款日期"), null=True, blank=True)
    updated_by = models.ForeignKey(
        USER, verbose_name=_("最后修改人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    # The texts staff write, in the order of the form: what a finalised version keeps as its narrative.
    NARRATIVE_FIELDS = (
        "opening_text",
        "organisation_text",
        "rights_text",
        "help_text",
        "activities_text",
        "honours_text",
        "own_work_text",
        "problems_text",
        "plan_text",
    )

    class Meta:
        verbose_name = _("年度总结草稿")
        verbose_name_plural = _("年度总结草稿")
        constraints = per_subject(["year", "period"], "summary_draft_unique")

    @property
    def subject(self) -> Federation | GrassrootsUnion:
        """Whose summary: the union's own, or the federation's."""
        return self.union if self.union_id else self.federation

    def __str__(self) -> str:
        return f"{self.subject} {self.year} {self.get_period_display()}"


class SummaryVersion(TimeStamped):
    """A finalised summary: the figures and the files as they were when the chair finalised it.
    Downloads return these stored files unchanged, whatever happens to the records afterwards.
    Reopening marks it superseded; finalising again makes the next version."""

    federation = models.ForeignKey(
        Federation, verbose_name=_("工会联合会"), on_delete=models.PROTECT, related_name="summary_versions"
    )
    union = union_field(models.PROTECT, "summary_versions")
    year = models.PositiveSmallIntegerField(_("年度"))
    period = period_field()
    number = models.PositiveSmallIntegerField(_("版本号"))
    indicators = models.JSONField(_("指标"), help_text=_("定稿时的全部指标（本年与上年）。"))
    narrative = models.JSONField(_("文字部分"), default=dict)
    # The files in the storage (the disk or S3), never rewritten: a new version is a new record.
    pdf = PrivateFileField(_("PDF"), upload_to=RandomName("summaries"))
    xlsx = PrivateFileField(_("XLSX"), upload_to=RandomName("summaries"))
    # Versions finalised before the Word document existed have none.
    docx = PrivateFileField(_("Word 文档"), upload_to=RandomName("summaries"), blank=True)
    pdf_sha256 = models.CharField(_("PDF 校验值"), max_length=64)
    finalised_by = models.ForeignKey(
        USER, verbose_name=_("定稿人"), on_delete=models.PROTECT, related_name="+"
    )
    reopened_at = models.DateTimeField(_("重新打开时间"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        USER, verbose_name=_("重新打开人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("定稿版本")
        verbose_name_plural = _("定稿版本")
        ordering = ["federation", "-year", "period", "-number"]
        constraints = [
            *per_subject(["year", "period", "number"], "summary_version_unique"),
            *per_subject(["year", "period"], "summary_one_current_final", models.Q(reopened_at__isnull=True)),
        ]

    @property
    def subject(self) -> Federation | GrassrootsUnion:
        """Whose summary: the union's own, or the federation's."""
        return self.union if self.union_id else self.federation

    def __str__(self) -> str:
        return f"{self.subject} {self.year} {self.get_period_display()} 第{self.number}版"

    @property
    def is_current(self) -> bool:
        return self.reopened_at is None


class StoredFigures(models.Model):
    """The summary's figures of one federation, year and period, computed ahead of a page that shows them
    (reports.indicators.stored). Out of date while the federation has a ChangeMark, or `stale`."""

    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    period = period_field()
    data = models.JSONField()
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)
    stale = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("已计算的总结数据")
        verbose_name_plural = _("已计算的总结数据")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["federation", "year", "period"], name="stored_figures_unique")
        ]

    def __str__(self) -> str:
        return f"{self.federation_id} {self.year} {self.period}"
