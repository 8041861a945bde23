"""The README's screenshots (docs/screenshots/), taken of demo-like records in Debian's Chromium.

Each page is checked as it is taken (its heading, its state), so the test passes only when every
picture shows what its name says. By default the pictures go to a temporary folder; to renew the
README's:

    SCREENSHOTS_DIR=docs/screenshots .venv/bin/python -m pytest tests/browser/test_screenshots.py -p no:xdist
"""

import os
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from reports.services import summary_finalise
from tests.support.ledger_scene import YEAR, ledger_scene
from tests.support.roster_workbooks import person, write_roster

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def scene(county, township, union_a, union_b):
    return ledger_scene(county=county, union_a=union_a, union_b=union_b)


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shoot(page, folder: Path, name: str, *, full_page=True) -> None:
    page.wait_for_load_state("networkidle")
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 10_000, name  # a page, not a blank


def shoot_print(page, folder: Path, name: str, tmp_path: Path) -> None:
    """A print view as it comes out of the printer: the page printed to PDF (A4, the page's own print
    style), its first sheet drawn as a picture by poppler."""
    pdf = tmp_path / f"{name}.pdf"
    page.emulate_media(media="print")
    pdf.write_bytes(page.pdf(prefer_css_page_size=True))
    page.emulate_media(media="screen")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "110", "-singlefile", "-f", "1", str(pdf), str(folder / name)],
        check=True,
    )
    assert (folder / f"{name}.png").stat().st_size > 10_000, name


def test_the_screenshots_show_the_ledger(
    sign_in, scene, folder, cadre_a, county_staff, county_chair, tmp_path
):
    for user, (family, given) in zip(
        (cadre_a, county_staff, county_chair), [("周", "婷"), ("孙", "立新"), ("郑", "国华")], strict=True
    ):
        user.last_name, user.first_name = family, given
        user.save()
    cadre = sign_in(cadre_a, viewport=DESKTOP)
    expect(cadre.get_by_role("heading", level=1)).to_be_visible()
    shoot(cadre, folder, "dashboard")

    cadre.goto("/members/")
    expect(cadre.get_by_role("link", name=scene.member.name)).to_be_visible()
    shoot(cadre, folder, "members", full_page=False)

    cadre.goto(f"/hardship/{scene.case.pk}/")
    expect(cadre.get_by_role("heading", level=1)).to_contain_text(scene.case.member.name)
    shoot(cadre, folder, "hardship")

    cadre.goto(f"/members/{scene.member.pk}/print/")
    expect(cadre.get_by_role("heading", level=1)).to_have_text("工会会员登记表")
    shoot_print(cadre, folder, "member-print", tmp_path)

    cadre.goto("/imports/new/?kind=members")
    shoot(cadre, folder, "import-start")
    roster = write_roster(tmp_path / "花名册.xlsx", [person(1), person(2, 手机号码="138"), person(3)])
    cadre.set_input_files("input[name=file]", str(roster))
    cadre.get_by_role("button", name="上传并检查").click()
    expect(cadre.locator("table.problems")).to_contain_text("第3行")
    shoot(cadre, folder, "import-preview")

    phone = sign_in(cadre_a, viewport=PHONE)
    phone.goto("/members/new/")
    expect(phone.get_by_role("button", name="登记入会")).to_be_visible()
    shoot(phone, folder, "member-new-phone")
    phone.goto("/members/")
    expect(phone.get_by_role("link", name=scene.member.name)).to_be_visible()
    shoot(phone, folder, "members-phone", full_page=False)

    staff = sign_in(county_staff, viewport=DESKTOP)
    staff.goto(f"/reports/{scene.county.pk}/{YEAR}/")
    expect(staff.locator("#summary-state")).to_contain_text("草稿 · 未定稿")
    # When the figures were computed is said in the document's column, under its toolbar.
    toolbar = staff.locator("#summary-state ~ .toolbar").bounding_box()
    assert staff.locator("#figures-time").bounding_box()["x"] == toolbar["x"]
    shoot(staff, folder, "summary", full_page=False)

    summary_finalise(federation=scene.county, year=YEAR, by=county_chair)
    chair = sign_in(county_chair, viewport=DESKTOP)
    chair.goto(f"/reports/{scene.county.pk}/{YEAR}/")
    expect(chair.locator("#summary-state")).to_contain_text("已定稿 · 第1版")
    shoot(chair, folder, "summary-finalised", full_page=False)
    chair.goto("/reports/")
    expect(chair.locator("body")).to_contain_text("已定稿")
    shoot(chair, folder, "summary-index-finalised", full_page=False)
