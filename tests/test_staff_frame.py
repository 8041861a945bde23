"""The frame of the staff UI: sign-in, sign-out, password change, navigation by role."""

import pytest
from django.urls import reverse

PASSWORD = "pass-1234"


def test_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_page_is_in_chinese(client, db):
    response = client.get(reverse("login"))
    content = response.content.decode()
    assert '<html lang="zh-CN">' in content
    assert "登录工会台账" in content


def test_staff_logs_in_and_lands_on_the_dashboard(client, county_staff):
    response = client.post(reverse("login"), {"username": "county_staff", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert "工作台" in client.get(response.url).content.decode()


def test_wrong_password_is_refused_with_a_message(client, county_staff):
    response = client.post(reverse("login"), {"username": "county_staff", "password": "wrong"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client, county_staff):
    client.force_login(county_staff)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_keeps_the_user_signed_in(client, cadre_a):
    client.force_login(cadre_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Neu-Kennwort-2026",
            "new_password2": "Neu-Kennwort-2026",
        },
    )
    assert response.status_code == 302
    cadre_a.refresh_from_db()
    assert cadre_a.check_password("Neu-Kennwort-2026")
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize(
    "user_fixture, sees_admin",
    [("cadre_a", False), ("county_staff", False), ("county_chair", False), ("admin_user", True)],
)
def test_navigation_shows_the_admin_link_only_to_administrators(client, request, user_fixture, sees_admin):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    content = client.get(reverse("dashboard")).content.decode()
    for label in ("工作台", "会员"):
        assert label in content
    # 年度总结: the federations' summaries, or a union cadre's own union's (issue 15).
    assert "年度总结" in content
    assert ("管理后台" in content) is sees_admin
    assert user.get_role_display() in content


def test_summary_index_still_renders_in_the_new_frame(client, county_staff):
    client.force_login(county_staff)
    response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    assert reverse("logout") in response.content.decode()
