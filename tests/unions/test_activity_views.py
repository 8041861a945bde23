"""The activity pages: scoped list and detail, create and edit with one organiser, photo upload."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.support.factories import ActivityFactory
from unions.activities.models import Activity


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def activity_a(union_a):
    return ActivityFactory(union=union_a, title="甲公司职工运动会")


@pytest.fixture
def county_activity(county):
    return ActivityFactory(union=None, federation=county, title="全县劳动竞赛")


def _png(name="photo.png", fmt="PNG", size=(20, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def _activity_data(**extra):
    data = {
        "title": "读书月",
        "category": "reading",
        "starts_on": "2025-04-23",
        "participants": "30",
        "beneficiaries": "30",
        "spending": "1000",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("role", "shown", "status"),
    [
        ("county_staff", {"甲公司职工运动会", "全县劳动竞赛"}, 200),
        ("county_chair", {"甲公司职工运动会", "全县劳动竞赛"}, 200),
        ("cadre_a", {"甲公司职工运动会"}, 200),
        ("outside_staff", set(), 404),
    ],
)
def test_activity_pages_follow_the_scope(client, request, activity_a, county_activity, role, shown, status):
    client.force_login(request.getfixturevalue(role))
    page = client.get(reverse("activities:list")).context["page"]
    assert {a.title for a in page.object_list} == shown
    assert client.get(reverse("activities:detail", args=[activity_a.pk])).status_code == status


def test_cadre_cannot_open_a_federation_activity(client, cadre_a, county_activity):
    client.force_login(cadre_a)
    assert client.get(reverse("activities:detail", args=[county_activity.pk])).status_code == 404
    assert client.get(reverse("activities:edit", args=[county_activity.pk])).status_code == 404


def test_chair_reads_but_gets_403_on_writes(client, county_chair, activity_a):
    client.force_login(county_chair)
    assert client.get(reverse("activities:create")).status_code == 403
    assert client.get(reverse("activities:edit", args=[activity_a.pk])).status_code == 403
    upload = {"image": _png()}
    assert client.post(reverse("activities:photo-upload", args=[activity_a.pk]), upload).status_code == 403


def test_cadre_creates_an_activity_of_their_union(client, cadre_a, union_a):
    client.force_login(cadre_a)
    response = client.post(reverse("activities:create"), _activity_data(union=union_a.pk), follow=True)
    activity = Activity.objects.get(title="读书月")
    assert activity.union == union_a and activity.federation is None
    assert "已登记活动“读书月”" in response.content.decode()


def test_cadre_cannot_organise_for_another_union(client, cadre_a, union_b):
    client.force_login(cadre_a)
    response = client.post(reverse("activities:create"), _activity_data(union=union_b.pk))
    assert response.status_code == 200 and "union" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_organiser_is_exactly_one(client, county_staff, county, union_a):
    client.force_login(county_staff)
    both = client.post(reverse("activities:create"), _activity_data(union=union_a.pk, federation=county.pk))
    assert "二者选一" in str(both.context["form"].non_field_errors())
    neither = client.post(reverse("activities:create"), _activity_data())
    assert "二者选一" in str(neither.context["form"].non_field_errors())
    client.post(reverse("activities:create"), _activity_data(federation=county.pk))
    assert Activity.objects.get().federation == county


def test_staff_edits_an_activity(client, county_staff, activity_a, union_a):
    client.force_login(county_staff)
    client.post(
        reverse("activities:edit", args=[activity_a.pk]),
        _activity_data(union=union_a.pk, title="改名后的运动会", ends_on="2025-04-20"),
    )
    activity_a.refresh_from_db()
    assert activity_a.title == "甲公司职工运动会"  # ends before it starts: refused
    client.post(
        reverse("activities:edit", args=[activity_a.pk]), _activity_data(union=union_a.pk, title="改名")
    )
    activity_a.refresh_from_db()
    assert activity_a.title == "改名"


def test_photo_upload_accepts_png_and_jpg(client, cadre_a, activity_a):
    client.force_login(cadre_a)
    url = reverse("activities:photo-upload", args=[activity_a.pk])
    assert client.post(url, {"image": _png(), "caption": "合影"}).status_code == 302
    assert client.post(url, {"image": _png("p.jpg", "JPEG")}).status_code == 302
    assert activity_a.photos.count() == 2
    content = client.get(reverse("activities:detail", args=[activity_a.pk])).content.decode()
    assert "合影" in content


def test_photo_upload_refuses_other_formats_and_large_files(client, settings, cadre_a, activity_a):
    client.force_login(cadre_a)
    url = reverse("activities:photo-upload", args=[activity_a.pk])
    response = client.post(url, {"image": _png("p.gif", "GIF")})
    assert response.status_code == 400
    assert "只能上传 JPG 或 PNG" in str(response.context["photo_form"].errors["image"])
    settings.UPLOAD_MAX_MB = 0
    response = client.post(url, {"image": _png()})
    assert "照片不能超过0 MB" in str(response.context["photo_form"].errors["image"])
    assert not activity_a.photos.exists()


def test_filters_narrow_the_list(client, county_staff, activity_a, county_activity, county):
    ActivityFactory(union=activity_a.union, title="旧活动", starts_on=dt.date(2023, 5, 1))
    client.force_login(county_staff)
    url = reverse("activities:list")
    assert {a.title for a in client.get(url, {"year": "2023"}).context["page"].object_list} == {"旧活动"}
    by_federation = client.get(url, {"federation": county.pk}).context["page"].object_list
    assert [a.title for a in by_federation] == ["全县劳动竞赛"]


@pytest.mark.parametrize("view", ["activities:list", "activities:detail"])
def test_query_count_does_not_grow(
    client, county_staff, union_a, county, view, django_assert_max_num_queries
):
    from unions.activities.models import ActivityPhoto

    client.force_login(county_staff)

    def add(n):
        for i in range(n):
            activity = (
                ActivityFactory(union=union_a) if i % 2 else ActivityFactory(union=None, federation=county)
            )
            ActivityPhoto.objects.create(activity=Activity.objects.first(), image=f"activities/x{i}.png")
            del activity

    def url():
        return (
            reverse(view) if view == "activities:list" else reverse(view, args=[Activity.objects.first().pk])
        )

    add(3)
    with django_assert_max_num_queries(20) as few:
        client.get(url())
    add(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url())


@pytest.mark.parametrize(
    ("role", "read", "write", "create"),
    [
        ("county_staff", 200, 200, 200),
        ("county_chair", 200, 403, 403),
        ("cadre_a", 200, 200, 200),
        ("outside_staff", 404, 404, 200),
    ],
)
def test_every_page_by_role(client, request, activity_a, role, read, write, create):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("activities:list")).status_code == 200
    assert client.get(reverse("activities:detail", args=[activity_a.pk])).status_code == read
    assert client.get(reverse("activities:edit", args=[activity_a.pk])).status_code == write
    assert client.get(reverse("activities:create")).status_code == create
