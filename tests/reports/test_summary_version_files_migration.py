"""reports 0002 moves the PDF and XLSX of every finalised summary from bytea columns into the storage,
byte for byte (the PDF's sha256 still matches), and moving back restores the columns."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from federation.models import User
from tests.support.factories import FederationFactory, UserFactory

BEFORE = [("reports", "0001_initial")]
AFTER = [("reports", "0002_summary_version_files_in_storage")]
PDF = b"%PDF-1.4 finalised in 2025"
XLSX = b"PK\x03\x04 the statistics workbook"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_finalised_files_move_into_the_bucket_unchanged_and_back(s3_storage, s3_server):
    federation = FederationFactory(name="测试市总工会")
    chair = UserFactory(role=User.Role.CHAIR, federation=federation)
    try:
        old_apps = _migrate(BEFORE)
        OldVersion = old_apps.get_model("reports", "SummaryVersion")
        OldVersion.objects.create(
            federation_id=federation.pk,
            year=2025,
            number=1,
            indicators={},
            pdf=PDF,
            xlsx=XLSX,
            pdf_sha256=hashlib.sha256(PDF).hexdigest(),
            finalised_by_id=chair.pk,
        )

        # The model as it was after 0002: today's has columns later migrations add.
        version = _migrate(AFTER).get_model("reports", "SummaryVersion").objects.get()
        assert version.pdf.name.startswith("summaries/") and version.pdf.name.endswith(".pdf")
        keys = s3_server.keys(s3_storage["S3_PREFIX"])
        assert f"{s3_storage['S3_PREFIX']}/{version.xlsx.name}" in keys
        with version.pdf.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == version.pdf_sha256
        with version.xlsx.open("rb") as handle:
            assert handle.read() == XLSX

        old_apps = _migrate(BEFORE)
        back = old_apps.get_model("reports", "SummaryVersion").objects.get()
        assert (bytes(back.pdf), bytes(back.xlsx)) == (PDF, XLSX)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
