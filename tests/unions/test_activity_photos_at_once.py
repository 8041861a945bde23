"""Several activity photos chosen at once are uploaded in one step — each checked and re-encoded like
a single one, all saved or, when one is refused, none, the refusal naming the file."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from federation.uploads import content
from tests.support.factories import ActivityFactory
from unions.activities.models import ActivityPhoto

pytestmark = pytest.mark.usefixtures("any_storage")


@pytest.fixture
def activity_a(union_a):
    return ActivityFactory(union=union_a, title="甲公司职工运动会")


def _photo(name, fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def _upload(client, activity, files, caption=""):
    return client.post(
        reverse("activities:photo-upload", args=[activity.pk]), {"image": files, "caption": caption}
    )


def test_the_photo_field_lets_a_person_choose_several(client, cadre_a, activity_a):
    client.force_login(cadre_a)
    page = client.get(reverse("activities:detail", args=[activity_a.pk])).content.decode()
    assert 'type="file" name="image"' in page and " multiple" in page


def test_three_photos_are_uploaded_in_one_step(client, cadre_a, activity_a):
    client.force_login(cadre_a)
    response = _upload(
        client, activity_a, [_photo("开幕.png"), _photo("比赛.jpg", "JPEG"), _photo("颁奖.png")], "运动会"
    )
    assert response.status_code == 302
    photos = list(activity_a.photos.order_by("pk"))
    assert [p.image.original_name for p in photos] == ["开幕.png", "比赛.jpg", "颁奖.png"]
    assert {p.caption for p in photos} == {"运动会"}
    assert all(default_storage.exists(p.image.name) for p in photos)
    assert photos[0].history.latest().history_user == cadre_a
    assert "已上传3张照片。" in client.get(response["Location"]).content.decode()


def test_one_file_that_is_not_a_photo_stops_them_all_and_is_named(client, cadre_a, activity_a):
    client.force_login(cadre_a)
    fake = SimpleUploadedFile("名单.png", b"<html>not a photo</html>", content_type="image/png")
    response = _upload(client, activity_a, [_photo("a.png"), fake, _photo("b.gif", "GIF")])
    assert response.status_code == 400
    errors = response.context["photo_form"].errors["image"]
    assert any(e.startswith("名单.png：") for e in errors)
    assert any(e.startswith("b.gif：") and "只能上传 JPG 或 PNG" in e for e in errors)
    assert not ActivityPhoto.objects.exists()


def test_too_many_photos_at_once_are_refused_in_chinese(client, cadre_a, activity_a, monkeypatch):
    monkeypatch.setattr(content, "PHOTOS_AT_ONCE", 2)
    client.force_login(cadre_a)
    response = _upload(client, activity_a, [_photo(f"{i}.png") for i in range(3)])
    assert "一次最多上传2张照片" in str(response.context["photo_form"].errors["image"])
    assert not ActivityPhoto.objects.exists()


def test_no_photo_chosen_is_a_form_error(client, cadre_a, activity_a):
    client.force_login(cadre_a)
    response = client.post(reverse("activities:photo-upload", args=[activity_a.pk]), {"caption": "x"})
    assert response.status_code == 400
    assert response.context["photo_form"].errors["image"]
