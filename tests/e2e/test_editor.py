"""The section editor in real Chromium: add a measure, drag it to the top, save, history, compare."""

import pytest
from playwright.sync_api import expect

from reports.models import Section
from tests.e2e.conftest import questions_on_leaving

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def ordinals(page):
    return page.locator("#measures [data-measure] .measure-ordinal").all_inner_texts()


def leads(page):
    return [field.input_value() for field in page.locator("#measures [data-measure] input[name$='-lead']").all()]


def drag_to_top(page, handle):
    """Drag with real mouse moves, in small steps and with pauses, as a person does.

    SortableJS swaps items on animation frames: a gesture faster than a frame can end
    before the swap, so the pointer rests over the target before it is released.
    """
    # A window tall enough for both ends of the drag, as on an office monitor: three cards are
    # taller than the default 720 px, and a drag to a point off screen goes nowhere.
    page.set_viewport_size({"width": 1280, "height": 1600})
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    handle.scroll_into_view_if_needed()
    start = handle.bounding_box()
    top = page.locator("#measures [data-measure]").first.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + 5, start["y"] - 10, steps=5)
    page.wait_for_timeout(100)
    page.mouse.move(top["x"] + 20, top["y"] + 5, steps=20)
    page.wait_for_timeout(200)
    page.mouse.move(top["x"] + 20, top["y"] + 3, steps=2)
    page.wait_for_timeout(300)
    page.mouse.up()


def test_a_drafter_adds_a_measure_drags_it_to_the_top_saves_and_compares(page, login_as, drafter, report):
    login_as(drafter)
    page.get_by_role("link", name="在提升政务服务效能方面").click()
    page.wait_for_selector("#section-form")
    assert ordinals(page) == ["一是", "二是"]

    page.get_by_role("button", name="添加举措").click()
    new = page.locator("#measures [data-measure]").last
    new.locator("input[name$='-lead']").fill("优化帮办代办")
    new.locator("textarea[name$='-body']").fill("组建X人的帮办队伍。")
    assert ordinals(page) == ["一是", "二是", "三是"]
    assert page.locator("#total-placeholders").inner_text() == "1"

    drag_to_top(page, new.locator(".drag-handle"))
    assert leads(page) == ["优化帮办代办", "推行一件事一次办", "深化一网通办"]
    assert ordinals(page) == ["一是", "二是", "三是"]

    page.get_by_label("本次修改说明").fill("新增帮办代办")
    page.get_by_test_id("save").click()
    page.wait_for_selector(".alert-success")
    assert leads(page) == ["优化帮办代办", "推行一件事一次办", "深化一网通办"]
    first = page.locator("#measures [data-measure]").first
    assert first.locator(".measure-ordinal").inner_text() == "一是"
    assert first.locator("mark.placeholder").inner_text() == "X"
    section = Section.objects.get(pk=report.our_section.pk)
    assert [m.lead for m in section.measures.order_by("position")] == [
        "优化帮办代办",
        "推行一件事一次办",
        "深化一网通办",
    ]

    page.get_by_role("link", name="修改历史").click()
    expect(page.get_by_test_id("revision")).to_have_count(2)
    expect(page.get_by_text("新增帮办代办")).to_be_visible()
    page.get_by_test_id("compare").click()
    table = page.get_by_test_id("compare-table")
    # Waits for the compare page: is_visible() would ask the history page still on screen.
    expect(table.locator("ins", has_text="优化帮办代办")).to_be_visible()
    row = table.locator("tr", has_text="推行一件事一次办")
    assert row.locator("th.compare-label").all_inner_texts() == ["一是", "二是"]


def test_move_buttons_and_delete_renumber_live(page, login_as, drafter, report):
    login_as(drafter)
    page.goto(f"/sections/{report.our_section.pk}/")
    page.locator("#measures [data-measure]").last.get_by_role("button", name="上移").click()
    assert leads(page) == ["深化一网通办", "推行一件事一次办"]
    assert page.get_by_text("有未保存的修改", exact=True).is_visible()
    page.locator("#measures [data-measure]").first.get_by_label("删除").check()
    assert ordinals(page) == ["", "一是"]
    page.get_by_test_id("save").click()
    page.wait_for_selector(".alert-success")
    assert leads(page) == ["推行一件事一次办"]
    assert ordinals(page) == ["一是"]


def test_leaving_with_unsaved_changes_asks_first(page, login_as, drafter, report):
    login_as(drafter)
    page.goto(f"/sections/{report.our_section.pk}/")
    page.locator("textarea[name=intro]").fill("还没保存的导语。")
    asked = questions_on_leaving(page, page.get_by_role("link", name="修改历史").click)
    assert asked == ["beforeunload"]
    assert "/history/" not in page.url
    assert page.locator("textarea[name=intro]").input_value() == "还没保存的导语。"


def test_two_tabs_saving_the_same_version_lose_nothing(page, login_as, drafter, report):
    login_as(drafter)
    url = f"/sections/{report.our_section.pk}/"
    other_tab = page.context.new_page()
    page.goto(url)
    other_tab.goto(url)

    page.locator("textarea[name=intro]").fill("第一个标签页的导语。")
    page.get_by_test_id("save").click()
    page.wait_for_selector(".alert-success")

    other_tab.locator("textarea[name=intro]").fill("第二个标签页的导语。")
    other_tab.get_by_test_id("save").click()
    conflict = other_tab.get_by_test_id("conflict")
    assert conflict.is_visible()
    table = other_tab.get_by_test_id("compare-table")
    assert table.locator("tr[data-kind=intro] del").first.inner_text() == "一"
    assert table.locator("tr[data-kind=intro] ins").first.inner_text() == "二"
    assert Section.objects.get(pk=report.our_section.pk).intro == "第一个标签页的导语。"

    # Merging by hand and saving again, with the explicit choice, keeps the merged text.
    other_tab.locator("textarea[name=intro]").fill("两个标签页合并后的导语。")
    other_tab.get_by_test_id("overwrite").check()
    other_tab.get_by_test_id("save").click()
    other_tab.wait_for_selector(".alert-success")
    section = Section.objects.get(pk=report.our_section.pk)
    assert (section.intro, section.version) == ("两个标签页合并后的导语。", 3)
