"""删除照片 of an activity: POST only, by those who may change the activity; the file leaves the
storage and the history keeps who removed it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.support.factories import ActivityFactory
from unions.activities.models import ActivityPhoto

# Every test here runs with the files on the disk and again in S3 (tests/support/s3.py).
pytestmark = pytest.mark.usefixtures("any_storage")


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def activity_a(union_a):
    return ActivityFactory(union=union_a, title="甲公司职工运动会")


@pytest.fixture
def photo(activity_a):
    return ActivityPhoto.objects.create(activity=activity_a, image=_png(), caption="开幕式")


def delete_url(photo):
    return reverse("activities:photo-delete", args=[photo.activity_id, photo.pk])


def test_deleting_a_photo_removes_the_record_and_the_file_and_keeps_who_did_it(
    client, photo, cadre_a, django_capture_on_commit_callbacks
):
    storage, name = photo.image.storage, photo.image.name
    assert storage.exists(name)
    client.force_login(cadre_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url(photo))
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:detail", args=[photo.activity_id])
    assert not ActivityPhoto.objects.filter(pk=photo.pk).exists()
    assert not storage.exists(name)
    removal = ActivityPhoto.history.get(id=photo.pk, history_type="-")
    assert removal.history_user == cadre_a


def test_the_detail_page_offers_removal_with_a_confirmation_to_those_who_may_change(
    client, photo, cadre_a, county_chair
):
    client.force_login(cadre_a)
    page = client.get(reverse("activities:detail", args=[photo.activity_id])).content.decode()
    assert delete_url(photo) in page
    assert "data-confirm" in page
    client.force_login(county_chair)
    page = client.get(reverse("activities:detail", args=[photo.activity_id])).content.decode()
    assert delete_url(photo) not in page


def test_a_get_does_not_delete(client, photo, cadre_a):
    client.force_login(cadre_a)
    assert client.get(delete_url(photo)).status_code == 405
    assert ActivityPhoto.objects.filter(pk=photo.pk).exists()


@pytest.mark.parametrize(
    ("user_fixture", "status"), [("county_chair", 403), ("cadre_b", 404), ("outside_staff", 404)]
)
def test_a_reader_gets_403_and_another_scope_404_with_the_photo_kept(
    client, request, photo, user_fixture, status, django_capture_on_commit_callbacks
):
    client.force_login(request.getfixturevalue(user_fixture))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(delete_url(photo)).status_code == status
    assert ActivityPhoto.objects.filter(pk=photo.pk).exists()
    assert photo.image.storage.exists(photo.image.name)


def test_a_photo_of_another_activity_is_a_404(client, photo, cadre_a, union_a):
    other = ActivityFactory(union=union_a)
    client.force_login(cadre_a)
    assert client.post(reverse("activities:photo-delete", args=[other.pk, photo.pk])).status_code == 404
    assert ActivityPhoto.objects.filter(pk=photo.pk).exists()
