# Activity and ActivityPhoto (and their history) moved here from the federation app, which let go of
# them in federation 0006. The tables stay as they are (db_table keeps the federation_ names), so the
# models are created in the migration state only. Their content types are relabelled, so that the
# permissions granted on them (add_activity, change_activity, …) and the admin log keep pointing at them.

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import unions.activities.models

MOVED_MODELS = ("activity", "activityphoto", "historicalactivity", "historicalactivityphoto")


def _relabel_content_types(apps, schema_editor, *, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.db_manager(schema_editor.connection.alias)
    # A content type already under the new label (made by hand, say) is left alone and the old one
    # kept, as Django's RenameContentType does: remove_stale_contenttypes then asks what to do.
    taken = content_types.filter(app_label=new, model__in=MOVED_MODELS).values_list("model", flat=True)
    content_types.filter(app_label=old, model__in=MOVED_MODELS).exclude(model__in=list(taken)).update(
        app_label=new
    )
    content_types.clear_cache()


def content_types_to_unions(apps, schema_editor) -> None:
    _relabel_content_types(apps, schema_editor, old="federation", new="unions")


def content_types_to_federation(apps, schema_editor) -> None:
    _relabel_content_types(apps, schema_editor, old="unions", new="federation")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("federation", "0006_activity_moved_to_unions"),
        ("unions", "0002_alter_grassrootsunion_union_credit_code_unique"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Activity",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                        ("title", models.CharField(max_length=200, verbose_name="活动名称")),
                        ("category", models.CharField(choices=[("warmth", "送温暖"), ("summer_cool", "夏送清凉"), ("autumn_school", "金秋助学"), ("labour_contest", "劳动和技能竞赛"), ("ankang_cup", "安康杯竞赛"), ("skill_training", "职工技能培训"), ("culture_sports", "文体活动"), ("legal_education", "普法宣传"), ("reading", "职工书屋与读书活动"), ("model_selection", "劳模和先进评选"), ("women", "女职工工作"), ("research", "调查研究"), ("cadre_training", "工会干部培训"), ("other", "其他")], max_length=20, verbose_name="活动类别")),
                        ("starts_on", models.DateField(verbose_name="开始日期")),
                        ("ends_on", models.DateField(blank=True, null=True, verbose_name="结束日期")),
                        ("place", models.CharField(blank=True, max_length=200, verbose_name="地点")),
                        ("participants", models.PositiveIntegerField(default=0, verbose_name="参与人次")),
                        ("beneficiaries", models.PositiveIntegerField(default=0, verbose_name="受益人数")),
                        ("spending", models.DecimalField(decimal_places=2, default=Decimal("0"), max_digits=14, validators=[django.core.validators.MinValueValidator(Decimal("0"))], verbose_name="经费支出(元)")),
                        ("summary", models.TextField(blank=True, verbose_name="活动概要")),
                        ("federation", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="activities", to="federation.federation", verbose_name="主办联合会")),
                        ("union", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="activities", to="unions.grassrootsunion", verbose_name="主办基层工会")),
                    ],
                    options={
                        "verbose_name": "活动",
                        "verbose_name_plural": "活动",
                        "db_table": "federation_activity",
                        "ordering": ["-starts_on", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="ActivityPhoto",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                        ("image", models.ImageField(upload_to=unions.activities.models.activity_photo_path, verbose_name="照片")),
                        ("caption", models.CharField(blank=True, max_length=200, verbose_name="说明")),
                        ("activity", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="photos", to="unions.activity", verbose_name="活动")),
                    ],
                    options={
                        "verbose_name": "活动照片",
                        "verbose_name_plural": "活动照片",
                        "db_table": "federation_activityphoto",
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalActivity",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="创建时间")),
                        ("updated_at", models.DateTimeField(blank=True, editable=False, verbose_name="更新时间")),
                        ("title", models.CharField(max_length=200, verbose_name="活动名称")),
                        ("category", models.CharField(choices=[("warmth", "送温暖"), ("summer_cool", "夏送清凉"), ("autumn_school", "金秋助学"), ("labour_contest", "劳动和技能竞赛"), ("ankang_cup", "安康杯竞赛"), ("skill_training", "职工技能培训"), ("culture_sports", "文体活动"), ("legal_education", "普法宣传"), ("reading", "职工书屋与读书活动"), ("model_selection", "劳模和先进评选"), ("women", "女职工工作"), ("research", "调查研究"), ("cadre_training", "工会干部培训"), ("other", "其他")], max_length=20, verbose_name="活动类别")),
                        ("starts_on", models.DateField(verbose_name="开始日期")),
                        ("ends_on", models.DateField(blank=True, null=True, verbose_name="结束日期")),
                        ("place", models.CharField(blank=True, max_length=200, verbose_name="地点")),
                        ("participants", models.PositiveIntegerField(default=0, verbose_name="参与人次")),
                        ("beneficiaries", models.PositiveIntegerField(default=0, verbose_name="受益人数")),
                        ("spending", models.DecimalField(decimal_places=2, default=Decimal("0"), max_digits=14, validators=[django.core.validators.MinValueValidator(Decimal("0"))], verbose_name="经费支出(元)")),
                        ("summary", models.TextField(blank=True, verbose_name="活动概要")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        ("history_type", models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1)),
                        ("federation", models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="federation.federation", verbose_name="主办联合会")),
                        ("history_user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("union", models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="unions.grassrootsunion", verbose_name="主办基层工会")),
                    ],
                    options={
                        "verbose_name": "historical 活动",
                        "verbose_name_plural": "historical 活动",
                        "db_table": "federation_historicalactivity",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalActivityPhoto",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="创建时间")),
                        ("updated_at", models.DateTimeField(blank=True, editable=False, verbose_name="更新时间")),
                        ("image", models.TextField(max_length=100, verbose_name="照片")),
                        ("caption", models.CharField(blank=True, max_length=200, verbose_name="说明")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        ("history_type", models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1)),
                        ("activity", models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="unions.activity", verbose_name="活动")),
                        ("history_user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "historical 活动照片",
                        "verbose_name_plural": "historical 活动照片",
                        "db_table": "federation_historicalactivityphoto",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddIndex(
                    model_name="activity",
                    index=models.Index(fields=["starts_on", "category"], name="federation__starts__8309d3_idx"),
                ),
                migrations.AddConstraint(
                    model_name="activity",
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(("federation__isnull", False), ("union__isnull", True)), models.Q(("federation__isnull", True), ("union__isnull", False)), _connector="OR"), name="activity_one_organiser", violation_error_message="主办方须为一个联合会或一个基层工会（二者选一）。"),
                ),
                migrations.AddConstraint(
                    model_name="activity",
                    constraint=models.CheckConstraint(condition=models.Q(("ends_on__isnull", True), ("ends_on__gte", models.F("starts_on")), _connector="OR"), name="activity_ends_after_start"),
                ),
                migrations.AddConstraint(
                    model_name="activity",
                    constraint=models.CheckConstraint(condition=models.Q(("spending__gte", 0)), name="activity_spending_gte_0"),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_unions, content_types_to_federation),
    ]
