"""Importing in real Chromium: paste a title-less report, correct how a paragraph was read by
choosing its role (the outline updates at once), give the title, create the report."""

import pytest
from playwright.sync_api import expect

from reports.models import Report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT = (
    "县委办公室：\n按照要求，我局开展了自查。现将自查情况报告如下。\n一、自查情况\n一是制度健全。二是台账完整。\n"
    "二、整改措施\n建立问题台账\n逐项整改到位。\n特此报告。\n"
)


def test_a_coordinator_corrects_the_parse_and_creates_the_report(page, login_as, coordinator, office):
    login_as(coordinator)
    page.goto("/reports/import/")
    page.fill("textarea[name=text]", TEXT)
    with page.expect_navigation():
        page.get_by_test_id("import-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("title-missing")).to_be_visible()
    outline = page.get_by_test_id("import-outline")
    expect(outline).not_to_contain_text("建立问题台账")
    # The clerk typed a level-2 heading without its label: say what it is, and the outline follows.
    row = page.locator("tr.import-line", has_text="建立问题台账")
    with page.expect_navigation():
        row.locator("select").select_option("heading2")
    expect(page.get_by_test_id("import-outline")).to_contain_text("（一）建立问题台账")
    assert Report.objects.count() == 0
    page.fill("input[name=title]", "关于保密工作自查情况的报告")
    with page.expect_navigation():
        page.get_by_test_id("import-confirm").click()
    report = Report.objects.get()
    assert report.title == "关于保密工作自查情况的报告" and report.addressee == "县委办公室："
    assert [f"{s.label}{s.heading}" for s in report.outline()] == ["一、自查情况", "二、整改措施", "（一）建立问题台账"]
