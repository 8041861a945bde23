"""An export job names its list's export by a key (federation.exports.registry), which every app fills
at start-up; a key nobody registered ends the job as 失败, and jobs stored with the old dotted paths
are given their keys by a data migration."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from federation.exports import registry
from federation.exports.jobs import write_task
from federation.federations.lists import FEDERATIONS
from federation.models import ExportJob
from members.lists import AID_RECORDS, HARDSHIP_CASES, MEMBERS
from tests.federation.test_export_jobs import rows_of
from tests.federation.test_exports import _records
from unions.lists import ACTIVITIES, CONTRACTS, UNIONS

LISTS = {
    "members:list": MEMBERS,
    "unions:list": UNIONS,
    "unions:contract-list": CONTRACTS,
    "hardship:list": HARDSHIP_CASES,
    "hardship:aid-list": AID_RECORDS,
    "activities:list": ACTIVITIES,
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_every_staff_list_registers_its_export_under_its_key():
    for staff_list in (*LISTS.values(), FEDERATIONS):
        assert registry.get(staff_list.key) == staff_list.exporter
    keys = [staff_list.key for staff_list in (*LISTS.values(), FEDERATIONS)]
    assert len(set(keys)) == len(keys)
    assert max(map(len, keys)) <= ExportJob._meta.get_field("kind").max_length


def test_an_unknown_key_names_no_export():
    with pytest.raises(registry.UnknownExport):
        registry.get("members.views.member_export")


def test_a_second_export_under_a_taken_key_is_refused():
    registry.register(MEMBERS.key, MEMBERS.exporter)  # the same again: nothing changes
    with pytest.raises(ImproperlyConfigured):
        registry.register(MEMBERS.key, UNIONS.exporter)
    assert registry.get(MEMBERS.key) == MEMBERS.exporter


def test_a_list_export_above_the_limit_stores_the_lists_key(client, county_staff, union_a, media, settings):
    _records("members:list", 3, union_a)
    settings.EXPORT_INLINE_MAX_ROWS = 2
    client.force_login(county_staff)
    client.get(reverse("members:list"), {"format": "xlsx"})
    assert ExportJob.objects.get().kind == "members"


@pytest.mark.parametrize("url_name", LISTS)
def test_a_job_created_with_a_key_runs_that_lists_export(client, county_staff, union_a, media, url_name):
    _records(url_name, 3, union_a)
    client.force_login(county_staff)
    inline = rows_of(client.get(reverse(url_name), {"format": "xlsx"}))
    staff_list = LISTS[url_name]
    job = ExportJob.objects.create(
        kind=staff_list.key, title="导出", file_name="x.xlsx", created_by=county_staff, query=""
    )

    write_task(job.pk)

    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    header = [str(column.header) for column in staff_list.exporter_class.columns]
    download = rows_of(client.get(reverse("exports:download", args=[job.pk])))
    assert list(download[0]) == header
    assert download == inline


def test_a_job_with_an_unknown_key_ends_as_failed_with_a_message(client, county_staff, media):
    job = ExportJob.objects.create(
        kind="federation.activity_views.no_such_export", title="活动记录", created_by=county_staff
    )

    write_task(job.pk)

    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and job.finished_at is not None and not job.file
    client.force_login(county_staff)
    page = client.get(reverse("exports:detail", args=[job.pk]))
    assert page.status_code == 200
    assert "失败" in page.content.decode() and "生成文件时出错" in page.content.decode()
    assert client.get(reverse("exports:status", args=[job.pk])).json()["finished"] is True


def test_the_migration_gives_jobs_stored_with_dotted_paths_their_keys(county_staff):
    migration = importlib.import_module("federation.migrations.0007_export_job_kind_keys")
    kinds = {
        "members.views.member_export": "members",
        "unions.views.union_export": "unions",
        "unions.views.contract_export": "contracts",
        "members.hardship.views.case_export": "hardship-cases",
        "members.hardship_views.aid_export": "aid-records",
        "federation.activity_views.activity_export": "activities",
        "members.views.no_such_export": "members.views.no_such_export",
    }
    jobs = {old: ExportJob.objects.create(kind=old, title="导出", created_by=county_staff) for old in kinds}

    migration.to_keys(apps, None)

    for old, new in kinds.items():
        jobs[old].refresh_from_db()
        assert jobs[old].kind == new
        if new != old:
            registry.get(new)  # every mapped key names a registered export
