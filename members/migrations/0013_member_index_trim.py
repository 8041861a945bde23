"""Two indexes of the member table that no query uses, and that every insert paid for (0.25 s of a
100 000-row roster import): the union's own index, which the index (union, status) makes redundant,
and the LIKE index (varchar_pattern_ops) that db_index gave the ID number, which is only ever matched
exactly. The ID number keeps a plain index, named in Meta.

Written as SQL: Django's AlterField taking db_index off id_number drops every index of that one
column, the partial unique index of member_one_live_membership_per_id with them."""

import django.db.models.deletion
from django.db import migrations, models

FORWARD = [
    'DROP INDEX IF EXISTS "members_member_id_number_67abc8ba_like"',
    'DROP INDEX IF EXISTS "members_member_id_number_67abc8ba"',
    'DROP INDEX IF EXISTS "members_member_union_id_7e3c1ad7"',
    'CREATE INDEX "member_id_number" ON "members_member" ("id_number")',
]
BACKWARD = [
    'DROP INDEX IF EXISTS "member_id_number"',
    'CREATE INDEX "members_member_union_id_7e3c1ad7" ON "members_member" ("union_id")',
    'CREATE INDEX "members_member_id_number_67abc8ba" ON "members_member" ("id_number")',
]
BACKWARD_POSTGRESQL = [
    'CREATE INDEX "members_member_id_number_67abc8ba_like" ON "members_member"'
    ' ("id_number" varchar_pattern_ops)',
]


def forward(apps, schema_editor):
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for statement in BACKWARD + (BACKWARD_POSTGRESQL if postgresql else []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0012_transfers_between_unions_index"),
        ("unions", "0006_statistical_return_inputs"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="member",
                    name="id_number",
                    field=models.CharField(max_length=30, verbose_name="证件号码"),
                ),
                migrations.AlterField(
                    model_name="member",
                    name="union",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="unions.grassrootsunion",
                        verbose_name="所属基层工会",
                    ),
                ),
                migrations.AddIndex(
                    model_name="member",
                    index=models.Index(fields=["id_number"], name="member_id_number"),
                ),
            ],
            database_operations=[migrations.RunPython(forward, backward)],
        ),
    ]
