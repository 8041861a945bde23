"""入会申请 pages: the public form, status page and card verification (no account, no oracle,
throttled, a honeypot, Chinese answers for closed links), and the staff pages (review list and
detail, approve from the 工作台, reject, batch approval, links and the poster) for each role."""

import datetime as dt
import re

import pytest
import segno
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from federation.identifiers import make_resident_id
from members.choices import ChangeType
from members.models import ApplicationStatus, JoinApplication, Member
from members.services import member_status_change
from members.services.applications import (
    join_application_submit,
    join_link_create,
    join_link_revoke,
    join_link_token,
)
from tests.support.factories import MemberFactory

BORN = dt.date(1990, 7, 9)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def answers(sequence=1, **overrides):
    return {
        "name": "周晓明",
        "id_number": make_resident_id("320102", BORN, 2 * sequence + 1, "M"),
        "ethnicity": "01",
        "education": "high_school",
        "political_status": "masses",
        "mobile": "13912345678",
        "employer": "甲公司",
        "job": "焊工",
        "is_migrant_worker": "on",
        "consent": "on",
    } | overrides


@pytest.fixture
def link_a(union_a, cadre_a):
    return join_link_create(union=union_a, by=cadre_a)


def form_url(link) -> str:
    return reverse("join:form", args=[join_link_token(link)])


def submit(client, link, sequence=1, **overrides):
    return client.post(form_url(link), answers(sequence, **overrides))


def submitted(link, sequence=1, **overrides):
    fields = answers(sequence, **overrides)
    fields.pop("consent")
    fields["is_migrant_worker"] = True
    return join_application_submit(link=link, consented=True, **fields)


# --- the public form ------------------------------------------------------------------------------------


def test_the_form_opens_without_an_account_and_names_the_union(client, link_a):
    page = client.get(form_url(link_a))
    assert page.status_code == 200
    text = page.content.decode()
    assert "甲公司工会委员会" in text and "个人信息处理说明" in text and "90天后" in text
    assert "js/join_form.js" in text and "<script>" not in text


def test_a_forged_or_unknown_token_is_a_chinese_404(client, link_a):
    for token in (link_a.key, f"{link_a.key}:x", "abc"):
        page = client.get(reverse("join:form", args=[token]))
        assert page.status_code == 404
        assert "链接无效" in page.content.decode()


def test_a_revoked_or_expired_link_is_a_chinese_410(client, link_a, union_a, cadre_a):
    expired = join_link_create(union=union_a, by=cadre_a, expires_on=timezone.localdate())
    expired.expires_on = timezone.localdate() - dt.timedelta(days=1)
    expired.save()
    join_link_revoke(link=link_a, by=cadre_a)
    for link in (link_a, expired):
        assert client.get(form_url(link)).status_code == 410
        response = submit(client, link)
        assert response.status_code == 410 and "链接已停用" in response.content.decode()
    assert not JoinApplication.objects.exists()


def test_a_valid_application_gets_a_receipt_and_a_status_page(client, link_a):
    response = submit(client, link_a)
    application = JoinApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("join:status", args=[application.receipt])
    page = client.get(response["Location"]).content.decode()
    assert application.receipt in page and "待审核" in page and "周*明" in page
    assert application.id_number not in page
    assert application.gender == "M" and application.birth_date == BORN and application.is_migrant_worker


def test_a_wrong_check_digit_is_refused_with_the_expected_digit_and_nothing_is_stored(client, link_a):
    good = answers()["id_number"]
    wrong = "0" if good[17] != "0" else "1"
    response = submit(client, link_a, id_number=good[:17] + wrong)
    assert response.status_code == 200
    assert f"身份证号校验位错误（应为{good[17]}），请核对号码。" in response.content.decode()
    assert not JoinApplication.objects.exists()


def test_without_consent_nothing_is_stored(client, link_a):
    response = submit(client, link_a, consent="")
    assert "请阅读并同意个人信息处理说明后再提交" in response.content.decode()
    assert not JoinApplication.objects.exists()


def _without_receipt_and_name(client, response) -> str:
    page = client.get(response["Location"]).content.decode()
    page = re.sub(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", "", page)
    return re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "", page)


def test_no_oracle_a_live_member_elsewhere_gets_the_same_answer_as_a_stranger(client, link_a, outside_union):
    MemberFactory(union=outside_union, id_number=answers(5)["id_number"], birth_date=BORN)
    known, stranger = submit(client, link_a, 5), submit(client, link_a, 6)
    assert known.status_code == stranger.status_code == 302
    assert _without_receipt_and_name(client, known) == _without_receipt_and_name(client, stranger)
    assert JoinApplication.objects.count() == 2


def test_a_filled_honeypot_stores_nothing(client, link_a):
    response = submit(client, link_a, website="http://spam.example")
    assert response.status_code == 200 and "申请已提交" in response.content.decode()
    assert not JoinApplication.objects.exists()


def test_submissions_are_throttled_per_address(client, link_a, settings):
    settings.JOIN_SUBMITS_PER_ADDRESS = 3
    for n in range(3):
        assert submit(client, link_a, n).status_code == 302
    refused = submit(client, link_a, 9)
    assert refused.status_code == 429 and "操作太频繁" in refused.content.decode()
    assert JoinApplication.objects.count() == 3
    other_address = client.post(form_url(link_a), answers(10), REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 302


def test_submissions_are_throttled_per_link(client, link_a, union_a, cadre_a, settings):
    settings.JOIN_SUBMITS_PER_LINK = 2
    for n in range(2):
        assert client.post(form_url(link_a), answers(n), REMOTE_ADDR=f"10.0.1.{n}").status_code == 302
    assert client.post(form_url(link_a), answers(5), REMOTE_ADDR="10.0.1.99").status_code == 429
    another_link = join_link_create(union=union_a, by=cadre_a)
    assert client.post(form_url(another_link), answers(6), REMOTE_ADDR="10.0.1.98").status_code == 302


def test_status_lookups_are_throttled_per_address(client, link_a, settings):
    settings.JOIN_LOOKUPS_PER_ADDRESS = 2
    receipt = submitted(link_a).receipt
    url = reverse("join:status", args=[receipt])
    assert client.get(url).status_code == 200
    assert client.get(reverse("join:lookup"), {"code": "AAAA-BBBB-CCCC"}).status_code == 200
    assert client.get(url).status_code == 429


def test_a_receipt_typed_in_lower_case_finds_the_status_page(client, link_a):
    receipt = submitted(link_a).receipt
    response = client.get(reverse("join:lookup"), {"code": receipt.lower().replace("-", " ")})
    assert response.status_code == 302 and response["Location"] == reverse("join:status", args=[receipt])
    unknown = client.get(reverse("join:lookup"), {"code": "\x00<script>"})
    assert unknown.status_code == 200 and "没有找到" in unknown.content.decode()
    assert client.get(reverse("join:status", args=["NOPE-NOPE-NOPE"])).status_code == 404


def test_the_rejection_reason_shows_on_the_status_page(client, link_a, cadre_a):
    application = submitted(link_a)
    client.force_login(cadre_a)
    response = client.post(
        reverse("applications:reject", args=[application.pk]), {"reason": "非本单位在职职工"}
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(reverse("join:status", args=[application.receipt])).content.decode()
    assert "未通过" in page and "非本单位在职职工" in page


# --- member card ------------------------------------------------------------------------------------------


def test_an_approved_applicant_sees_the_card_whose_qr_verifies_until_the_member_leaves(
    client, link_a, cadre_a
):
    application = submitted(link_a)
    client.force_login(cadre_a)
    client.post(reverse("applications:approve", args=[application.pk]))
    client.logout()
    member = Member.objects.get()
    page = client.get(reverse("join:status", args=[application.receipt])).content.decode()
    assert "电子会员证" in page and member.member_number in page and member.joined_on.isoformat() in page
    verify_url = re.search(r'id="card-verify" href="([^"]+)"|href="([^"]+)" id="card-verify"', page)
    verify_url = next(g for g in verify_url.groups() if g)
    path = re.search(r'd="([^"]+)"', segno.make(verify_url, error="m").svg_inline(scale=4)).group(1)
    assert path in page  # the QR code is that URL
    assert not verify_url.endswith(f"/card/{member.pk}/")  # a signed token, not the record's number
    verdict = client.get(verify_url).content.decode()
    assert "有效会员" in verdict and "非有效会员" not in verdict and "周*明" in verdict
    assert member.id_number not in verdict and "周晓明" not in verdict and "甲公司工会委员会" in verdict
    member_status_change(
        member=member,
        change_type=ChangeType.WITHDRAW,
        changed_on=timezone.localdate(),
        by=cadre_a,
        reason="personal",
    )
    assert "非有效会员" in client.get(verify_url).content.decode()


def test_a_made_up_card_token_verifies_nothing(client, union_a):
    member = MemberFactory(union=union_a)
    for token in (str(member.pk), f"{member.pk}:abc", "eyJtIjoxfQ:x"):
        response = client.get(reverse("join:card", args=[token]))
        assert response.status_code == 404 and "有效会员" not in response.content.decode()


# --- staff pages ------------------------------------------------------------------------------------


def test_the_cadre_approves_on_the_dashboard(client, link_a, cadre_a):
    application = submitted(link_a)
    client.force_login(cadre_a)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "待审核入会申请" in dashboard and application.name in dashboard
    response = client.post(
        reverse("applications:approve", args=[application.pk]), {"next": reverse("dashboard")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert "待审核入会申请" not in client.get(reverse("dashboard")).content.decode()


def test_another_unions_cadre_and_outside_staff_get_404_and_the_chair_403(
    client, link_a, cadre_b, outside_staff, county_chair
):
    application = submitted(link_a)
    for user in (cadre_b, outside_staff):
        client.force_login(user)
        assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 404
        assert client.post(reverse("applications:approve", args=[application.pk])).status_code == 404
        assert client.get(reverse("applications:poster", args=[link_a.pk])).status_code == 404
        assert application.name not in client.get(reverse("applications:list")).content.decode()
    client.force_login(county_chair)
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 200
    assert client.post(reverse("applications:approve", args=[application.pk])).status_code == 403
    assert client.post(reverse("applications:link-create"), {"union": link_a.union_id}).status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING


def test_the_review_list_shows_findings_and_masks_the_id(client, link_a, union_b, cadre_a, township_staff):
    MemberFactory(union=union_b, id_number=answers(3)["id_number"], birth_date=BORN)
    application = submitted(link_a, 3)
    client.force_login(cadre_a)
    page = client.get(reverse("applications:list")).content.decode()
    assert "已是其他工会的在册会员" in page and application.masked_id_number in page
    assert application.id_number not in page
    client.force_login(township_staff)
    assert "乙公司工会委员会" in client.get(reverse("applications:list")).content.decode()
    refused = client.post(reverse("applications:approve", args=[application.pk]), follow=True)
    assert "乙公司工会委员会" in refused.content.decode()


def test_batch_approval_from_the_list(client, link_a, cadre_a):
    first, second = submitted(link_a, 1), submitted(link_a, 2, name="吴二")
    client.force_login(cadre_a)
    response = client.post(reverse("applications:approve-many"), {"application": [first.pk, second.pk]})
    assert response.status_code == 302
    assert Member.objects.filter(name__in=["周晓明", "吴二"]).count() == 2
    again = client.post(reverse("applications:approve-many"), {"application": [first.pk]}, follow=True)
    assert "已审核或不归您审核" in again.content.decode()


def test_staff_create_a_link_and_print_its_poster_with_the_qr_of_its_url(client, union_b, township_staff):
    client.force_login(township_staff)
    response = client.post(reverse("applications:link-create"), {"union": union_b.pk, "note": "食堂门口"})
    assert response.status_code == 302
    poster = client.get(response["Location"])
    text = poster.content.decode()
    assert poster.status_code == 200 and "乙公司工会委员会" in text and "<svg" in text
    url = re.search(r'id="poster-url">([^<]+)<', text).group(1)
    assert client.get(url).status_code == 200
    path = re.search(r'd="([^"]+)"', segno.make(url, error="m").svg_inline(scale=8)).group(1)
    assert path in text


def test_cadre_cannot_create_a_link_for_another_union(client, union_b, cadre_a):
    client.force_login(cadre_a)
    response = client.post(reverse("applications:link-create"), {"union": union_b.pk})
    assert response.status_code == 200 and not union_b.join_links.exists()


def test_the_public_pages_carry_the_content_security_policy(client, link_a):
    for url in (form_url(link_a), reverse("join:lookup"), reverse("join:card", args=["x"])):
        policy = client.get(url)["Content-Security-Policy"]
        scripts = policy.split("script-src")[1].split(";")[0]
        assert scripts.strip() == "'self'"


@pytest.mark.parametrize(
    ("url_name", "role", "limit"),
    [
        ("dashboard", "cadre_a", 60),
        ("dashboard", "township_staff", 60),
        ("applications:list", "township_staff", 20),
    ],
)
def test_the_todo_and_the_review_list_cost_a_fixed_number_of_queries(
    client, request, link_a, union_b, url_name, role, limit, django_assert_max_num_queries
):
    """With their findings — one of them a live member of another union, named for the staff."""
    submitted(link_a, 1)
    MemberFactory(union=union_b, id_number=answers(1)["id_number"], birth_date=BORN)
    client.force_login(request.getfixturevalue(role))
    client.get(reverse(url_name))  # stored figures and the like, made on the first visit
    with django_assert_max_num_queries(limit) as few:
        client.get(reverse(url_name))
    queries = len(few.captured_queries)  # now: the next request empties the connection's query log
    for n in range(2, 30):
        submitted(link_a, n)
    MemberFactory(union=link_a.union, id_number=answers(4)["id_number"], birth_date=BORN)
    client.get(reverse(url_name))  # a federation's figures are out of date now: stored again
    with django_assert_max_num_queries(queries):
        assert client.get(reverse(url_name)).status_code == 200
