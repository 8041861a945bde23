"""What a clerk sees on the member forms (issue 12, findings 4–6 and 10): errors in sight at the top
and tied to their fields, the same form again at the same address, 出生日期 and 性别 taken from the ID
number, keyboards for numbers, who acts next on a transfer, and what 转出 means on 离会."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from federation.identifiers import make_resident_id, resident_id_check_digit
from members.models import Member, MembershipTransfer
from members.services import transfer_request
from tests.support.factories import MemberFactory

ID_NUMBER = make_resident_id("110105", dt.date(1988, 4, 12), 45, "F")  # a woman born 1988-04-12


@pytest.fixture
def member_a(union_a):
    return MemberFactory(union=union_a, name="张三", joined_on=dt.date(2020, 1, 1))


def join_data(union, **overrides):
    data = {
        "union": union.pk,
        "name": "王五",
        "gender": "",
        "id_type": "resident_id",
        "id_number": ID_NUMBER,
        "birth_date": "",
        "ethnicity": "01",
        "joined_on": "2025-03-01",
        "political_status": "masses",
        "employment_status": "on_duty",
        "skill_grade": "none",
    }
    data.update(overrides)
    return data


def wrong_check_digit(number: str) -> str:
    right = resident_id_check_digit(number[:17])
    return number[:17] + ("1" if right != "1" else "2")


# --- finding 5: errors in sight, at the same address --------------------------------------------


def test_a_refused_transfer_request_comes_back_at_its_own_address_with_the_summary_on_top(
    client, cadre_a, member_a
):
    client.force_login(cadre_a)
    url = reverse("members:transfer-request", args=[member_a.pk])

    response = client.post(url, {"to_union": "", "to_union_text": "无此工会"})

    page = response.content.decode()
    assert response.status_code == 400
    assert response.request["PATH_INFO"] == url
    summary = page.index('class="form-errors error-summary"')
    assert summary < page.index('name="to_union_text"'), "the summary comes before the form's fields"
    assert "未能提交转会申请" in page
    assert 'href="#id_to_union"' in page
    # Opening the address again (a reload, a bookmark) shows the same form, not a 405.
    again = client.get(url)
    assert again.status_code == 200
    assert "提交申请" in again.content.decode()


def test_a_refused_leaving_comes_back_at_its_own_address_and_opens_there_again(client, cadre_a, member_a):
    client.force_login(cadre_a)
    url = reverse("members:leave", args=[member_a.pk])

    response = client.post(url, {"change_type": "withdraw", "changed_on": "2025-06-01"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "未能办理离会" in page and "退会、除名须选择原因" in page
    assert 'href="#id_reason"' in page
    assert client.get(url).status_code == 200
    member_a.refresh_from_db()
    assert member_a.status == "active"


def test_a_refused_refusal_opens_again_at_its_address(client, township_staff, cadre_a, member_a, union_b):
    transfer = transfer_request(member=member_a, to_union=union_b, by=township_staff)
    client.force_login(cadre_a)
    url = reverse("members:transfer-refuse", args=[transfer.pk])

    response = client.post(url, {"reason": ""})

    assert response.status_code == 400
    assert "未能拒绝该申请" in response.content.decode()
    assert client.get(url).status_code == 200


def test_an_invalid_field_is_marked_and_described_by_its_error(client, cadre_a, union_a):
    client.force_login(cadre_a)

    page = client.post(reverse("members:create"), join_data(union_a, name="")).content.decode()

    field = re.search(r'<input[^>]*name="name"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_name_error"' in field
    assert 'id="id_name_error"' in page
    assert 'href="#id_name"' in page


def test_a_field_with_help_text_is_described_by_it(client, cadre_a):
    client.force_login(cadre_a)

    page = client.get(reverse("members:create")).content.decode()

    field = re.search(r'<input[^>]*name="birth_date"[^>]*>', page).group(0)
    assert 'aria-describedby="id_birth_date_helptext"' in field
    assert 'id="id_birth_date_helptext"' in page


def test_a_wrong_check_digit_is_reported_on_the_first_submit_without_a_birth_date(client, cadre_a, union_a):
    client.force_login(cadre_a)

    response = client.post(
        reverse("members:create"), join_data(union_a, id_number=wrong_check_digit(ID_NUMBER))
    )

    errors = response.context["form"].errors
    assert "校验位错误" in str(errors["id_number"])
    assert "birth_date" not in errors and "gender" not in errors
    assert not Member.objects.filter(name="王五").exists()


# --- finding 6: what the ID number says is not asked again ---------------------------------------


def test_a_new_member_with_only_the_id_number_gets_birth_date_and_gender_from_it(client, cadre_a, union_a):
    client.force_login(cadre_a)

    response = client.post(reverse("members:create"), join_data(union_a))

    assert response.status_code == 302
    member = Member.objects.get(name="王五")
    assert (member.birth_date, member.gender) == (dt.date(1988, 4, 12), "F")


def test_an_empty_resident_id_is_asked_for_not_the_birth_date_and_gender(client, cadre_a, union_a):
    client.force_login(cadre_a)

    response = client.post(reverse("members:create"), join_data(union_a, id_number=""))

    errors = response.context["form"].errors
    assert "id_number" in errors
    assert "birth_date" not in errors and "gender" not in errors


def test_a_birth_date_that_disagrees_with_the_id_number_is_still_refused(client, cadre_a, union_a):
    client.force_login(cadre_a)

    response = client.post(reverse("members:create"), join_data(union_a, birth_date="1990-01-01", gender="M"))

    errors = response.context["form"].errors
    assert "出生日期与身份证号不一致" in str(errors["birth_date"])
    assert "性别与身份证号不一致" in str(errors["gender"])


def test_another_kind_of_document_still_needs_birth_date_and_gender(client, cadre_a, union_a):
    client.force_login(cadre_a)

    response = client.post(
        reverse("members:create"), join_data(union_a, id_type="hk_macao", id_number="H12345678")
    )

    errors = response.context["form"].errors
    assert "请填写出生日期" in str(errors["birth_date"]) and "请选择性别" in str(errors["gender"])


def test_the_id_and_phone_fields_ask_for_the_right_keyboard_and_no_autofill(client, cadre_a):
    client.force_login(cadre_a)

    page = client.get(reverse("members:create")).content.decode()

    id_field = re.search(r'<input[^>]*name="id_number"[^>]*>', page).group(0)
    assert 'inputmode="numeric"' in id_field and 'autocomplete="off"' in id_field
    assert 'pattern="[0-9]{17}[0-9Xx]"' in id_field
    phone = re.search(r'<input[^>]*name="mobile"[^>]*>', page).group(0)
    assert 'type="tel"' in phone and 'inputmode="tel"' in phone and 'autocomplete="off"' in phone
    assert "js/id_number.js" in page


# --- finding 4: who acts next, and what 转出 on 离会 is --------------------------------------------


def test_after_a_request_a_cadre_of_the_leaving_union_is_told_to_approve_it_in_the_todos(
    client, cadre_a, member_a, union_a, union_b
):
    client.force_login(cadre_a)

    response = client.post(
        reverse("members:transfer-request", args=[member_a.pk]),
        {"to_union": union_b.pk, "to_union_text": union_b.name},
        follow=True,
    )

    page = response.content.decode()
    assert "等待转出工会审批" not in page
    assert f"下一步由转出工会“{union_a.name}”审批转出" in page
    assert "请在待办中审批" in page


def test_someone_who_cannot_approve_is_told_which_union_will(
    cadre_b, township_staff, member_a, union_a, union_b
):
    transfer = transfer_request(member=member_a, to_union=union_b, by=township_staff)
    transfer = MembershipTransfer.objects.select_related("from_union", "to_union").get(pk=transfer.pk)
    from members.views import transfer_next_step

    message = transfer_next_step(cadre_b, transfer)

    assert message == f"已提交转会申请，等待转出工会“{union_a.name}”审批转出。"


def test_leaving_explains_that_its_transfer_out_is_to_outside_the_ledger(client, cadre_a, member_a):
    client.force_login(cadre_a)

    page = client.get(reverse("members:detail", args=[member_a.pk])).content.decode()

    assert "转出（转到本系统以外的工会）" in page
    assert "转到本系统内的其他基层工会，请使用“申请转会”" in page
