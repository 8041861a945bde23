"""The collective contract pages: scoped list and detail, create and edit by form of signing, the scan."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.support.factories import ContractFactory
from unions.models import CollectiveContract, GrassrootsUnion

ROLES = ["county_staff", "county_chair", "cadre_a", "outside_staff"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def contract_a(union_a):
    return ContractFactory(union=union_a, title="甲公司综合性集体合同")


@pytest.fixture
def regional(township, union_a, union_b):
    contract = ContractFactory(union=None, federation=township, scope="regional", title="街道区域性集体合同")
    contract.covered_unions.set([union_a, union_b])
    return contract


def _login(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    return user


READ = {"county_staff": 200, "county_chair": 200, "cadre_a": 200, "outside_staff": 404}
WRITE = {"county_staff": 200, "county_chair": 403, "cadre_a": 200, "outside_staff": 404}


@pytest.mark.parametrize("role", ROLES)
def test_contract_detail_by_role(client, request, role, contract_a):
    _login(client, request, role)
    assert client.get(reverse("unions:contract-detail", args=[contract_a.pk])).status_code == READ[role]


@pytest.mark.parametrize("role", ROLES)
def test_contract_edit_by_role(client, request, role, contract_a):
    _login(client, request, role)
    assert client.get(reverse("unions:contract-edit", args=[contract_a.pk])).status_code == WRITE[role]


@pytest.mark.parametrize(
    "role,status", [("county_staff", 200), ("county_chair", 403), ("cadre_a", 200), ("outside_staff", 200)]
)
def test_contract_create_by_role(client, request, role, status):
    _login(client, request, role)
    assert client.get(reverse("unions:contract-create")).status_code == status


@pytest.mark.parametrize("role", ROLES)
def test_contract_list_by_role(client, request, role, contract_a, regional):
    _login(client, request, role)
    titles = {c.title for c in client.get(reverse("unions:contract-list")).context["page"].object_list}
    expected = set() if role == "outside_staff" else {"甲公司综合性集体合同", "街道区域性集体合同"}
    assert titles == expected


def test_cadre_reads_a_regional_contract_covering_their_union_but_cannot_edit_it(client, cadre_a, regional):
    client.force_login(cadre_a)
    response = client.get(reverse("unions:contract-detail", args=[regional.pk]))
    assert response.status_code == 200 and not response.context["may_change"]
    assert client.get(reverse("unions:contract-edit", args=[regional.pk])).status_code == 404


def test_covered_unions_outside_scope_are_counted_not_named(client, cadre_a, regional, union_b):
    client.force_login(cadre_a)
    response = client.get(reverse("unions:contract-detail", args=[regional.pk]))
    content = response.content.decode()
    assert "甲公司工会委员会" in content and union_b.name not in content and "共覆盖2个基层工会" in content


def test_contract_of_another_union_is_a_404(client, cadre_b, contract_a):
    client.force_login(cadre_b)
    assert client.get(reverse("unions:contract-detail", args=[contract_a.pk])).status_code == 404
    assert client.get(reverse("unions:contract-scan", args=[contract_a.pk])).status_code == 404


def test_search_and_filters(client, county_staff, contract_a, regional):
    client.force_login(county_staff)
    url = reverse("unions:contract-list")
    assert list(client.get(url, {"q": "区域性"}).context["page"].object_list) == [regional]
    assert list(client.get(url, {"scope": "single", "sort": "title"}).context["page"].object_list) == [
        contract_a
    ]


def test_expiring_filter_uses_the_dashboard_rule(client, county_staff, union_a, contract_a):
    soon = ContractFactory(
        union=union_a, starts_on=dt.date(2023, 1, 1), ends_on=timezone.localdate() + dt.timedelta(days=30)
    )
    client.force_login(county_staff)
    url = reverse("unions:contract-list")
    assert list(client.get(url, {"expiring": "true"}).context["page"].object_list) == [soon]
    assert soon not in client.get(url, {"expiring": "false"}).context["page"].object_list


def _contract_data(**extra):
    return {
        "title": "新合同",
        "kind": "wage",
        "signed_on": "2025-04-01",
        "starts_on": "2025-04-01",
        "ends_on": "2028-03-31",
        "covered_employees": "80",
        "status": "signed",
        **extra,
    }


def test_cadre_records_a_single_contract_with_a_scan(client, cadre_a, union_a):
    client.force_login(cadre_a)
    scan = SimpleUploadedFile("合同.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        reverse("unions:contract-create"),
        _contract_data(scope="single", union=union_a.pk, scan=scan),
        follow=True,
    )
    contract = CollectiveContract.objects.get(title="新合同")
    assert contract.union == union_a and contract.federation is None
    assert "已保存集体合同" in response.content.decode()
    download = client.get(reverse("unions:contract-scan", args=[contract.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_cadre_cannot_sign_for_a_federation(client, cadre_a, township):
    client.force_login(cadre_a)
    response = client.post(
        reverse("unions:contract-create"), _contract_data(scope="regional", federation=township.pk)
    )
    assert "federation" in response.context["form"].errors
    assert not CollectiveContract.objects.filter(title="新合同").exists()


def test_staff_record_a_regional_contract_with_covered_unions(
    client, township_staff, township, union_a, union_b
):
    client.force_login(township_staff)
    response = client.post(
        reverse("unions:contract-create"),
        _contract_data(
            scope="regional",
            federation=township.pk,
            union=union_a.pk,
            covered_unions=[union_a.pk, union_b.pk],
        ),
    )
    assert response.status_code == 302
    contract = CollectiveContract.objects.get(title="新合同")
    assert contract.union is None and set(contract.covered_unions.all()) == {union_a, union_b}


def test_contract_rules_are_shown_beside_the_field(client, cadre_a, union_a):
    client.force_login(cadre_a)
    response = client.post(
        reverse("unions:contract-create"),
        _contract_data(scope="single", union=union_a.pk, ends_on="2024-01-01"),
    )
    assert "合同期限结束日期必须晚于开始日期" in str(response.context["form"].errors["ends_on"])


def test_scan_too_big_is_refused_in_chinese(client, settings, cadre_a, contract_a):
    settings.UPLOAD_MAX_MB = 1
    client.force_login(cadre_a)
    scan = SimpleUploadedFile("big.pdf", b"0" * (1024 * 1024 + 1), content_type="application/pdf")
    response = client.post(
        reverse("unions:contract-edit", args=[contract_a.pk]),
        _contract_data(scope="single", union=contract_a.union_id, scan=scan),
    )
    assert "文件太大" in str(response.context["form"].errors["scan"])
    contract_a.refresh_from_db()
    assert not contract_a.scan


def test_scan_of_another_type_is_refused(client, cadre_a, contract_a):
    client.force_login(cadre_a)
    scan = SimpleUploadedFile("合同.docx", b"PK", content_type="application/octet-stream")
    response = client.post(
        reverse("unions:contract-edit", args=[contract_a.pk]),
        _contract_data(scope="single", union=contract_a.union_id, scan=scan),
    )
    assert "只能上传PDF、JPG或PNG文件" in str(response.context["form"].errors["scan"])


def test_chair_cannot_post_an_edit(client, county_chair, contract_a):
    client.force_login(county_chair)
    response = client.post(
        reverse("unions:contract-edit", args=[contract_a.pk]),
        _contract_data(scope="single", union=contract_a.union_id),
    )
    assert response.status_code == 403


@pytest.mark.parametrize("view", ["unions:contract-list", "unions:contract-detail"])
def test_query_count_does_not_grow_with_rows(
    client, county_staff, township, union_a, regional, view, django_assert_max_num_queries
):
    client.force_login(county_staff)

    def url():
        return reverse(view) if view == "unions:contract-list" else reverse(view, args=[regional.pk])

    def add(n):
        for _ in range(n):
            ContractFactory(union=union_a)
            regional.covered_unions.add(ContractFactory(union__federation=township).union)

    add(3)
    with django_assert_max_num_queries(20) as few:
        client.get(url())
    add(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url())


@pytest.mark.parametrize("role", ROLES)
def test_scan_upload_by_role(client, request, role, contract_a):
    _login(client, request, role)
    scan = SimpleUploadedFile("扫描.png", b"\x89PNG\r\n", content_type="image/png")
    response = client.post(reverse("unions:contract-scan-upload", args=[contract_a.pk]), {"scan": scan})
    assert (
        response.status_code
        == {"county_staff": 302, "county_chair": 403, "cadre_a": 302, "outside_staff": 404}[role]
    )
    contract_a.refresh_from_db()
    assert bool(contract_a.scan) == (response.status_code == 302)


def test_cadre_cannot_upload_a_scan_to_a_regional_contract(client, cadre_a, regional):
    client.force_login(cadre_a)
    scan = SimpleUploadedFile("扫描.pdf", b"%PDF", content_type="application/pdf")
    assert (
        client.post(reverse("unions:contract-scan-upload", args=[regional.pk]), {"scan": scan}).status_code
        == 404
    )


def test_scan_upload_too_big_shows_the_error_on_the_page(client, settings, cadre_a, contract_a):
    settings.UPLOAD_MAX_MB = 1
    client.force_login(cadre_a)
    scan = SimpleUploadedFile("big.jpg", b"0" * (1024 * 1024 + 1), content_type="image/jpeg")
    response = client.post(reverse("unions:contract-scan-upload", args=[contract_a.pk]), {"scan": scan})
    assert response.status_code == 400
    assert "文件太大：扫描件不能超过1MB" in response.content.decode()


def test_cadre_contract_form_starts_with_their_union(client, cadre_a, union_a):
    client.force_login(cadre_a)
    form = client.get(reverse("unions:contract-create")).context["form"]
    assert form.fields["union"].initial == union_a.pk


def test_contract_form_from_a_union_page_chooses_the_union(client, county_staff, union_b):
    client.force_login(county_staff)
    form = client.get(reverse("unions:contract-create"), {"union": union_b.pk}).context["form"]
    # The union search field shows the chosen union by its name, with its id in the hidden input.
    assert form["union"].value() == (str(union_b.pk), union_b.name)


def test_contract_of_a_closed_union_can_still_be_edited(client, cadre_a, union_a, contract_a):
    GrassrootsUnion.objects.filter(pk=union_a.pk).update(
        status="merged", status_changed_on=dt.date(2025, 6, 1)
    )
    client.force_login(cadre_a)
    response = client.post(
        reverse("unions:contract-edit", args=[contract_a.pk]),
        _contract_data(scope="single", union=union_a.pk, title="改名"),
    )
    assert response.status_code == 302
