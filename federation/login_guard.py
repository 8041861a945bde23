"""Login throttling (django-axes): who is locked out, how they are told, from which address.

The policy (settings: LOGIN_FAILURE_LIMIT, LOGIN_COOLOFF_MINUTES, TRUSTED_PROXY_COUNT): after
LOGIN_FAILURE_LIMIT wrong passwords within LOGIN_COOLOFF_MINUTES, the account is locked (from any
address) and so is the address (for any account), until LOGIN_COOLOFF_MINUTES pass without another
failure; a successful login clears the failures of its account and address. Every failure and every
lockout is logged (logger `axes`) and kept (管理后台 → 登录保护 → 登录失败日志); an administrator
unlocks by deleting the account's rows of 登录失败计数 there.
"""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class AxesConfig(AxesAppConfig):
    """django-axes under a Chinese name in the admin (its own has none)."""

    verbose_name = gettext_lazy("登录保护")


def client_ip(request: HttpRequest) -> str | None:
    """The address a login came from. Behind TRUSTED_PROXY_COUNT reverse proxies (nginx …), each of
    which appends the address it saw to X-Forwarded-For, it is that many entries from the right —
    entries further left are whatever the client chose to send."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


# axes.helpers and Django's auth forms import models: they are loaded where used, because this
# module also holds the AppConfig that INSTALLED_APPS names, imported before the models are ready.


def lockout_message(request: HttpRequest) -> str:
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    if not cool_off:
        return _("登录失败次数过多，账号已锁定。请联系本单位的系统管理员解锁。")
    until = timezone.localtime(timezone.now() + cool_off)
    return _(
        "登录失败次数过多，该账号或本机已暂时锁定。请在 %(minutes)d 分钟后（%(time)s 以后）再试；"
        "如需立即解锁，请联系本单位的系统管理员。"
    ) % {"minutes": round(cool_off.total_seconds() / 60), "time": until.strftime("%H:%M")}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The login page again (429), saying when to try again."""
    from axes.helpers import get_client_username
    from django.contrib.auth.forms import AuthenticationForm

    form = AuthenticationForm(request, initial={"username": get_client_username(request, credentials)})
    context = {
        "form": form,
        "lockout_message": lockout_message(request),
        "next": request.POST.get("next", request.GET.get("next", "")),
    }
    return render(request, "registration/login.html", context, status=429)
