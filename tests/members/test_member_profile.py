"""编辑会员资料: member_update changes the ordinary fields only, inside the editor's scope, and the
page walks the roles like every other write page."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from members.models import Member
from members.services import member_update
from tests.support.factories import MemberFactory

ROLES = ["county_staff", "county_chair", "cadre_a", "cadre_b", "outside_staff"]
# Who changes a member of union_a: its federation's staff and its own cadre; the chair reads only.
EDIT = {"county_staff": 200, "county_chair": 403, "cadre_a": 200, "cadre_b": 404, "outside_staff": 404}


@pytest.fixture
def member(union_a):
    return MemberFactory(union=union_a, name="张三", mobile="13800138000", job="钳工")


def _form_data(member, **changes):
    data = {
        "name": member.name,
        "ethnicity": member.ethnicity,
        "mobile": member.mobile,
        "member_number": member.member_number,
        "education": member.education,
        "political_status": member.political_status,
        "employment_status": member.employment_status,
        "skill_grade": member.skill_grade,
        "job": member.job,
        "hukou_type": member.hukou_type,
        "hukou_place": member.hukou_place,
    }
    data.update(changes)
    return data


# ---- the service ----


def test_update_changes_ordinary_fields_and_records_who(cadre_a, member):
    updated = member_update(member=member, by=cadre_a, job="焊工", is_cadre=True, member_number="HY001")
    member.refresh_from_db()
    assert (member.job, member.is_cadre, member.member_number) == ("焊工", True, "HY001")
    assert updated.job == "焊工"
    assert member.history.first().history_user == cadre_a


@pytest.mark.parametrize(
    "field,value",
    [
        ("union", None),
        ("joined_on", dt.date(2020, 1, 1)),
        ("status", "withdrawn"),
        ("id_type", "passport"),
        ("id_number", "X1234567"),
        ("birth_date", dt.date(1990, 1, 1)),
        ("gender", "F"),
    ],
)
def test_update_refuses_fields_kept_by_other_services(cadre_a, member, field, value):
    with pytest.raises(TypeError, match=field):
        member_update(member=member, by=cadre_a, **{field: value})


def test_update_refuses_a_chair(county_chair, member):
    with pytest.raises(PermissionDenied, match="无权"):
        member_update(member=member, by=county_chair, job="焊工")
    member.refresh_from_db()
    assert member.job == "钳工"


def test_update_refuses_a_cadre_of_another_union(cadre_b, member):
    with pytest.raises(PermissionDenied):
        member_update(member=member, by=cadre_b, job="焊工")


def test_update_by_federation_staff_in_scope(county_staff, member):
    member_update(member=member, by=county_staff, hukou_place="某省某县")
    member.refresh_from_db()
    assert member.hukou_place == "某省某县"


def test_update_validates_the_mobile_and_saves_nothing(cadre_a, member):
    with pytest.raises(ValidationError) as exc:
        member_update(member=member, by=cadre_a, mobile="12345", job="焊工")
    assert "mobile" in exc.value.error_dict
    member.refresh_from_db()
    assert (member.mobile, member.job) == ("13800138000", "钳工")


def test_update_normalises_the_name(cadre_a, member):
    member_update(member=member, by=cadre_a, name="  李四 ")
    assert Member.objects.get(pk=member.pk).name == "李四"


def test_update_requires_keyword_arguments(cadre_a, member):
    with pytest.raises(TypeError):
        member_update(member, cadre_a)


# ---- the page ----


@pytest.mark.parametrize("role", ROLES)
def test_edit_page_by_role(client, request, role, member):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("members:edit", args=[member.pk])).status_code == EDIT[role]


@pytest.mark.parametrize("role", ROLES)
def test_edit_post_by_role(client, request, role, member):
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("members:edit", args=[member.pk]), _form_data(member, job="焊工"))
    assert response.status_code == {**EDIT, "county_staff": 302, "cadre_a": 302}[role]
    member.refresh_from_db()
    assert (member.job == "焊工") == (response.status_code == 302)


def test_missing_member_is_404(client, cadre_a):
    client.force_login(cadre_a)
    assert client.get(reverse("members:edit", args=[999999])).status_code == 404


def test_saving_redirects_to_the_member_with_a_message(client, cadre_a, member):
    client.force_login(cadre_a)
    response = client.post(
        reverse("members:edit", args=[member.pk]), _form_data(member, job="焊工"), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("members:detail", args=[member.pk])
    assert "已保存会员“张三”的资料" in response.content.decode()


def test_service_errors_show_beside_the_fields(client, cadre_a, member):
    client.force_login(cadre_a)
    response = client.post(reverse("members:edit", args=[member.pk]), _form_data(member, mobile="12345"))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["mobile"]
    assert 'class="field has-error"' in response.content.decode()


def test_a_blank_name_is_refused_by_the_form(client, cadre_a, member):
    client.force_login(cadre_a)
    response = client.post(reverse("members:edit", args=[member.pk]), _form_data(member, name=""))
    assert list(response.context["form"].errors) == ["name"]


def test_posted_identity_fields_are_ignored(client, cadre_a, member):
    client.force_login(cadre_a)
    before = (member.id_number, member.birth_date, member.union_id, member.joined_on)
    client.post(
        reverse("members:edit", args=[member.pk]),
        _form_data(member, id_number="X1", birth_date="1999-01-01", joined_on="2000-01-01", union="1"),
    )
    member.refresh_from_db()
    assert (member.id_number, member.birth_date, member.union_id, member.joined_on) == before


def test_form_hides_the_mobile_without_the_permission_and_keeps_it_when_blank(client, cadre_a, member):
    client.force_login(cadre_a)
    body = client.get(reverse("members:edit", args=[member.pk])).content.decode()
    assert "13800138000" not in body
    client.post(reverse("members:edit", args=[member.pk]), _form_data(member, mobile="", job="焊工"))
    member.refresh_from_db()
    assert (member.mobile, member.job) == ("13800138000", "焊工")


def test_form_shows_the_mobile_with_the_permission(client, cadre_a, member):
    cadre_a.user_permissions.add(Permission.objects.get(codename="view_full_identifiers"))
    client.force_login(cadre_a)
    assert "13800138000" in client.get(reverse("members:edit", args=[member.pk])).content.decode()


def test_detail_links_to_edit_only_for_those_who_may_change(client, cadre_a, county_chair, member):
    url = reverse("members:edit", args=[member.pk])
    client.force_login(cadre_a)
    assert url in client.get(reverse("members:detail", args=[member.pk])).content.decode()
    client.force_login(county_chair)
    assert url not in client.get(reverse("members:detail", args=[member.pk])).content.decode()
