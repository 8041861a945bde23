"""The error pages in production (DEBUG off): Chinese, from plain templates; the 500 page reads
nothing from the database."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse

from federation import urls as project_urls


def boom(request):
    raise RuntimeError("a bug")


def refused(request):
    raise PermissionDenied


# The project's URLs and error handlers, with two views that fail on purpose.
urlpatterns = [*project_urls.urlpatterns, path("test-boom/", boom), path("test-refused/", refused)]
handler400 = project_urls.handler400
handler500 = project_urls.handler500

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def test_a_bad_request_gets_the_chinese_400_page_without_reading_the_database(client):
    # No database fixture: any query would fail the test.
    response = client.get("/", headers={"host": "not-our-host.example"})
    assert response.status_code == 400
    assert "请求无效（400）" in response.text


def test_a_refusal_gets_the_chinese_403_page(client, cadre_a):
    client.force_login(cadre_a)
    response = client.get("/test-refused/")
    assert response.status_code == 403
    assert "无权访问（403）" in response.text
    assert "没有执行这项操作的权限" in response.text


def test_a_missing_page_gets_the_chinese_404_page(client, cadre_a):
    client.force_login(cadre_a)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在（404）" in response.text
    assert "返回工作台" in response.text


@pytest.mark.parametrize("url", ["/accounts/logout/", "/imports/1/confirm/"])
def test_a_wrong_method_gets_the_chinese_405_page_and_keeps_the_allowed_methods(client, cadre_a, url):
    client.force_login(cadre_a)
    response = client.get(url)
    assert response.status_code == 405
    assert "不支持的操作方式（405）" in response.text
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "POST" in response["Allow"]


def test_a_405_that_already_says_something_is_left_alone(rf):
    from django.http import HttpResponseNotAllowed

    from federation.errors import NotAllowedPageMiddleware

    answer = HttpResponseNotAllowed(["POST"], content=b'{"error": "POST only"}')
    assert NotAllowedPageMiddleware(lambda request: answer)(rf.get("/")).content == b'{"error": "POST only"}'


def test_a_server_error_gets_the_chinese_500_page_without_reading_the_database(client):
    # No database fixture: any query would fail the test.
    client.raise_request_exception = False
    response = client.get("/test-boom/")
    assert response.status_code == 500
    assert "服务器出错（500）" in response.text


def test_a_server_error_of_a_signed_in_user_gets_the_same_page(client, cadre_a):
    client.force_login(cadre_a)
    client.raise_request_exception = False
    response = client.get("/test-boom/")
    assert response.status_code == 500
    assert "服务器出错（500）" in response.text


def test_a_stale_form_gets_the_chinese_csrf_page(cadre_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cadre_a)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert "页面已过期（403）" in response.text
