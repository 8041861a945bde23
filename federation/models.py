"""Federations (a tree), their yearly figures, staff accounts with roles, import batches and export jobs."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from federation.history import HistoricalRecords
from federation.identifiers import mask_phone, normalise_phone
from federation.uploads.fields import PrivateFileField, RandomName

NON_NEGATIVE = [MinValueValidator(0)]
NON_NEGATIVE_MONEY = [MinValueValidator(Decimal("0"))]


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    """Money in 元 with two places, never negative."""
    kwargs.setdefault("default", Decimal("0"))
    return models.DecimalField(
        verbose_name, max_digits=14, decimal_places=2, validators=NON_NEGATIVE_MONEY, **kwargs
    )


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class Federation(TimeStamped):
    """工会联合会 / 总工会: a node of the federation tree.

    `path` is the materialised path of ids ("/1/4/9/") so that "this federation and every federation
    below it" is one indexed prefix match, whatever the depth.
    """

    class Level(models.TextChoices):
        COUNTY = "county", _("县区总工会")
        TOWNSHIP = "township", _("乡镇(街道)工会联合会")
        PARK = "park", _("园区工会联合会")
        INDUSTRY = "industry", _("行业工会联合会")
        COMMUNITY = "community", _("村(社区)工会联合会")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级联合会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(_("树路径"), max_length=255, editable=False, db_index=True, default="")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    chair_name = models.CharField(_("主席"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工会联合会")
        verbose_name_plural = _("工会联合会")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)

    def clean(self) -> None:
        if self.pk and self.parent_id:
            if self.parent_id == self.pk or (self.parent.path or "").startswith(self.path or "\0"):
                raise ValidationError({"parent": _("上级联合会不能是本联合会或其下级。")})

    def save(self, *args, **kwargs) -> None:
        # Paths are read from the database, not from this instance or its cached parent: either may
        # be stale after a move made through another instance, and writing a stale path back would
        # cut this federation off from its subtree.
        objects = type(self).objects
        with transaction.atomic():
            old_path = objects.filter(pk=self.pk).values_list("path", flat=True).first() if self.pk else None
            parent_path = (
                objects.filter(pk=self.parent_id).values_list("path", flat=True).get()
                if self.parent_id
                else "/"
            )
            if old_path and parent_path.startswith(old_path):
                raise ValidationError({"parent": _("上级联合会不能是本联合会或其下级。")})
            if self.pk:  # so that the history row of this save carries the right path
                self.path = f"{parent_path}{self.pk}/"
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "path"}
            super().save(*args, **kwargs)
            if not old_path:
                # A new federation's id is known only now: its path and its creation's history row
                # are completed together, so that the history never shows a path it did not have.
                self.path = f"{parent_path}{self.pk}/"
                objects.filter(pk=self.pk).update(path=self.path)
                self.history.filter(history_type="+").update(path=self.path)
            elif old_path != self.path:
                self._move_subtree(old_path)

    def _move_subtree(self, old_path: str) -> None:
        """Rewrite the paths below this federation after it moved, each with a history row naming
        whoever moved it (the user of this save, else the request's) and why the path changed."""
        now = timezone.now()
        below = list(type(self).objects.filter(path__startswith=old_path).exclude(pk=self.pk))
        for child in below:
            child.path = self.path + child.path[len(old_path) :]
            child.updated_at = now
        bulk_update_with_history(
            below,
            type(self),
            ["path", "updated_at"],
            batch_size=500,
            default_user=getattr(self, "_history_user", None),
            default_change_reason=str(_("随上级“%(name)s”移动")) % {"name": self.name},
            default_date=now,
        )

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def subtree(self) -> models.QuerySet[Federation]:
        """This federation and every federation below it."""
        return Federation.objects.filter(path__startswith=self.path)


class FederationYear(TimeStamped):
    """年度基本情况: per federation and year, the figures that cannot be counted from records."""

    federation = models.ForeignKey(
        Federation, verbose_name=_("工会联合会"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    employers_should_unionise = models.PositiveIntegerField(_("应建会单位数"), null=True, blank=True)
    employees_in_jurisdiction = models.PositiveIntegerField(_("辖区职工总数"), null=True, blank=True)
    min_living_standard = models.DecimalField(
        _("当地城市低保标准(元/月)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE_MONEY,
    )
    # The federation's own union staff, which the statistical return (基层以上工会调查表) asks for and no
    # record holds (the unions' own are on GrassrootsUnion).
    own_full_time_staff = models.PositiveIntegerField(_("本级专职工会工作人员数"), null=True, blank=True)
    own_part_time_staff = models.PositiveIntegerField(_("本级兼职工会工作人员数"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度基本情况")
        verbose_name_plural = _("年度基本情况")
        ordering = ["federation", "-year"]
        constraints = [models.UniqueConstraint(fields=["federation", "year"], name="federation_year_unique")]

    def __str__(self) -> str:
        return f"{self.federation} {self.year}"


class User(AbstractUser):
    """A staff account. The role and the federation or union it is bound to decide its scope
    (federation/scoping.py)."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("系统管理员")
        FEDERATION_STAFF = "federation_staff", _("联合会工作人员")
        CHAIR = "chair", _("联合会主席")
        UNION_CADRE = "union_cadre", _("基层工会干事")

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.UNION_CADRE)
    federation = models.ForeignKey(
        Federation,
        verbose_name=_("所属联合会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("联合会工作人员和主席：可见本联合会及其所有下级。"),
    )
    union = models.ForeignKey(
        "unions.GrassrootsUnion",
        verbose_name=_("所属基层工会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("基层工会干事：只可见本工会。"),
    )
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        permissions = [
            ("view_full_identifiers", _("可查看完整身份证号和手机号")),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """How a person is named wherever the ledger shows who did something (登记人, 审核人, 建档人…):
        the full name, or the username of an account that has none."""
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Chinese names are written family name first with no space (张 + 三 → 张三); Django's own
        joins first and last name with a space."""
        first, last = self.first_name.strip(), self.last_name.strip()
        if any(not part.isascii() for part in (first, last)):
            return f"{last}{first}"
        return f"{first} {last}".strip()

    def clean(self) -> None:
        super().clean()
        self.phone = normalise_phone(self.phone)
        if self.role in (self.Role.FEDERATION_STAFF, self.Role.CHAIR) and not self.federation_id:
            raise ValidationError({"federation": _("联合会工作人员和主席必须指定所属联合会。")})
        if self.role == self.Role.UNION_CADRE and not self.union_id and not self.is_superuser:
            raise ValidationError({"union": _("基层工会干事必须指定所属基层工会。")})


def import_file_path(instance: ImportBatch, filename: str) -> str:
    # Named by migration 0004 only: the field below names its files with RandomName.
    return f"imports/{uuid.uuid4().hex}.xlsx"


class ImportBatch(TimeStamped):
    """导入记录: one uploaded file, from validation through its preview to the commit (or cancel).

    The file itself is deleted once the import is committed or cancelled (it holds people's ID
    numbers); its name, size and sha256 stay, with the counts, as the record of what was imported.
    """

    class Kind(models.TextChoices):
        MEMBERS = "members", _("会员花名册")
        UNIONS = "unions", _("基层工会名单")
        UNION_YEARS = "union_years", _("年度职工情况")
        AID = "aid", _("帮扶/慰问发放名单")

    class Status(models.TextChoices):
        VALIDATING = "validating", _("正在检查")
        READY = "ready", _("待确认")
        INVALID = "invalid", _("有错误")
        COMMITTING = "committing", _("正在导入")
        COMMITTED = "committed", _("已导入")
        CANCELLED = "cancelled", _("已取消")
        FAILED = "failed", _("文件无法导入")

    kind = models.CharField(_("导入类型"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.VALIDATING)
    federation = models.ForeignKey(
        Federation,
        verbose_name=_("联合会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_batches",
    )
    union = models.ForeignKey(
        "unions.GrassrootsUnion",
        verbose_name=_("基层工会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_batches",
    )
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    created_by = models.ForeignKey(
        "federation.User", verbose_name=_("导入人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Kept only between the upload and the batch's end (federation.imports.batches), never served.
    file = PrivateFileField(_("文件"), upload_to=RandomName("imports"), blank=True, name_field="file_name")
    file_name = models.CharField(_("文件名"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("文件大小(字节)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows_total = models.PositiveIntegerField(_("数据行数"), default=0)
    rows_created = models.PositiveIntegerField(_("新增"), default=0)
    rows_updated = models.PositiveIntegerField(_("更新"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("无变化"), default=0)
    rows_rejected = models.PositiveIntegerField(_("有错误"), default=0)
    conflicts = models.PositiveIntegerField(_("冲突"), default=0)
    progress_done = models.PositiveIntegerField(_("已处理行数"), default=0)
    progress_total = models.PositiveIntegerField(_("待处理行数"), default=0)
    # How many times a worker took up the batch's check or commit (federation.background.begin):
    # 0 while it waits in the queue, above 1 when a worker died and another one took it again.
    attempts = models.PositiveSmallIntegerField(_("处理次数"), default=0)
    # The file-level message (why it cannot be imported), notices, and the listed problems.
    message = models.TextField(_("说明"), blank=True)
    report = models.JSONField(_("检查结果"), default=dict, blank=True)
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "sha256"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"


def export_file_path(instance: ExportJob, filename: str) -> str:
    # Named by migration 0005 only: the field below names its files with RandomName.
    return f"exports/{uuid.uuid4().hex}.xlsx"


class ExportJob(models.Model):
    """导出任务: work too long for a request, done by a worker for the user who asked — a list export
    (written from the list's stored query string: its scope and filters evaluated again for
    created_by), the summary's PDF or workbook, its 定稿 (federation.exports.registry names them)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    # The key of the list's export in federation.exports.registry (e.g. "members").
    kind = models.CharField(_("导出类型"), max_length=200)
    title = models.CharField(_("名称"), max_length=100)
    created_by = models.ForeignKey(
        "federation.User", verbose_name=_("导出人"), on_delete=models.CASCADE, related_name="+"
    )
    query = models.TextField(_("筛选条件"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.RUNNING)
    rows_done = models.PositiveIntegerField(_("已写行数"), default=0)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    # As ImportBatch.attempts: 0 while queued, above 1 when taken up again after a worker died.
    attempts = models.PositiveSmallIntegerField(_("处理次数"), default=0)
    # What the job has to tell its user, in Chinese: why it failed, or (定稿) what it made.
    message = models.TextField(_("说明"), blank=True)
    # Where the result is shown when the job makes no file (定稿: the versions page).
    result_url = models.CharField(_("结果页面"), max_length=200, blank=True)
    # Downloaded by its creator only, through exports:download.
    file = PrivateFileField(
        _("文件"),
        upload_to=RandomName("exports"),
        blank=True,
        download_view="exports:download",
        name_field="file_name",
    )
    file_name = models.CharField(_("文件名"), max_length=255)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # Touched by every progress report.
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class ChangeMark(models.Model):
    """A write that can change the figures of this federation's summary (federation.freshness): made in
    the write's own transaction, consumed by the recomputation that has seen it."""

    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="+", db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("数据变更标记")
        verbose_name_plural = _("数据变更标记")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.federation_id} {self.created_at:%Y-%m-%d %H:%M:%S}"
