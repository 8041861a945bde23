"""What a clerk sees is Chinese and names people (issue 12, findings 3 and 9), in Chromium: the 排序 of
a list, an action's address reloaded (Chrome's 「HTTP ERROR 405」 before), who recorded an aid record,
and the administrator's permission picker with the privacy permission on top."""

import re

import pytest
from django.urls import reverse

from tests.support.factories import AidRecordFactory, HardshipCaseFactory, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_list_sorts_by_name_descending_in_chinese(sign_in, county_staff, union_a):
    MemberFactory(union=union_a)
    page = sign_in(county_staff)
    page.goto(reverse("members:list"))
    labels = page.locator("select[name=sort] option").all_inner_texts()
    assert "姓名（降序）" in labels
    assert not [label for label in labels if "descending" in label]


def test_an_action_reloaded_shows_a_chinese_page_with_the_way_back(sign_in, cadre_a, union_a):
    case = HardshipCaseFactory(member=MemberFactory(union=union_a, name="钱守规"))
    page = sign_in(cadre_a)
    response = page.goto(reverse("hardship:close", args=[case.pk]))
    assert response is not None and response.status == 405
    assert page.get_by_role("heading", name="不支持的操作方式（405）").is_visible()
    page.get_by_role("link", name="返回操作所在的页面").click()
    page.wait_for_url(re.compile(rf"/hardship/{case.pk}/$"))
    assert page.get_by_text("钱守规").first.is_visible()


def test_the_recorder_of_an_aid_record_is_shown_by_name(sign_in, cadre_a, union_a):
    cadre_a.first_name = "马霞"
    cadre_a.save(update_fields=["first_name"])
    record = AidRecordFactory(member=MemberFactory(union=union_a), recorded_by=cadre_a)
    page = sign_in(cadre_a)
    page.goto(reverse("hardship:aid-detail", args=[record.pk]))
    recorder = page.locator("dt", has_text="登记人").locator("xpath=following-sibling::dd[1]")
    assert recorder.inner_text().strip() == "马霞"
    assert page.locator(".who").inner_text().startswith("马霞")
    assert "cadre_a" not in page.locator("body").inner_text()


def test_the_permission_picker_is_chinese_with_the_privacy_permission_on_top(sign_in, admin_user, cadre_a):
    page = sign_in(admin_user)
    page.goto(reverse("admin:federation_user_change", args=[cadre_a.pk]))
    available = page.locator("#id_user_permissions_from option")
    available.first.wait_for()
    labels = available.all_inner_texts()
    assert labels[0] == "【隐私】可查看完整身份证号和手机号"
    assert not [label for label in labels if re.search(r"[A-Za-z]", label)]
    body = page.locator("body").inner_text()
    assert "选择全部" in body
    for english in ("Can add", "historical", "Choose all", "Remove all"):
        assert english not in body
