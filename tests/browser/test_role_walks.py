"""Each role walks its main tasks by the navigation, at desktop (1366 px) and phone (390 px) width,
and the browser reports no console error and no uncaught script error on the way (issue 12)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from federation.identifiers import make_resident_id
from tests.support.ledger_scene import YEAR, ledger_scene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def scene(county, township, union_a, union_b):
    return ledger_scene(county=county, union_a=union_a, union_b=union_b)


@pytest.fixture(params=WIDTHS, ids=list(WIDTHS))
def walker(request, sign_in):
    """walker(user) -> (page, errors): signed in at the width, every console error and page error
    collected from the sign-in on."""
    errors: list[str] = []

    def walker(user):
        page = sign_in(user, viewport=WIDTHS[request.param])
        page.on("console", lambda msg: msg.type == "error" and errors.append(f"{page.url}: {msg.text}"))
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        # The sign-in page itself was loaded before the listeners: load the 工作台 again under them.
        page.reload()
        return page, errors

    return walker


def nav(page, name):
    """Follow a main-navigation link, opening the 「菜单」 first where the phone folds it."""
    toggle = page.locator(".nav-toggle")
    if toggle.is_visible():
        toggle.click()
    page.locator("#site-nav").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state()
    fits(page)


def fits(page):
    """The page never scrolls sideways as a whole (a wide table may, inside its own box)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px wider than the window"


def test_a_union_cadre_registers_a_member_and_reads_the_unions_records(walker, scene, cadre_a, union_a):
    page, errors = walker(cadre_a)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    fits(page)

    nav(page, "会员")
    page.get_by_role("link", name=scene.member.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(scene.member.name)
    fits(page)

    nav(page, "会员")
    page.get_by_role("link", name="新增会员").first.click()
    page.fill("input[name=name]", "孙新会员")
    page.fill("input[name=id_number]", make_resident_id("110105", dt.date(1990, 4, 5), 21, "F"))
    expect(page.locator("input[name=birth_date]")).to_have_value("1990-04-05")
    page.fill("input[name=joined_on]", "2025-03-01")
    page.get_by_role("button", name="登记入会").click()
    expect(page.locator(".messages")).to_contain_text("已登记会员“孙新会员”入会")

    nav(page, "困难帮扶")
    page.get_by_role("link", name=scene.case.member.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    fits(page)
    nav(page, "集体合同")
    nav(page, "活动")
    nav(page, "导入")
    nav(page, "工作台")
    assert not errors, "\n".join(errors)


def test_federation_staff_follow_a_summary_figure_to_its_members_and_a_union(walker, scene, county_staff):
    page, errors = walker(county_staff)
    nav(page, "年度总结")
    page.get_by_role("link", name=f"{YEAR}").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{YEAR}")
    fits(page)
    page.goto(f"/reports/{scene.county.pk}/{YEAR}/drill/members/")
    page.get_by_role("link", name=scene.member.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(scene.member.name)
    fits(page)

    nav(page, "基层工会")
    page.get_by_role("link", name=scene.union.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(scene.union.name)
    fits(page)
    nav(page, "联合会")
    nav(page, "困难帮扶")
    nav(page, "工作台")
    assert not errors, "\n".join(errors)


def test_a_chair_reads_the_summary_and_its_versions(walker, scene, county_chair):
    page, errors = walker(county_chair)
    nav(page, "年度总结")
    page.get_by_role("link", name=f"{YEAR}").first.click()
    state = page.locator("#summary-state")
    expect(state).to_contain_text("草稿 · 未定稿")
    expect(state.get_by_role("button", name="定稿")).to_be_visible()
    fits(page)
    page.goto(f"/reports/{scene.county.pk}/{YEAR}/versions/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    fits(page)
    nav(page, "会员")
    nav(page, "工作台")
    assert not errors, "\n".join(errors)


def test_an_administrator_walks_the_tree_and_reaches_the_admin(walker, scene, admin_user):
    page, errors = walker(admin_user)
    nav(page, "联合会")
    nav(page, "基层工会")
    nav(page, "年度总结")
    nav(page, "管理后台")
    expect(page.locator("body")).to_contain_text("管理")
    assert not errors, "\n".join(errors)
