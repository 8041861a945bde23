"""Activities (活动) and their photos, organised by a federation or by a union.

They belong to the unions app (app label `unions`) but keep the tables they were created with in the
federation app (`federation_activity`, …): the move changed where the code lives, not the database.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from federation.history import HistoricalRecords
from federation.models import Federation, TimeStamped, money_field
from federation.uploads.content import PhotoFormField
from federation.uploads.fields import PrivateImageField, RandomName


class Activity(TimeStamped):
    """活动: organised by a federation or by a union (exactly one)."""

    class Category(models.TextChoices):
        WARMTH = "warmth", _("送温暖")
        SUMMER_COOL = "summer_cool", _("夏送清凉")
        AUTUMN_SCHOOL = "autumn_school", _("金秋助学")
        LABOUR_CONTEST = "labour_contest", _("劳动和技能竞赛")
        ANKANG_CUP = "ankang_cup", _("安康杯竞赛")
        SKILL_TRAINING = "skill_training", _("职工技能培训")
        CULTURE_SPORTS = "culture_sports", _("文体活动")
        LEGAL_EDUCATION = "legal_education", _("普法宣传")
        READING = "reading", _("职工书屋与读书活动")
        MODEL_SELECTION = "model_selection", _("劳模和先进评选")
        WOMEN = "women", _("女职工工作")
        RESEARCH = "research", _("调查研究")
        CADRE_TRAINING = "cadre_training", _("工会干部培训")
        OTHER = "other", _("其他")

    federation = models.ForeignKey(
        Federation,
        verbose_name=_("主办联合会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    union = models.ForeignKey(
        "unions.GrassrootsUnion",
        verbose_name=_("主办基层工会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    title = models.CharField(_("活动名称"), max_length=200)
    category = models.CharField(_("活动类别"), max_length=20, choices=Category.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("参与人次"), default=0)
    beneficiaries = models.PositiveIntegerField(_("受益人数"), default=0)
    spending = money_field(_("经费支出(元)"))
    summary = models.TextField(_("活动概要"), blank=True)
    history = HistoricalRecords(table_name="federation_historicalactivity")

    class Meta:
        db_table = "federation_activity"
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_on", "-id"]
        # Unnamed: its name (federation__starts__8309d3_idx) is derived from db_table, kept above.
        indexes = [models.Index(fields=["starts_on", "category"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(federation__isnull=False) & Q(union__isnull=True))
                | (Q(federation__isnull=True) & Q(union__isnull=False)),
                name="activity_one_organiser",
                violation_error_message=_("主办方须为一个联合会或一个基层工会（二者选一）。"),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(spending__gte=0), name="activity_spending_gte_0"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # "Exactly one organiser" is checked by validate_constraints(), with the constraint's message.
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})

    @property
    def organiser(self):
        return self.federation or self.union


def activity_photo_path(instance: ActivityPhoto, filename: str) -> str:
    # Named by the migrations only: photos are now stored under random names (RandomName below).
    return f"activities/{instance.activity_id}/{filename}"


class ActivityPhoto(TimeStamped):
    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="photos"
    )
    image = PrivateImageField(
        _("照片"),
        upload_to=RandomName("activities"),
        download_view="activities:photo",
        name_field="image_name",
        form_class=PhotoFormField,
    )
    image_name = models.CharField(_("照片文件名"), max_length=255, blank=True, editable=False)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords(table_name="federation_historicalactivityphoto")

    class Meta:
        db_table = "federation_activityphoto"
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")

    def __str__(self) -> str:
        return self.caption or self.image.original_name
