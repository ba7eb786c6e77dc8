"""An English browser in real Chromium: the interface stays Chinese until the user picks English
in the menu, the choice survives a new page, and the menu switches back."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_english_browser_stays_chinese_until_the_user_chooses(english_page, drafter):
    page = english_page
    page.goto("/accounts/login/")
    page.fill("input[name=username]", drafter.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="我的章节")).to_be_visible()

    page.get_by_test_id("language-en").click()
    expect(page.get_by_role("heading", name="My sections")).to_be_visible()
    page.goto("/reports/")
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()

    page.get_by_test_id("language-zh-hans").click()
    expect(page.get_by_role("heading", name="报告", exact=True)).to_be_visible()
