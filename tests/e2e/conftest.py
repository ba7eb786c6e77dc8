"""Real Chromium (Debian's package) driven by Playwright against pytest-django's live server."""

import os
import re
import shutil

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package (.ci/run does).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login_as(page):
    """login_as(user) signs the browser in through the real login form."""

    def _login(user):
        page.context.clear_cookies()
        page.goto("/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return _login


def open_menu(page):
    """Open the navigation where it is collapsed (phone width); nothing on a wide screen."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        # Bootstrap animates the menu open: a click during the animation can miss its links.
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"^(?!.*collapsing).*\bshow\b"))


def text_height(locator):
    """The height of the element's text itself (a table cell is as tall as its row)."""
    return locator.evaluate(
        "cell => { const r = document.createRange(); r.selectNodeContents(cell); return r.getBoundingClientRect().height; }"
    )


def on_one_line(locator):
    expect(locator).to_be_visible()
    line = locator.evaluate("cell => parseFloat(getComputedStyle(cell).lineHeight) || 24")
    return text_height(locator) < 1.5 * line
