"""A cadre attaches a 证明材料 to a hardship case, sees it listed and opens it; the member page shows
the member's cases."""

import pytest
from playwright.sync_api import expect

from tests.support.factories import HardshipCaseFactory, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_a_cadre_uploads_a_proof_to_a_case_and_finds_it_there(sign_in, cadre_a, union_a, tmp_path):
    case = HardshipCaseFactory(member=MemberFactory(union=union_a, name="材料人"))
    proof = tmp_path / "残疾证.pdf"
    proof.write_bytes(PDF)
    page = sign_in(cadre_a)
    page.goto(f"/members/{case.member_id}/")
    page.locator("#cases + .table-wrap").get_by_role("link").first.click()

    upload = page.locator("#document-upload")
    upload.get_by_label("材料类型").select_option(label="残疾证明")
    upload.get_by_label("文件").set_input_files(str(proof))
    upload.get_by_label("说明").fill("二级")
    upload.get_by_role("button", name="上传").click()

    expect(page.get_by_role("status")).to_contain_text("已上传证明材料。")
    row = page.locator("#documents + .table-wrap tbody tr")
    expect(row).to_contain_text("残疾证明")
    expect(row).to_contain_text("二级")
    link = row.get_by_role("link", name="残疾证.pdf")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.body() == PDF
    assert response.headers["content-type"] == "application/pdf"
