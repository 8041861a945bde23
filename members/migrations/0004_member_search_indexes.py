"""Member.id_number_valid (the 工作台's 身份证号无效 check, read through a partial index) and the
indexes of the member list's order and name search.

The flag is added with the default True, which costs no rewrite of a large table, and then set to
False by one UPDATE on the rows the database's own check finds invalid (few); new rows take the
model's default False until a writer proves the number good."""

from django.db import migrations, models
from django.db.models import Q

from federation.identifiers import resident_id_invalid_q


def mark_invalid_numbers(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    Member.objects.filter(Q(id_type="resident_id") & resident_id_invalid_q("id_number")).update(
        id_number_valid=False
    )


def flag(default: bool) -> models.BooleanField:
    return models.BooleanField(
        default=default,
        editable=False,
        help_text="居民身份证号码的位数、格式和校验位正确（其他证件不作校验）。",
        verbose_name="证件号码有效",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_drop_unused_reveal_permission"),
    ]

    operations = [
        migrations.AddField(model_name="member", name="id_number_valid", field=flag(True)),
        migrations.AddField(model_name="historicalmember", name="id_number_valid", field=flag(True)),
        migrations.RunPython(mark_invalid_numbers, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(model_name="member", name="id_number_valid", field=flag(False)),
        migrations.AlterField(model_name="historicalmember", name="id_number_valid", field=flag(False)),
        migrations.AddIndex(
            model_name="member", index=models.Index(fields=["name", "id"], name="member_name_id")
        ),
        migrations.AddIndex(
            model_name="member", index=models.Index(fields=["joined_on", "id"], name="member_joined_on_id")
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                condition=Q(id_number_valid=False), fields=["union"], name="member_id_number_invalid"
            ),
        ),
    ]
