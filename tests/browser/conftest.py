"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

One browser per test module; every user gets a fresh browser context, so cookies never leak between
the people a test plays."""

import os
from pathlib import Path

import pytest

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "pass-1234"  # tests.support.factories.UserFactory's password
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian Chromium is not installed at /usr/bin/chromium (make test installs it)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio event loop registered as running in the test's thread for
    # as long as it is started. Django's async-safety check sees that loop and refuses every ORM call
    # from that thread (SynchronousOnlyOperation) — although factories and assertions run between
    # Playwright calls, never inside a coroutine. So the check is off exactly while Playwright runs:
    # per module, not per session, so that the other tests of an xdist worker (and the subprocesses
    # they start, e.g. `check --deploy`, which warns about this variable) run with it on.
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            # Only Debian's Chromium: `playwright install` (a browser download) fails on these machines.
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def sign_in(browser, live_server):
    """sign_in(user) -> a page of a fresh browser context, signed in as `user` on the 工作台; keyword
    arguments are the context's options (viewport, bypass_csp…)."""
    contexts = []

    def sign_in(user, **options):
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", accept_downloads=True, **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield sign_in
    for context in contexts:
        context.close()
