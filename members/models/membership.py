"""Members (会员), their membership history (会籍变化), transfers (会籍转接) and honours."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from federation.history import HistoricalRecords
from federation.identifiers import (
    RESIDENT_ID_SHAPE,
    mask_id_number,
    mask_phone,
    normalise_phone,
    normalise_resident_id,
    resident_id_birth_date,
    resident_id_gender,
    resident_id_invalid_q,
    resident_id_well_formed,
    validate_mobile,
    validate_resident_id,
)
from federation.models import TimeStamped
from members.choices import (
    ETHNICITY_CHOICES,
    HAN,
    LIVE_STATUSES,
    OPEN_TRANSFER_STATUSES,
    ChangeReason,
    ChangeType,
    Education,
    EmploymentStatus,
    Gender,
    HukouType,
    IdType,
    MembershipStatus,
    PoliticalStatus,
    SkillGrade,
    TransferStatus,
)
from unions.models import GrassrootsUnion, HonourBase

USER = "federation.User"


def identity_from_resident_id(*, id_type, id_number, birth_date, gender) -> tuple:
    """(出生日期, 性别) as given, each one left empty filled from the ID number where it is a 居民身份证
    number whose shape holds (the number itself is checked by member_rule_errors). The roster import
    and 新增会员 both fill them this way, so that neither asks what the ID number already says; a value
    that is given is kept, and member_rule_errors checks it against the number."""
    if id_type != IdType.RESIDENT_ID or not id_number:
        return birth_date, gender
    number = normalise_resident_id(id_number)
    if not RESIDENT_ID_SHAPE.match(number):
        return birth_date, gender
    return birth_date or resident_id_birth_date(number), gender or resident_id_gender(number)


def member_rule_errors(
    *,
    id_type,
    id_number,
    birth_date,
    gender,
    mobile,
    joined_on,
    left_on=None,
    id_number_checked=False,
    mobile_checked=False,
) -> dict[str, list]:
    """The rules of Member.clean across fields, on normalised values, as {field: [messages]}.

    Shared with the roster import, which checks 100 000 rows without building a Member for each;
    its cells are validated already (`id_number_checked`, `mobile_checked`: the ID number is a valid
    resident ID, the mobile a valid number), so that only the rules across fields remain.
    """
    errors: dict[str, list] = {}
    if id_type == IdType.RESIDENT_ID and id_number:
        try:
            if not id_number_checked:
                validate_resident_id(id_number)
        except ValidationError as exc:
            errors["id_number"] = exc.messages
        else:
            born = resident_id_birth_date(id_number)
            if birth_date and born != birth_date:
                errors["birth_date"] = [_("出生日期与身份证号不一致（身份证为%(d)s）。") % {"d": born}]
            expected = resident_id_gender(id_number)
            if gender and expected != gender:
                errors["gender"] = [
                    _("性别与身份证号不一致（身份证号第17位表示%(g)s）。") % {"g": Gender(expected).label}
                ]
    if mobile and not mobile_checked:
        try:
            validate_mobile(mobile)
        except ValidationError as exc:
            errors["mobile"] = exc.messages
    if birth_date and joined_on and joined_on < birth_date:
        errors["joined_on"] = [_("入会日期不能早于出生日期。")]
    if left_on and joined_on and left_on < joined_on:
        errors.setdefault("joined_on", []).append(_("离会日期不能早于入会日期。"))
    return errors


# The fields of the 会员实名信息采集表 that the people who keep a member give, in the order the forms
# show them. The union, the joining date, the status and the leaving date follow from the membership
# history (members.services), not from these.
MEMBER_FIELDS = (
    "name",
    "gender",
    "id_type",
    "id_number",
    "birth_date",
    "ethnicity",
    "mobile",
    "member_number",
    "education",
    "political_status",
    "employment_status",
    "skill_grade",
    "job",
    "hukou_type",
    "hukou_place",
    "is_migrant_worker",
    "is_cadre",
)
# The fields that identify the person: a mistake in them is a correction an administrator makes.
IDENTITY_FIELDS = ("gender", "id_type", "id_number", "birth_date")
# The ordinary fields (会员资料) that staff edit on a member's page.
PROFILE_FIELDS = tuple(field for field in MEMBER_FIELDS if field not in IDENTITY_FIELDS)


def member_id_number_valid(id_type: str, id_number: str) -> bool:
    """Member.id_number_valid for these values: a 居民身份证 number must be well formed (shape and
    check digit); the other kinds of ID have no rule to fail."""
    return id_type != IdType.RESIDENT_ID or resident_id_well_formed(id_number)


# Writing either of these changes Member.id_number_valid.
ID_NUMBER_SOURCES = frozenset({"id_type", "id_number"})


class MemberQuerySet(models.QuerySet):
    """Every way to write members in bulk keeps Member.id_number_valid (Member.save keeps it for one)."""

    def live(self) -> MemberQuerySet:
        """Members still in their union: 在册 or 保留会籍."""
        return self.filter(status__in=LIVE_STATUSES)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.id_number_valid = member_id_number_valid(obj.id_type, obj.id_number)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if ID_NUMBER_SOURCES & set(fields):
            for obj in objs:
                obj.id_number_valid = member_id_number_valid(obj.id_type, obj.id_number)
            fields = [*fields, "id_number_valid"]
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        if not ID_NUMBER_SOURCES & kwargs.keys() or "id_number_valid" in kwargs:
            return super().update(**kwargs)
        # The rows may no longer match the filter once their numbers change: keep their keys.
        pks = list(self.values_list("pk", flat=True))
        count = super().update(**kwargs)
        self.model._default_manager.filter(pk__in=pks).update(id_number_valid=id_number_valid_expression())
        return count


def id_number_valid_expression() -> Case:
    """Member.id_number_valid computed by the database from the row's id_type and id_number (the
    same rule as member_id_number_valid), for updates in bulk and the migration that filled it."""
    return Case(
        When(Q(id_type=IdType.RESIDENT_ID) & resident_id_invalid_q("id_number"), then=Value(False)),
        default=Value(True),
    )


class Member(TimeStamped):
    """会员, with the fields of the official 会员实名信息采集表.

    The status is the result of the MembershipChange history: members.services writes one entry for
    every change and never deletes a member. One person (one ID number) has at most one live
    membership (在册 or 保留会籍) in the whole deployment; the database enforces it.
    """

    # Found through the index (union, status) of Meta, which serves a union alone as well: an index
    # of its own only slowed every insert (0.1 s of a 100 000-row roster import).
    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("所属基层工会"),
        on_delete=models.PROTECT,
        related_name="members",
        db_index=False,
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=2, choices=ETHNICITY_CHOICES, default=HAN)
    birth_date = models.DateField(_("出生日期"))
    id_type = models.CharField(
        _("证件类型"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID
    )
    # Found by an exact match only (the admin's "=id_number", the member search, the import's ANY()),
    # which the plain index member_id_number of Meta serves: db_index would add a LIKE index
    # (varchar_pattern_ops) that no query uses and every insert pays for (0.15 s of a 100 000-row
    # roster import).
    id_number = models.CharField(_("证件号码"), max_length=30)
    education = models.CharField(_("学历"), max_length=30, choices=Education.choices, blank=True)
    political_status = models.CharField(
        _("政治面貌"), max_length=20, choices=PoliticalStatus.choices, default=PoliticalStatus.MASSES
    )
    employment_status = models.CharField(
        _("就业状况"),
        max_length=20,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.ON_DUTY,
    )
    skill_grade = models.CharField(
        _("技能等级"), max_length=10, choices=SkillGrade.choices, default=SkillGrade.NONE
    )
    mobile = models.CharField(_("手机号码"), max_length=20, blank=True)
    hukou_type = models.CharField(_("户籍类型"), max_length=20, choices=HukouType.choices, blank=True)
    hukou_place = models.CharField(_("户籍所在地"), max_length=100, blank=True)
    is_migrant_worker = models.BooleanField(_("农民工会员"), default=False)
    job = models.CharField(_("工作岗位"), max_length=100, blank=True)
    joined_on = models.DateField(_("入会日期"))
    # Found by an exact match, which the index (member_number, id) of Meta serves: a second index of
    # its own (two with its LIKE index) only slowed every insert (a 100 000-row import by 0.4 s).
    member_number = models.CharField(_("会员证号"), max_length=30, blank=True)
    is_cadre = models.BooleanField(_("工会干部"), default=False)
    # Kept by every writer of id_type/id_number (Member.save, MemberQuerySet's bulk writes, the roster
    # import's rows, the demo) so that the 工作台 finds the invalid numbers through a small partial
    # index instead of computing the check digit of every member. False until proven good: a writer
    # that forgot it would show a member on the 工作台, never hide one.
    id_number_valid = models.BooleanField(
        _("证件号码有效"),
        default=False,
        editable=False,
        help_text=_("居民身份证号码的位数、格式和校验位正确（其他证件不作校验）。"),
    )
    status = models.CharField(
        _("会籍状态"),
        max_length=20,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
        editable=False,
    )
    left_on = models.DateField(
        _("离会日期"), null=True, blank=True, editable=False, help_text=_("转出、退会、除名或去世的日期。")
    )
    objects = MemberQuerySet.as_manager()
    # The roster import writes a history row per new member (and per 入会 entry), so what each row
    # costs counts: the history's 修改人 is not checked by a database foreign key, here nor on
    # MembershipChange's (a trigger per row at the commit: 0.7 s of a 100 000-row import; users are
    # deactivated, never deleted, and Django's SET_NULL still applies should one be), and the history
    # has no index of the ID number (0.5 s; the history of a member is found by the member's id).
    history = HistoricalRecords(user_db_constraint=False, no_db_index=["id_number"])

    class Meta:
        verbose_name = _("会员")
        verbose_name_plural = _("会员")
        ordering = ["union", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(status__in=["active", "reserved"]),
                name="member_one_live_membership_per_id",
                violation_error_message=_("该证件号码已是在册会员，同一人只能有一个有效会籍。"),
                # "unique" on a one-field constraint: Django files the error under id_number.
                violation_error_code="unique",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="member_left_after_joined",
            ),
            models.CheckConstraint(
                condition=Q(joined_on__gte=F("birth_date")), name="member_joined_after_birth"
            ),
        ]
        indexes = [
            models.Index(fields=["union", "status"]),
            models.Index(fields=["id_number"], name="member_id_number"),
            models.Index(fields=["status", "joined_on"]),
            # The member list's order (members.lists) and its name search (a range of names).
            models.Index(fields=["name", "id"], name="member_name_id"),
            # The member list sorted by 入会日期 either way.
            models.Index(fields=["joined_on", "id"], name="member_joined_on_id"),
            # … and by 会员证号.
            models.Index(fields=["member_number", "id"], name="member_member_number_id"),
            # The 工作台's 身份证号无效 to-do: the few invalid numbers, and nothing else.
            models.Index(
                fields=["union"], name="member_id_number_invalid", condition=Q(id_number_valid=False)
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile)

    def save(self, *args, **kwargs) -> None:
        self.id_number_valid = member_id_number_valid(self.id_type, self.id_number)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and ID_NUMBER_SOURCES & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "id_number_valid"}
        super().save(*args, **kwargs)

    def normalise(self) -> None:
        if self.id_type == IdType.RESIDENT_ID:
            self.id_number = normalise_resident_id(self.id_number)
        else:
            self.id_number = (self.id_number or "").strip()
        self.mobile = normalise_phone(self.mobile)
        self.name = (self.name or "").strip()

    def clean(self) -> None:
        self.normalise()
        errors = member_rule_errors(
            id_type=self.id_type,
            id_number=self.id_number,
            birth_date=self.birth_date,
            gender=self.gender,
            mobile=self.mobile,
            joined_on=self.joined_on,
            left_on=self.left_on,
        )
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None) -> None:
        # Forms exclude `status` (not editable: members.services sets it), and Django skips a
        # constraint whose condition names an excluded field; the live-membership rule must not be
        # skipped, or a duplicate ID reaches the database as an IntegrityError.
        super().validate_constraints(exclude=set(exclude or ()) - {"status"})


class MembershipChange(TimeStamped):
    """会籍变化: one entry for every change of a member's status, with the union it happened in."""

    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="changes"
    )
    # Indexed by (union, changed_on) of Meta: no index of its own.
    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("基层工会"),
        on_delete=models.PROTECT,
        related_name="membership_changes",
        db_index=False,
    )
    change_type = models.CharField(_("变化类型"), max_length=20, choices=ChangeType.choices)
    changed_on = models.DateField(_("变化日期"))
    reason = models.CharField(_("原因"), max_length=20, choices=ChangeReason.choices, blank=True)
    counterpart_union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("转入/转出工会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # a partial index of Meta
    )
    transfer = models.ForeignKey(
        "MembershipTransfer",
        verbose_name=_("会籍转接"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changes",
        db_index=False,  # a partial index of Meta
    )
    notes = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("登记人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Written a row per new member by the roster import (see Member.history): its history is found by
    # its id or its member's, not by the other keys.
    history = HistoricalRecords(
        user_db_constraint=False, no_db_index=["union", "counterpart_union", "transfer", "recorded_by"]
    )

    class Meta:
        verbose_name = _("会籍变化")
        verbose_name_plural = _("会籍变化")
        ordering = ["member", "changed_on", "id"]
        indexes = [
            # The changes of a type in a period, and what the summary counts of them (the departures by
            # type and reason, the transfers across a subtree's border) read from the index alone on
            # PostgreSQL: the table's rows are not fetched (issue 11).
            models.Index(
                fields=["change_type", "changed_on"],
                include=["id", "union", "counterpart_union", "reason"],
                name="membership_change_type_on",
            ),
            models.Index(fields=["union", "changed_on"]),
            # The summary's transfers between two unions of a subtree in a year: the few transfer
            # rows with a counterpart among millions of changes, read from the index alone.
            models.Index(
                fields=["changed_on"],
                include=["change_type", "union", "counterpart_union"],
                condition=Q(change_type__in=["transfer_in", "transfer_out"], counterpart_union__isnull=False),
                name="change_between_unions",
            ),
            # Most changes (入会, 退会) have no counterpart nor transfer: only those that do are indexed.
            models.Index(
                fields=["counterpart_union"],
                condition=Q(counterpart_union__isnull=False),
                name="membership_change_counterpart",
            ),
            models.Index(
                fields=["transfer"], condition=Q(transfer__isnull=False), name="membership_change_of_transfer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_change_type_display()} {self.changed_on}"


class MembershipTransfer(TimeStamped):
    """会籍转接: requested by either side, approved by the union the member leaves (转出) and accepted
    by the union the member joins (转入). At most one open transfer per member."""

    # Whose turn it is on an open transfer, by status: the union the member leaves approves a request
    # (转出审批), the union the member joins accepts an approved one (转入接收). The one statement of the
    # rule: awaiting_union reads it for one transfer, members.selectors.transfers_awaiting_q for many.
    TURN = {TransferStatus.REQUESTED: "from_union", TransferStatus.APPROVED: "to_union"}

    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="transfers"
    )
    from_union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("转出工会"), on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("转入工会"), on_delete=models.PROTECT, related_name="transfers_in"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    reason = models.CharField(_("转接原因"), max_length=200, blank=True)
    requested_on = models.DateField(_("申请日期"))
    requested_by = models.ForeignKey(
        USER, verbose_name=_("申请人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_on = models.DateField(_("转出审批日期"), null=True, blank=True)
    approved_by = models.ForeignKey(
        USER, verbose_name=_("转出审批人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_on = models.DateField(_("转入接收日期"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        USER, verbose_name=_("转入接收人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_by = models.ForeignKey(
        USER,
        verbose_name=_("拒绝/撤销人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closing_reason = models.CharField(_("拒绝/撤销原因"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会籍转接")
        verbose_name_plural = _("会籍转接")
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status__in=["requested", "approved"]),
                name="transfer_one_open_per_member",
                violation_error_message=_("该会员已有一个未完成的转接申请。"),
                violation_error_code="unique",
            ),
            models.CheckConstraint(
                condition=~Q(from_union=F("to_union")), name="transfer_between_two_unions"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.from_union} → {self.to_union}"

    def clean(self) -> None:
        if self.from_union_id and self.from_union_id == self.to_union_id:
            raise ValidationError({"to_union": _("转入工会不能与转出工会相同。")})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TRANSFER_STATUSES

    @property
    def awaiting_union(self) -> GrassrootsUnion | None:
        """The union whose turn it is to decide (approve or accept, or refuse); None once closed."""
        side = self.TURN.get(self.status)
        return getattr(self, side) if side else None

    @property
    def awaits_approval(self) -> bool:
        """Is it the turn of the union the member leaves (转出审批), rather than of the one the member
        joins (转入接收)?"""
        return self.TURN.get(self.status) == "from_union"


class MemberHonour(HonourBase):
    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="honours"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会员荣誉")
        verbose_name_plural = _("会员荣誉")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.member} {self.get_title_display()} {self.year}"
