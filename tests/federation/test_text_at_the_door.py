"""Text is clean at the door: one cleaning step (federation.text.clean_text) for every form field —
staff pages, the admin, list filters — for every value of the query string and the form, and for the
import's cells; a NUL never reaches the database (PostgreSQL refuses it: that was an HTTP 500)."""

import importlib
import pkgutil

import django_filters
import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from federation.imports.cells import NameColumn, TextColumn, normalise_text
from federation.text import clean_text
from members.models import Member
from tests.support.factories import MemberFactory
from tests.support.nul import refusing_nul_like_postgresql

CONTROLS = "".join(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0x85, 0x9F))


# --- The function -----------------------------------------------------------------------------------


def test_single_line_text_loses_every_control_character_and_gets_spaces_for_line_breaks():
    assert clean_text("张\x00\x01\x07\x1b\x7f\x85\x9f三") == "张三"
    assert clean_text("甲\t乙\r\n丙") == "甲 乙 丙"


def test_single_line_text_gets_half_width_letters_digits_and_spaces_and_keeps_chinese_brackets():
    assert clean_text("ＡＢＣ１２３　某公司（筹）") == "ABC123 某公司（筹）"
    # An official name keeps its full-width brackets and punctuation, from a form as from a file.
    assert clean_text("某某（北京）科技有限公司工会，第一分会") == "某某（北京）科技有限公司工会，第一分会"
    assert clean_text("ｅ́") == "é"  # composed (NFC)


def test_multi_line_text_keeps_tabs_and_line_breaks_and_its_full_width_punctuation():
    assert (
        clean_text("第一段，\x1b好。\r\n\t第二段：\x00完。\r", multiline=True)
        == "第一段，好。\n\t第二段：完。\n"
    )


def test_import_cells_clean_with_the_same_function():
    assert normalise_text(" 张\x1b三\x07 ") == "张三"
    assert NameColumn("姓名", "name").clean("张\x00三") == "张三"
    assert TextColumn("岗位", "job").clean("车间\x01操作工") == clean_text("车间\x01操作工")


# --- Every form field -------------------------------------------------------------------------------

PROJECT_PACKAGES = ("federation", "unions", "members", "reports")


def _import_project_modules() -> None:
    for package_name in PROJECT_PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            if ".migrations" in info.name or ".management" in info.name or info.name.endswith("wsgi"):
                continue
            importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_form_fields():
    """(where, field) for every field of every form and filter set the project declares."""
    _import_project_modules()
    for form_class in set(_subclasses(forms.BaseForm)):
        if form_class.__module__.split(".")[0] in PROJECT_PACKAGES:
            for name, field in form_class.base_fields.items():
                yield f"{form_class.__module__}.{form_class.__name__}.{name}", field
    for filterset in set(_subclasses(django_filters.FilterSet)):
        if filterset.__module__.split(".")[0] in PROJECT_PACKAGES:
            for name, filter_ in filterset.base_filters.items():
                if issubclass(filter_.field_class, forms.CharField):
                    yield f"{filterset.__name__}.{name}", filter_.field_class(**filter_.extra)


def admin_form_fields(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        form_class = model_admin.get_form(request, None)
        for name, field in form_class.base_fields.items():
            yield f"admin {model.__name__}.{name}", field


def _assert_cleans(where: str, field: forms.Field) -> int:
    if not isinstance(field, forms.CharField) or not field.strip:
        return 0
    try:
        value = field.clean("甲\x1b乙\x07丙丁\x85")
    except forms.ValidationError:
        return 1  # refused outright (an ID number, a code): nothing is stored either
    assert not set(str(value)) & set(CONTROLS), where
    return 1


def test_every_text_field_of_every_form_and_filter_cleans_its_value():
    checked = sum(_assert_cleans(where, field) for where, field in project_form_fields())
    assert checked > 60  # the walk found the project's forms


def test_every_text_field_of_every_admin_form_cleans_its_value(admin_user):
    checked = sum(_assert_cleans(where, field) for where, field in admin_form_fields(admin_user))
    assert checked > 20


def test_a_textarea_keeps_its_line_breaks():
    field = forms.CharField(widget=forms.Textarea)
    assert field.clean("一\r\n二\x1b") == "一\n二"


def test_a_password_is_left_as_typed():
    assert forms.CharField(strip=False).clean("ｐａｓｓ ") == "ｐａｓｓ "


# --- The request ------------------------------------------------------------------------------------


NUL_REQUESTS = [
    ("unions:lookup", {"q": "\x00"}),
    ("unions:lookup", {"q": "甲\x00", "purpose": "records"}),
    ("unions:list", {"q": "\x00", "union_text": "\x00"}),
    ("unions:contract-list", {"union": "", "union_text": "\x00"}),
    ("members:list", {"q": "\x00", "union": "", "union_text": "\x00"}),
    ("hardship:list", {"q": "\x00", "union": "", "union_text": "\x00"}),
    ("hardship:aid-list", {"q": "\x00", "union": "", "union_text": "\x00"}),
    ("activities:list", {"q": "\x00", "union": "", "union_text": "\x00"}),
    ("federations:list", {"q": "\x00"}),
]


@pytest.mark.parametrize(("url_name", "params"), NUL_REQUESTS)
def test_a_nul_in_a_search_or_union_field_never_reaches_the_database(
    client, county_staff, union_a, url_name, params
):
    client.force_login(county_staff)
    with refusing_nul_like_postgresql():
        response = client.get(reverse(url_name), params)
    assert response.status_code == 200


def test_a_session_cookie_with_a_nul_never_reaches_the_database(client, db):
    client.cookies["sessionid"] = "abc\x00defghijkl"
    with refusing_nul_like_postgresql():
        response = client.get(reverse("login"))
    assert response.status_code == 200


def test_a_nul_in_the_admin_search_never_reaches_the_database(client, admin_user, union_a):
    client.force_login(admin_user)
    with refusing_nul_like_postgresql():
        response = client.get(reverse("admin:members_member_changelist"), {"q": "张\x00"})
    assert response.status_code == 200


def test_a_nul_in_a_union_field_of_a_form_is_answered_in_chinese(client, cadre_a, union_a):
    client.force_login(cadre_a)
    with refusing_nul_like_postgresql():
        response = client.post(
            reverse("activities:create"), {"union": "", "union_text": "\x00甲", "title": "篮球赛"}
        )
    assert response.status_code == 200
    assert "找不到" in response.content.decode() or "必填" in response.content.decode()


def test_a_name_typed_with_control_characters_is_stored_clean(client, cadre_a, union_a):
    member = MemberFactory(union=union_a, name="李四")
    client.force_login(cadre_a)
    page = client.get(reverse("members:edit", args=[member.pk]))
    data = {
        key: value
        for key, value in page.context["form"].initial.items()
        if value is not None and not isinstance(value, (list, dict))
    }
    data.update(name="李\x00\x1b五\x07", reason="更正")
    with refusing_nul_like_postgresql():
        response = client.post(reverse("members:edit", args=[member.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert Member.objects.get(pk=member.pk).name == "李五"


def test_every_text_field_of_every_form_has_a_length_limit(admin_user):
    unbounded = [
        where
        for where, field in [*project_form_fields(), *admin_form_fields(admin_user)]
        if isinstance(field, forms.CharField) and field.max_length is None and field.strip
    ]
    assert unbounded == [], unbounded
