"""ExportJob.kind names the list's export by its key in federation.exports.registry, no longer by the
dotted path of a view module's builder. Jobs of an unknown kind are left as they are: run again, they
end as 失败."""

from django.db import migrations

KEYS = {
    "members.views.member_export": "members",
    "unions.views.union_export": "unions",
    "unions.views.contract_export": "contracts",
    "members.hardship.views.case_export": "hardship-cases",
    "members.hardship.views.aid_export": "aid-records",
    "unions.activities.views.activity_export": "activities",
    # Where the builders were before the views became packages.
    "members.hardship_views.case_export": "hardship-cases",
    "members.hardship_views.aid_export": "aid-records",
    "federation.activity_views.activity_export": "activities",
}
PATHS = {
    "members": "members.views.member_export",
    "unions": "unions.views.union_export",
    "contracts": "unions.views.contract_export",
    "hardship-cases": "members.hardship.views.case_export",
    "aid-records": "members.hardship.views.aid_export",
    "activities": "unions.activities.views.activity_export",
}


def _rename(apps, names: dict[str, str]) -> None:
    ExportJob = apps.get_model("federation", "ExportJob")
    for old, new in names.items():
        ExportJob.objects.filter(kind=old).update(kind=new)


def to_keys(apps, schema_editor):
    _rename(apps, KEYS)


def to_paths(apps, schema_editor):
    _rename(apps, PATHS)


class Migration(migrations.Migration):
    dependencies = [
        ("federation", "0006_activity_moved_to_unions"),
    ]

    operations = [
        migrations.RunPython(to_keys, to_paths),
    ]
