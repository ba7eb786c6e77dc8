"""Real Chromium (Debian's package) driven by Playwright against pytest-django's live server."""

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
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


# A failed browser test keeps what the browser showed: a screenshot and the HTML of each of its
# pages, under test-artifacts/<database>/<test>/ (gitignored; CI keeps the directory).
ARTIFACTS = Path(os.environ.get("HUIGAO_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))
_kept = []
_outcomes = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # The page fixture's teardown reads whether the test failed.
    item.stash.setdefault(_outcomes, {})[report.when] = report
    return report


def _failed(item):
    return any(report.failed for report in item.stash.get(_outcomes, {}).values())


@pytest.fixture(scope="session")
def artifacts_dir():
    """This run's artefact directory, emptied of an earlier run's (one per database: CI runs
    the suite on SQLite, then on PostgreSQL)."""
    from django.db import connection

    directory = ARTIFACTS / connection.vendor
    shutil.rmtree(directory, ignore_errors=True)
    return directory


def keep_artifacts(directory, context):
    """A full-page screenshot and the HTML of every page still open in the context."""
    directory.mkdir(parents=True, exist_ok=True)
    for number, page in enumerate(context.pages, start=1):
        try:
            page.screenshot(path=directory / f"page-{number}.png", full_page=True, timeout=5_000)
            (directory / f"page-{number}.html").write_text(f"<!-- {page.url} -->\n{page.content()}", encoding="utf-8")
        except PlaywrightError as error:  # a crashed or closed page: keep what the others show
            (directory / f"page-{number}.error.txt").write_text(str(error), encoding="utf-8")


def pytest_terminal_summary(terminalreporter):
    if _kept:
        terminalreporter.section("browser test artefacts")
        for directory in _kept:
            terminalreporter.write_line(f"screenshots and HTML: {directory}")


@pytest.fixture
def page(request, browser, live_server, artifacts_dir):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    if _failed(request.node):
        directory = artifacts_dir / re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        keep_artifacts(directory, context)
        _kept.append(directory)
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


def questions_on_leaving(page, leave):
    """The types of the dialogs the browser shows while `leave()` (a click that would leave the
    page) runs, each dismissed so that the user stays; waits up to five seconds for the first."""
    asked = []

    def dismiss(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    leave()
    for _ in range(50):  # the dialog comes from the browser, not the page: wait for it
        if asked:
            break
        page.wait_for_timeout(100)
    page.remove_listener("dialog", dismiss)
    return asked


def text_height(locator):
    """The height of the element's text itself (a table cell is as tall as its row)."""
    return locator.evaluate(
        "cell => { const r = document.createRange(); r.selectNodeContents(cell); return r.getBoundingClientRect().height; }"
    )


def on_one_line(locator):
    expect(locator).to_be_visible()
    line = locator.evaluate("cell => parseFloat(getComputedStyle(cell).lineHeight) || 24")
    return text_height(locator) < 1.5 * line


def click_action(page, action):
    """Press a move's button in the section's workflow panel and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(f"#workflow-panel button[data-action={action}]")


def edit_measure(page, section, measure, body):
    """Type a measure's new body in the section editor and save."""
    page.goto(f"/sections/{section.pk}/")
    page.fill(f"#measure-{measure.pk} textarea[name$='-body']", body)
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success").first).to_be_visible()


@pytest.fixture
def english_page(browser, live_server):
    """A page of a browser that asks for English (Accept-Language en-US)."""
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()
