"""The error pages: Chinese, plain templates (templates/400.html … 500.html).

Django renders 403 and 404 from those templates by itself. Three need help:
- 500 and 400: `server_error` and `bad_request` render their page with no request and no context
  processors, so that it still shows when the database (or the request itself) is what failed;
- 405: Django has no handler for it — `require_POST` and the class-based views answer with an empty
  HttpResponseNotAllowed — so `NotAllowedPageMiddleware` fills such an empty answer with 405.html.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.template import loader
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
            response.content = loader.render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
