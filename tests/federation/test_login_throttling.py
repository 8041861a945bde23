"""Login throttling (django-axes, federation.login_guard): five wrong passwords lock the account and
the address for fifteen minutes, the login page says in Chinese when to try again, a success clears
the count, an administrator unlocks in the admin, and every failure and lockout is logged."""

import datetime as dt
import logging
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from federation.login_guard import client_ip

PASSWORD = "pass-1234"  # tests.support.factories.UserFactory's password
HOME = "10.1.1.1"
ELSEWHERE = "10.2.2.2"


def log_in(client, username, password, address=HOME):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, address=HOME):
    return [log_in(client, username, "wrong-password", address) for _ in range(times)]


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_refused(client, county_staff):
    answers = fail(client, "county_staff", 5)
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]

    refused = log_in(client, "county_staff", PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_says_in_chinese_when_to_try_again(client, county_staff):
    answer = fail(client, "county_staff", 5)[-1]
    until = timezone.localtime(timezone.now() + dt.timedelta(minutes=15))
    text = answer.text
    assert "登录失败次数过多" in text
    assert "请在 15 分钟后" in text
    times = re.findall(r"（(\d\d:\d\d) 以后）", text)
    assert times[0] in {until.strftime("%H:%M"), (until - dt.timedelta(minutes=1)).strftime("%H:%M")}
    assert 'name="password"' in text  # the login form is still there
    assert "Account locked" not in text


def test_the_lock_holds_for_the_account_from_another_address(client, county_staff):
    fail(client, "county_staff", 5, HOME)
    assert log_in(client, "county_staff", PASSWORD, ELSEWHERE).status_code == 429


def test_the_lock_holds_for_the_address_with_another_account(client, county_staff, township_staff):
    for username in ("nobody-1", "nobody-2", "nobody-3", "nobody-4", "nobody-5"):
        fail(client, username, 1, HOME)
    assert log_in(client, township_staff.username, PASSWORD, HOME).status_code == 429
    assert log_in(client, township_staff.username, PASSWORD, ELSEWHERE).status_code == 302


def test_the_lock_ends_after_fifteen_minutes(client, county_staff):
    fail(client, "county_staff", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert log_in(client, "county_staff", PASSWORD).status_code == 302


def test_a_successful_login_clears_the_failures(client, county_staff):
    fail(client, "county_staff", 4)
    assert log_in(client, "county_staff", PASSWORD).status_code == 302
    client.logout()
    assert [a.status_code for a in fail(client, "county_staff", 4)] == [200] * 4
    assert log_in(client, "county_staff", PASSWORD).status_code == 302


def test_an_administrator_unlocks_an_account_in_the_admin(client, county_staff, admin_user):
    fail(client, "county_staff", 5, ELSEWHERE)
    admin = client.__class__()
    admin.force_login(admin_user)

    changelist = reverse("admin:axes_accessattempt_changelist")
    page = admin.get(changelist)
    assert page.status_code == 200
    assert "登录失败计数" in page.text and "已锁定" in page.text

    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    delete = {"action": "delete_selected", "post": "yes", "_selected_action": attempts}
    answer = admin.post(changelist, delete)
    assert answer.status_code == 302
    assert log_in(client, "county_staff", PASSWORD).status_code == 302


def test_the_admin_shows_login_protection_in_chinese(client, admin_client, county_staff):
    fail(client, "county_staff", 5)
    index = admin_client.get(reverse("admin:index")).text
    assert "登录保护" in index
    for name in ("登录失败计数", "登录失败日志", "登录日志"):
        assert name in index
    for model in ("accessattempt", "accessfailurelog", "accesslog"):
        page = admin_client.get(reverse(f"admin:axes_{model}_changelist")).text
        assert "IP 地址" in page and "IP Address" not in page


def test_every_failure_and_the_lockout_are_logged_and_kept(client, county_staff, caplog):
    with caplog.at_level(logging.INFO):
        fail(client, "county_staff", 5)
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    failures = [m for m in warnings if "login failure by" in m]
    lockouts = [m for m in warnings if "Locking out" in m]
    assert len(failures) == 5 and len(lockouts) == 1
    assert all("county_staff" in m and HOME in m for m in failures + lockouts)
    assert not any("wrong-password" in r.getMessage() for r in caplog.records)
    kept = AccessFailureLog.objects.filter(username="county_staff", ip_address=HOME)
    assert kept.count() == 5 and kept.filter(locked_out=True).count() == 1
    assert "wrong-password" not in "".join(AccessAttempt.objects.values_list("post_data", flat=True))


def test_signing_in_by_force_in_tests_is_not_throttled(client, county_staff):
    fail(client, "county_staff", 5)
    client.force_login(county_staff)
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "127.0.0.1"),  # no proxy: the header is the client's own claim
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the left entry was sent by the client
        (2, "198.51.100.1, 203.0.113.9", "198.51.100.1"),
        (1, "", "127.0.0.1"),
    ],
)
def test_the_client_address_is_read_behind_the_configured_proxies(rf, settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


@pytest.mark.parametrize("password", ["abc", "1a", "短密码"])
def test_the_short_password_message_is_chinese(db, password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    messages = refused.value.messages
    assert "密码太短，至少需要 8 个字符。" in messages
    assert not any(re.search("[A-Za-z]{3}", m) for m in messages)


def test_the_password_change_page_shows_every_rule_in_chinese(client, county_staff):
    client.force_login(county_staff)
    answer = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "1234", "new_password2": "1234"},
    )
    assert answer.status_code == 200
    errors = answer.context["form"].errors["new_password2"]
    assert "密码太短，至少需要 8 个字符。" in errors
    assert not any(re.search("[A-Za-z]{3}", e) for e in errors)
