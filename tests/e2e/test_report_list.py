"""The list of reports in real Chromium, at desktop and at phone width: find a final report
again, archive it, filter for it."""

import pytest
from playwright.sync_api import expect

from reports.models import Report
from tests.e2e.conftest import on_one_line, open_menu

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def open_list_from_the_navigation(page):
    open_menu(page)
    page.get_by_test_id("nav-reports").click()
    expect(page.get_by_role("heading", name="报告", exact=True)).to_be_visible()


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_a_coordinator_finds_a_final_report_and_archives_it(page, login_as, report, coordinator, width):
    page.set_viewport_size({"width": width, "height": 800})
    Report.objects.filter(pk=report.pk).update(is_final=True)
    login_as(coordinator)
    open_list_from_the_navigation(page)

    row = page.get_by_test_id("report-row").filter(has_text=report.title)
    expect(row.get_by_test_id("report-state")).to_have_text("已定稿")
    expect(row.get_by_test_id("report-progress")).to_have_text("0 / 2")
    expect(row.get_by_role("link", name="看板")).to_be_visible()

    row.get_by_test_id("archive").click()
    expect(page.locator(".alert-success")).to_contain_text("已归档")
    expect(row.get_by_test_id("report-state")).to_have_text("已归档")

    page.select_option("select[name=state]", "open")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("no-reports")).to_be_visible()
    page.select_option("select[name=state]", "archived")
    page.fill("input[name=q]", "测试工作")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("report-row")).to_have_count(1)
    report.refresh_from_db()
    assert report.archived_at is not None


def test_at_phone_width_the_list_scrolls_inside_its_table_and_dates_stay_on_one_line(
    page, login_as, report, coordinator
):
    page.set_viewport_size({"width": 375, "height": 800})
    login_as(coordinator)
    page.goto("/reports/")
    deadline = page.get_by_test_id("report-row").first.get_by_test_id("deadline")
    expect(deadline).to_be_visible()
    assert on_one_line(deadline)
    # The page itself does not scroll sideways: the table does, inside its box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
