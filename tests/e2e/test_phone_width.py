"""At 375 px (a phone) the dashboard, the board, the outline and the editor stay readable: no
page scrolls sideways (tables scroll inside their box) and dates keep to one line."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import on_one_line

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


def sideways_overflow(page):
    """Elements reaching past the viewport's right edge outside a scrolling table box."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
             .filter(e => !e.closest('.table-responsive') && e.getBoundingClientRect().right > innerWidth + 1)
             .map(e => e.tagName + '.' + e.className)"""
    )


def assert_no_page_scrolls_sideways(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], sideways_overflow(page)


def test_the_dashboards_deadlines_stay_on_one_line(page, login_as, report, coordinator):
    page.set_viewport_size(PHONE)
    login_as(coordinator)
    page.goto("/")
    deadline = page.get_by_test_id("section-row").first.get_by_test_id("deadline").locator("xpath=..")
    assert on_one_line(deadline)
    assert on_one_line(page.get_by_test_id("section-row").first.locator("td").nth(2))
    assert_no_page_scrolls_sideways(page)


def test_the_boards_deadlines_and_states_stay_on_one_line(page, login_as, report, coordinator):
    page.set_viewport_size(PHONE)
    login_as(coordinator)
    page.goto(f"/reports/{report.pk}/board/")
    row = page.locator(f"[data-testid=board-table] tr[data-section='{report.our_section.pk}']")
    assert on_one_line(row.locator("td").nth(3))
    assert on_one_line(row.locator("td").nth(2))
    header = page.locator("[data-testid=board-table] th").nth(3)
    assert on_one_line(header)
    assert_no_page_scrolls_sideways(page)


def test_the_outline_and_the_editor_fit_the_phone(page, login_as, report, coordinator, drafter):
    page.set_viewport_size(PHONE)
    login_as(coordinator)
    page.goto(f"/reports/{report.pk}/")
    expect(page.locator(".outline-tree").first).to_be_visible()
    assert_no_page_scrolls_sideways(page)
    login_as(drafter)
    page.goto(f"/sections/{report.our_section.pk}/")
    expect(page.get_by_test_id("save")).to_be_visible()
    assert_no_page_scrolls_sideways(page)


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_the_dashboards_headings_and_buttons_keep_their_words_whole_beside_a_long_return_note(
    page, login_as, report, drafter, signer, width
):
    assignment = report.our_section.assignment
    assignment.submit(drafter)
    assignment.send_back(signer, "请补充全年数据，并说明与上年相比的变化原因及下一步打算。" * 4)
    page.set_viewport_size({"width": width, "height": 800})
    login_as(drafter)
    page.goto("/")
    row = page.locator(f"[data-testid=section-row][data-section='{report.our_section.pk}']")
    expect(row.get_by_test_id("return-note")).to_be_visible()
    for header in page.locator("[data-testid=report-group] th").all():
        assert on_one_line(header), header.inner_text()
    assert on_one_line(row.get_by_test_id("next-action").locator(".btn, span").first)


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_a_deadline_of_another_year_shows_its_year_on_the_dashboard_and_the_outline(
    page, login_as, report, coordinator, width
):
    import datetime

    from django.utils import timezone

    assignment = report.our_section.assignment
    assignment.deadline = datetime.date(timezone.localdate().year + 1, 1, 15)
    assignment.save()
    page.set_viewport_size({"width": width, "height": 800})
    login_as(coordinator)
    page.goto("/")
    row = page.locator(f"[data-testid=section-row][data-section='{report.our_section.pk}']")
    expect(row.get_by_test_id("deadline")).to_have_text(f"{assignment.deadline.year}年1月15日")
    page.goto(f"/reports/{report.pk}/")
    expect(page.get_by_test_id("outline")).to_contain_text(f"{assignment.deadline.year}年1月15日")
