"""At a phone's width too: the language switch sits behind the menu button and still holds, and
pasting text from Word can put the split measures after the current ones instead of replacing
them."""

import pytest
from playwright.sync_api import expect

from reports.models import Measure
from tests.conftest import PASSWORD
from tests.e2e.conftest import open_menu

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
PASTED = "一是新增一项举措，落实到位。二是再增一项举措，按期完成。"


def test_on_a_phone_the_language_switch_is_behind_the_menu_and_the_choice_holds(english_page, drafter):
    page = english_page
    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", drafter.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="我的章节")).to_be_visible()
    # Behind the menu button on a phone: hidden until it is opened.
    expect(page.get_by_test_id("language-en")).to_be_hidden()
    expect(page.get_by_role("button", name="菜单")).to_be_visible()
    open_menu(page)
    page.get_by_test_id("language-en").click()
    expect(page.get_by_role("heading", name="My sections")).to_be_visible()
    page.goto("/reports/")
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_visible()
    open_menu(page)
    page.get_by_test_id("language-zh-hans").click()
    expect(page.get_by_role("heading", name="报告", exact=True)).to_be_visible()


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_pasted_measures_can_come_after_the_current_ones(page, login_as, drafter, our_section, width):
    page.set_viewport_size({"width": width, "height": 900})
    before = list(Measure.objects.filter(section=our_section).values_list("lead", "body"))
    assert before, "the section starts with measures of its own"
    login_as(drafter)
    page.goto(f"/sections/{our_section.pk}/")
    page.locator("#paste-split summary").click()
    page.get_by_label("从 Word 复制的文字").fill(PASTED)
    page.get_by_label("接在现有举措之后").check()
    page.get_by_role("button", name="拆分并预览").click()
    expect(page.get_by_test_id("split-preview")).to_be_visible()
    page.get_by_test_id("confirm-split").click()
    expect(page.get_by_test_id("split-preview")).to_have_count(0)
    after = list(Measure.objects.filter(section=our_section).order_by("position").values_list("lead", "body"))
    assert after[: len(before)] == before  # the current measures stay, first and unchanged
    assert len(after) == len(before) + 2
    assert "新增一项举措" in "".join(after[len(before)])
