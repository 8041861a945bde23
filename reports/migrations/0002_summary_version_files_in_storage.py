"""A finalised summary's PDF and XLSX move from bytea columns to the file storage (the disk or S3),
so that the database stays small and every app server reads the same files. The bytes are copied
unchanged (the PDF's sha256 still matches); reversing copies them back."""

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations, models

import federation.uploads.fields

FOLDER = "summaries"


def bytes_to_storage(apps, schema_editor):
    SummaryVersion = apps.get_model("reports", "SummaryVersion")
    # One version at a time: a city's PDF and workbook are megabytes each.
    for pk in SummaryVersion.objects.values_list("pk", flat=True):
        version = SummaryVersion.objects.only("pdf", "xlsx").get(pk=pk)
        names = {}
        for field, suffix in (("pdf", ".pdf"), ("xlsx", ".xlsx")):
            content = ContentFile(bytes(getattr(version, field)))
            names[f"{field}_file"] = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}{suffix}", content)
        SummaryVersion.objects.filter(pk=pk).update(**names)


def storage_to_bytes(apps, schema_editor):
    SummaryVersion = apps.get_model("reports", "SummaryVersion")
    for pk in SummaryVersion.objects.values_list("pk", flat=True):
        version = SummaryVersion.objects.only("pdf_file", "xlsx_file").get(pk=pk)
        content = {}
        for field in ("pdf", "xlsx"):
            with default_storage.open(getattr(version, f"{field}_file").name, "rb") as handle:
                content[field] = handle.read()
        SummaryVersion.objects.filter(pk=pk).update(**content)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="summaryversion",
            name="pdf_file",
            field=federation.uploads.fields.PrivateFileField(
                default="", upload_to=federation.uploads.fields.RandomName("summaries"), verbose_name="PDF"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="summaryversion",
            name="xlsx_file",
            field=federation.uploads.fields.PrivateFileField(
                default="", upload_to=federation.uploads.fields.RandomName("summaries"), verbose_name="XLSX"
            ),
            preserve_default=False,
        ),
        # Nullable before they go, so that undoing this migration can add them back before it fills them.
        migrations.AlterField(
            model_name="summaryversion", name="pdf", field=models.BinaryField(null=True, verbose_name="PDF")
        ),
        migrations.AlterField(
            model_name="summaryversion", name="xlsx", field=models.BinaryField(null=True, verbose_name="XLSX")
        ),
        migrations.RunPython(bytes_to_storage, storage_to_bytes, elidable=True),
        migrations.RemoveField(model_name="summaryversion", name="pdf"),
        migrations.RemoveField(model_name="summaryversion", name="xlsx"),
        migrations.RenameField(model_name="summaryversion", old_name="pdf_file", new_name="pdf"),
        migrations.RenameField(model_name="summaryversion", old_name="xlsx_file", new_name="xlsx"),
    ]
