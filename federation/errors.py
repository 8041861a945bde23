"""The error pages: Chinese, plain templates (templates/400.html … 500.html).

Django renders 403 and 404 from those templates by itself. Three need help:
- 500 and 400: `server_error` and `bad_request` render their page with no request and no context
  processors, so that it still shows when the database (or the request itself) is what failed;
- 405: Django has no handler for it — `require_POST` and the class-based views answer with an empty
  HttpResponseNotAllowed — so `NotAllowedPageMiddleware` fills such an empty answer with 405.html,
  with a link to the page the action belongs to (an action's address opened again by hand or by a
  reload, e.g. /members/12/transfer/ → /members/12/).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.template import loader
from django.urls import Resolver404, get_script_prefix, resolve
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(loader.get_template("500.html").render())


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponseBadRequest(loader.get_template("400.html").render())


class NotAllowedPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            context = {"back_url": page_of_action(request.path_info)}
            response.content = loader.render_to_string("405.html", context, request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response


def page_of_action(path: str) -> str | None:
    """The nearest address above the action at `path` that is a page (/members/12/transfer/ →
    /members/12/, /members/transfers/5/approve/ → /members/), or None. Actions are named by a verb
    under the page they belong to, which a GET may open."""
    parts = [part for part in path.split("/") if part]
    while parts:
        parts.pop()
        candidate = "/" + "".join(f"{part}/" for part in parts)
        try:
            resolve(candidate)
        except Resolver404:
            continue
        return get_script_prefix().rstrip("/") + candidate
    return None
