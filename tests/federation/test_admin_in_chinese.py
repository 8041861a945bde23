"""The admin speaks Chinese (issue 12, finding 3): the user and group pages, the permission picker —
「可添加会员」, never 「Can add 会员」 or 「historical 会员」 — and the privacy permission
可查看完整身份证号和手机号 listed first, where an administrator finds it at once."""

import html
import json
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from federation.permission_names import name_permissions_in_chinese
from members.models import Member

LATIN = re.compile(r"[A-Za-z]")
OPTION = re.compile(r'<option value="\d+"[^>]*>([^<]*)</option>')
PRIVACY = "可查看完整身份证号和手机号"
PICKERS = [("user_change", "user_permissions"), ("group_add", "permissions")]
ENGLISH_LEFT_BY_DJANGO = (
    "Can add",
    "Can change",
    "Can delete",
    "Can view",
    "historical",
    "Historical",
    "Model name",
    "Add link",
    "Change or view list link",
    "After you’ve created a user",
)


def visible_text(page: str) -> str:
    page = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def permission_options(page: str, field: str) -> list[str]:
    select = re.search(rf'<select name="{field}".*?</select>', page, flags=re.S)
    assert select, f"no {field} picker on the page"
    return [html.unescape(label) for label in OPTION.findall(select.group(0))]


@pytest.fixture
def pages(client, admin_user, cadre_a):
    client.force_login(admin_user)
    urls = {
        "user_add": reverse("admin:federation_user_add"),
        "user_change": reverse("admin:federation_user_change", args=[cadre_a.pk]),
        "group_add": reverse("admin:auth_group_add"),
        "index": reverse("admin:index"),
    }
    answers = {name: client.get(url) for name, url in urls.items()}
    assert all(answer.status_code == 200 for answer in answers.values())
    return {name: answer.text for name, answer in answers.items()}


@pytest.mark.parametrize("page", ["user_add", "user_change", "group_add", "index"])
def test_the_user_and_group_pages_leave_no_english_of_djangos_behind(pages, page):
    text = visible_text(pages[page])
    for english in ENGLISH_LEFT_BY_DJANGO:
        assert english not in text, english


def test_the_user_add_page_says_what_comes_after_in_chinese(pages):
    assert "创建用户后" in visible_text(pages["user_add"])


@pytest.mark.parametrize(("page", "field"), PICKERS)
def test_every_permission_in_the_picker_is_named_in_chinese(pages, page, field):
    labels = permission_options(pages[page], field)
    assert len(labels) == Permission.objects.count()
    assert [label for label in labels if LATIN.search(label)] == []
    assert "会员与帮扶 · 可添加会员" in labels
    assert "会员与帮扶 · 可查看会员历史记录" in labels


@pytest.mark.parametrize(("page", "field"), PICKERS)
def test_the_privacy_permission_comes_first_and_is_marked(pages, page, field):
    labels = permission_options(pages[page], field)
    assert labels[0] == f"【隐私】{PRIVACY}"
    assert PRIVACY in visible_text(pages[page])  # the help text points to it too


def test_a_permission_django_named_in_english_is_renamed_at_the_next_migrate(db):
    """A database made before keeps Django's English names until the post_migrate receiver runs."""
    permission = Permission.objects.get(codename="add_member")
    Permission.objects.filter(pk=permission.pk).update(name="Can add 会员")
    log_entry = Permission.objects.get(codename="view_logentry")
    Permission.objects.filter(pk=log_entry.pk).update(name="Can view log entry")
    with translation.override(None):  # as migrate runs: translations off
        name_permissions_in_chinese(app_config=apps.get_app_config("members"))
        name_permissions_in_chinese(app_config=apps.get_app_config("admin"))
    permission.refresh_from_db()
    log_entry.refresh_from_db()
    assert permission.name == "可添加会员"
    assert log_entry.name == "可查看日志记录"


def test_no_permission_of_a_migrated_database_is_named_in_english(db):
    assert list(Permission.objects.filter(name__regex=r"[A-Za-z]").values_list("name", flat=True)) == []


def test_the_privacy_permission_keeps_its_own_name(db):
    assert Permission.objects.get(codename="view_full_identifiers").name == PRIVACY


def test_every_model_has_a_chinese_name_histories_included():
    with translation.override("zh-hans"):
        english = [
            f"{model._meta.label}: {name}"
            for model in apps.get_models()
            for name in (model._meta.verbose_name, model._meta.verbose_name_plural)
            if LATIN.search(str(name))
        ]
    assert english == []
    assert str(Member.history.model._meta.verbose_name) == "会员历史记录"


def test_the_permission_pickers_buttons_are_chinese(client, admin_user):
    client.force_login(admin_user)
    catalog = client.get(reverse("admin:jsi18n")).text  # JSON: Chinese as \\uXXXX escapes
    assert f"{json.dumps('Choose all %s')}: {json.dumps('选择全部%s')}" in catalog
    assert f"{json.dumps('Remove all %s')}: {json.dumps('删除全部%s')}" in catalog
