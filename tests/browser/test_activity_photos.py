"""A cadre chooses several photos of an activity at once and sees them all on its page."""

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.support.factories import ActivityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cadre_uploads_three_photos_in_one_step(sign_in, cadre_a, union_a, tmp_path):
    activity = ActivityFactory(union=union_a, title="读书月")
    files = []
    for name, colour in (("一.png", "red"), ("二.png", "green"), ("三.jpg", "blue")):
        Image.new("RGB", (40, 30), colour).save(tmp_path / name)
        files.append(str(tmp_path / name))
    page = sign_in(cadre_a)
    page.goto(f"/activities/{activity.pk}/")

    page.get_by_label("照片").set_input_files(files)
    page.get_by_label("说明").fill("读书月合影")
    page.get_by_role("button", name="上传", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("已上传3张照片。")
    expect(page.locator(".photos figure")).to_have_count(3)
    expect(page.locator(".photos img").first).to_have_attribute("alt", "读书月合影")
