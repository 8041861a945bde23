"""Uploaded files are private: stored under random names, served only through views that ask the scoping
module (no /media/ route, in DEBUG or not), checked by their content, and gone from storage once the
record that held them replaced or deleted them."""

import importlib
import io
import re
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.views.static import serve
from PIL import Image

from federation.exports.base import XLSX_CONTENT_TYPE
from federation.models import ExportJob
from federation.uploads.content import PHOTO_MAX_SIDE
from tests.support.factories import ActivityFactory, ContractFactory
from unions.activities.models import ActivityPhoto
from unions.models import CollectiveContract

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HTML = b"<!doctype html><html><script>fetch('/members/?format=xlsx')</script></html>"

# Every test here runs with the files on the disk and again in S3 (tests/support/s3.py).
pytestmark = pytest.mark.usefixtures("any_storage")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _image(fmt="PNG", size=(20, 20), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, fmt, **save)
    return buffer.getvalue()


def _huge_png(width: int, height: int) -> bytes:
    """A real, valid 1-bit PNG of width × height pixels, a few kilobytes on disk (a decompression
    bomb): written chunk by chunk, since Pillow would need a byte a pixel to make it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


@pytest.fixture
def contract_a(union_a):
    contract = ContractFactory(union=union_a, title="甲公司集体合同")
    contract.scan = SimpleUploadedFile("甲公司合同.pdf", PDF)
    contract.save()
    return contract


@pytest.fixture
def photo_a(union_a):
    activity = ActivityFactory(union=union_a, title="甲公司运动会")
    return ActivityPhoto.objects.create(activity=activity, image=SimpleUploadedFile("开幕式.png", _image()))


@pytest.fixture
def job_of_county_staff(county_staff):
    job = ExportJob.objects.create(
        kind="members",
        title="会员名单",
        file_name="会员名单.xlsx",
        created_by=county_staff,
        status=ExportJob.Status.DONE,
    )
    job.file.save("export.xlsx", ContentFile(b"PK\x03\x04 workbook"))
    return job


# --- no public route ---------------------------------------------------------------------------------


def _patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern


@pytest.mark.parametrize("debug", [True, False])
def test_no_url_pattern_serves_media_url_in_debug_or_not(settings, debug):
    import federation.urls

    settings.DEBUG = debug
    try:
        urls = importlib.reload(federation.urls)
        resolver = get_resolver(urls)
        assert not [p for p in _patterns(resolver.url_patterns) if p.callback is serve]
        with pytest.raises(Resolver404):
            resolver.resolve(f"/{settings.MEDIA_URL}contracts/2025-01-01/合同.pdf")
    finally:
        settings.DEBUG = False
        importlib.reload(federation.urls)


def test_a_stored_file_is_not_reachable_under_media_url(client, contract_a, cadre_a):
    client.force_login(cadre_a)
    with pytest.raises(Resolver404):
        resolve(f"/media/{contract_a.scan.name}")
    assert client.get(f"/media/{contract_a.scan.name}").status_code == 404


# --- random names, original names ----------------------------------------------------------------------


def test_files_are_stored_under_random_names_and_keep_their_original_name(contract_a, photo_a):
    assert re.fullmatch(r"contracts/[0-9a-f]{32}\.pdf", contract_a.scan.name)
    assert contract_a.scan_name == "甲公司合同.pdf"
    assert re.fullmatch(r"activities/[0-9a-f]{32}\.png", photo_a.image.name)
    assert photo_a.image_name == "开幕式.png"
    assert default_storage.exists(contract_a.scan.name)


def test_urls_of_stored_files_name_their_views_not_media(contract_a, photo_a, job_of_county_staff):
    assert contract_a.scan.url == reverse("unions:contract-scan", args=[contract_a.pk])
    assert photo_a.image.url == reverse("activities:photo", args=[photo_a.pk])
    assert job_of_county_staff.file.url == reverse("exports:download", args=[job_of_county_staff.pk])


def test_a_scan_stored_before_random_names_downloads_under_its_stored_name(client, union_a, cadre_a):
    contract = ContractFactory(union=union_a)
    default_storage.save("contracts/2024-03-01/旧合同.pdf", ContentFile(PDF))
    CollectiveContract.objects.filter(pk=contract.pk).update(scan="contracts/2024-03-01/旧合同.pdf")
    client.force_login(cadre_a)

    response = client.get(reverse("unions:contract-scan", args=[contract.pk]))

    assert response.status_code == 200
    assert "%E6%97%A7%E5%90%88%E5%90%8C.pdf" in response["Content-Disposition"]  # 旧合同.pdf


def test_the_migration_keeps_stored_names_as_original_names(union_a):
    from django.apps import apps

    migration = importlib.import_module("unions.migrations.0004_private_files")
    contract = ContractFactory(union=union_a)
    legacy = "contracts/undated/老合同.pdf"
    CollectiveContract.objects.filter(pk=contract.pk).update(scan=legacy, scan_name="")

    migration.keep_original_names(apps, None)

    contract.refresh_from_db()
    assert contract.scan_name == "老合同.pdf"


# --- every download asks the scoping module ----------------------------------------------------------


def _downloads(contract, photo, job):
    return {
        "scan": reverse("unions:contract-scan", args=[contract.pk]),
        "photo": reverse("activities:photo", args=[photo.pk]),
        "export": reverse("exports:download", args=[job.pk]),
    }


@pytest.mark.parametrize("name", ["scan", "photo", "export"])
def test_anonymous_visitors_get_no_file_only_the_login(
    client, contract_a, photo_a, job_of_county_staff, name
):
    url = _downloads(contract_a, photo_a, job_of_county_staff)[name]
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("user", ["cadre_b", "outside_staff"])
@pytest.mark.parametrize("name", ["scan", "photo", "export"])
def test_another_tenant_gets_404_on_every_file(
    client, request, contract_a, photo_a, job_of_county_staff, user, name
):
    client.force_login(request.getfixturevalue(user))
    url = _downloads(contract_a, photo_a, job_of_county_staff)[name]
    assert client.get(url).status_code == 404


def test_a_cadre_gets_their_unions_scan_under_its_original_name(client, contract_a, cadre_a):
    client.force_login(cadre_a)
    response = client.get(reverse("unions:contract-scan", args=[contract_a.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("inline")
    assert "%E7%94%B2%E5%85%AC%E5%8F%B8%E5%90%88%E5%90%8C.pdf" in response["Content-Disposition"]


def test_the_county_sees_the_photo_of_a_union_below_it(client, photo_a, county_staff):
    client.force_login(county_staff)
    response = client.get(reverse("activities:photo", args=[photo_a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    page = client.get(reverse("activities:detail", args=[photo_a.activity_id])).text
    assert f'src="{reverse("activities:photo", args=[photo_a.pk])}"' in page


def test_the_photo_shows_with_debug_off(client, settings, photo_a, cadre_a):
    settings.DEBUG = False
    client.force_login(cadre_a)
    assert client.get(photo_a.image.url).status_code == 200


def test_the_creator_downloads_their_export(client, job_of_county_staff, county_staff):
    client.force_login(county_staff)
    response = client.get(reverse("exports:download", args=[job_of_county_staff.pk]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment")


def test_a_legacy_scan_that_is_not_a_pdf_or_image_is_only_ever_an_attachment(client, union_a, cadre_a):
    contract = ContractFactory(union=union_a)
    default_storage.save("contracts/undated/x.pdf", ContentFile(HTML))
    CollectiveContract.objects.filter(pk=contract.pk).update(scan="contracts/undated/x.pdf")
    client.force_login(cadre_a)
    response = client.get(reverse("unions:contract-scan", args=[contract.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_behind_nginx_the_view_hands_the_sending_over(
    client, settings, contract_a, cadre_a, cadre_b, any_storage
):
    settings.UPLOADS_X_ACCEL_REDIRECT = "/protected-media/"
    client.force_login(cadre_a)
    response = client.get(reverse("unions:contract-scan", args=[contract_a.pk]))
    assert response["Content-Type"] == "application/pdf"
    if any_storage == "s3":
        # nginx has no MEDIA_ROOT to send a file in the bucket from: the view streams it itself.
        assert "X-Accel-Redirect" not in response
        assert b"".join(response.streaming_content) == PDF
    else:
        assert response["X-Accel-Redirect"] == f"/protected-media/{contract_a.scan.name}"
        assert not response.content
    client.force_login(cadre_b)
    assert client.get(reverse("unions:contract-scan", args=[contract_a.pk])).status_code == 404


def test_a_missing_file_is_a_404_not_a_500(client, contract_a, cadre_a):
    default_storage.delete(contract_a.scan.name)
    client.force_login(cadre_a)
    assert client.get(reverse("unions:contract-scan", args=[contract_a.pk])).status_code == 404


# --- content checks --------------------------------------------------------------------------------


def _upload_scan(client, contract, name, content):
    return client.post(
        reverse("unions:contract-scan-upload", args=[contract.pk]),
        {"scan": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("合同.pdf", HTML),
        ("合同.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        ("合同.jpg", b"MZ\x90\x00 an executable"),
    ],
)
def test_a_scan_is_judged_by_its_content_not_its_name(client, union_a, cadre_a, name, content):
    contract = ContractFactory(union=union_a)
    client.force_login(cadre_a)

    response = _upload_scan(client, contract, name, content)

    assert response.status_code == 400
    assert "只能上传PDF、JPG或PNG文件" in response.text
    contract.refresh_from_db()
    assert not contract.scan
    assert not default_storage.exists("contracts")


@pytest.mark.parametrize("content", [PDF, _image("PNG"), _image("JPEG")])
def test_a_pdf_png_or_jpeg_scan_is_accepted_whatever_its_name(client, union_a, cadre_a, content):
    contract = ContractFactory(union=union_a)
    client.force_login(cadre_a)
    assert _upload_scan(client, contract, "扫描件.bin", content).status_code == 302
    contract.refresh_from_db()
    assert contract.scan.read() == content


def test_the_contract_form_checks_the_scan_by_content_too(client, union_a, cadre_a):
    contract = ContractFactory(union=union_a)
    client.force_login(cadre_a)
    form = client.get(reverse("unions:contract-edit", args=[contract.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "covered_unions"}
    data["scan"] = SimpleUploadedFile("合同.pdf", HTML)
    response = client.post(reverse("unions:contract-edit", args=[contract.pk]), data)
    assert "只能上传PDF、JPG或PNG文件" in str(response.context["form"].errors["scan"])


def _upload_photo(client, photo_activity, name, content):
    return client.post(
        reverse("activities:photo-upload", args=[photo_activity.pk]),
        {"image": SimpleUploadedFile(name, content, content_type="image/png")},
    )


@pytest.mark.parametrize("size", [(12_000, 12_000), (8_000, 6_000)])  # 144 and 48 megapixels
def test_a_photo_of_too_many_pixels_is_refused_in_chinese(client, union_a, cadre_a, size):
    activity = ActivityFactory(union=union_a)
    client.force_login(cadre_a)

    response = _upload_photo(client, activity, "全景.png", _huge_png(*size))

    assert response.status_code == 400
    assert "照片像素太多" in str(response.context["photo_form"].errors["image"])
    assert not activity.photos.exists()


def test_a_photo_is_re_encoded_downscaled_and_stripped_of_its_exif(client, union_a, cadre_a):
    activity = ActivityFactory(union=union_a)
    exif = Image.Exif()
    exif[0x010F] = "手机厂商"  # Make
    exif[0x8825] = {2: (39.0, 54.0, 27.0)}  # GPSInfo: a latitude
    client.force_login(cadre_a)

    response = _upload_photo(client, activity, "现场.jpg", _image("JPEG", (3000, 1000), exif=exif.tobytes()))

    assert response.status_code == 302
    stored = Image.open(activity.photos.get().image.open("rb"))
    assert stored.format == "JPEG"
    assert stored.size == (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE // 3)
    assert not stored.getexif()
    assert "exif" not in stored.info


def test_a_file_that_is_not_an_image_is_refused_as_a_photo(client, union_a, cadre_a):
    activity = ActivityFactory(union=union_a)
    client.force_login(cadre_a)
    response = _upload_photo(client, activity, "照片.png", HTML)
    assert response.status_code == 400
    assert "照片" in str(response.context["photo_form"].errors["image"])
    assert not activity.photos.exists()


# --- replaced or deleted files leave the storage after the commit ------------------------------------


def test_a_replaced_scans_old_file_is_gone_from_storage_after_the_commit(
    client, contract_a, cadre_a, django_capture_on_commit_callbacks
):
    old = contract_a.scan.name
    client.force_login(cadre_a)

    with django_capture_on_commit_callbacks() as callbacks:
        assert _upload_scan(client, contract_a, "新合同.pdf", PDF).status_code == 302
        assert default_storage.exists(old)  # not before the commit
    for callback in callbacks:
        callback()

    contract_a.refresh_from_db()
    assert contract_a.scan.name != old and contract_a.scan_name == "新合同.pdf"
    assert not default_storage.exists(old)
    assert default_storage.exists(contract_a.scan.name)


def test_a_cleared_scan_and_a_deleted_contract_leave_no_file(
    contract_a, union_a, django_capture_on_commit_callbacks
):
    old = contract_a.scan.name
    with django_capture_on_commit_callbacks(execute=True):
        contract_a.scan = ""
        contract_a.save()
    assert not default_storage.exists(old)

    other = ContractFactory(union=union_a)
    other.scan = SimpleUploadedFile("另一份.pdf", PDF)
    other.save()
    name = other.scan.name
    with django_capture_on_commit_callbacks(execute=True):
        other.delete()
    assert not default_storage.exists(name)


def test_a_rolled_back_replacement_keeps_the_old_file(contract_a):
    from django.db import transaction

    old = contract_a.scan.name
    with pytest.raises(RuntimeError), transaction.atomic():
        contract_a.scan = SimpleUploadedFile("新合同.pdf", PDF)
        contract_a.save()
        raise RuntimeError
    assert default_storage.exists(old)


# --- the admin ---------------------------------------------------------------------------------------


def test_the_admin_links_files_to_their_views_and_checks_uploads_by_content(
    admin_client, contract_a, photo_a
):
    page = admin_client.get(reverse("admin:unions_collectivecontract_change", args=[contract_a.pk])).text
    assert reverse("unions:contract-scan", args=[contract_a.pk]) in page
    assert "/media/" not in page
    page = admin_client.get(reverse("admin:unions_activityphoto_change", args=[photo_a.pk])).text
    assert reverse("activities:photo", args=[photo_a.pk]) in page and "/media/" not in page

    field = CollectiveContract._meta.get_field("scan").formfield()
    with pytest.raises(ValidationError):
        field.clean(SimpleUploadedFile("合同.pdf", HTML))
    photo_field = ActivityPhoto._meta.get_field("image").formfield()
    with pytest.raises(ValidationError):
        photo_field.clean(SimpleUploadedFile("全景.png", _huge_png(12_000, 12_000)))
