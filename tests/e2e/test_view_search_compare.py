"""In a real browser, at desktop width and at 375 px: the whole report for departments, search,
the word-level compare and the figures a clone carries over."""

import re

import pytest
from playwright.sync_api import expect

from reports import content
from reports.models import Report
from tests.e2e.conftest import open_menu

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 800}}


@pytest.fixture(params=WIDTHS, ids=list(WIDTHS))
def width(request, page):
    page.set_viewport_size(WIDTHS[request.param])
    return WIDTHS[request.param]


def assert_no_page_scrolls_sideways(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width["width"]


def test_a_department_reads_the_whole_report_once_the_office_opens_it(page, login_as, width, report, drafter):
    login_as(drafter)
    # Closed: the preview is refused, and nothing links to it.
    response = page.goto(f"/reports/{report.pk}/preview/")
    assert response.status == 403
    expect(page.get_by_text("牵头单位未向各责任单位开放全文")).to_be_visible()
    page.goto("/")
    expect(page.get_by_test_id("whole-report")).to_have_count(0)

    report.departments_see_whole_report = True
    report.save()
    page.goto("/")
    page.get_by_test_id("whole-report").click()
    expect(page.get_by_test_id("read-only-preview")).to_be_visible()
    preview = page.get_by_test_id("preview")
    # The other department's section, and no export button for a department.
    expect(preview.get_by_text("盘活闲置土地300亩", exact=False)).to_be_visible()
    expect(page.get_by_test_id("export-docx")).to_have_count(0)
    assert_no_page_scrolls_sideways(page, width)


def test_search_from_the_navigation_marks_the_match_and_hides_other_departments_text(
    page, login_as, width, report, drafter
):
    login_as(drafter)
    page.goto("/")
    open_menu(page)
    page.get_by_test_id("nav-search").click()
    page.get_by_test_id("search-input").fill("一网通办")
    page.get_by_test_id("search-input").press("Enter")
    hit = page.get_by_test_id("search-hit")
    expect(hit).to_have_count(1)
    expect(hit.locator("mark.search-match")).to_have_text("一网通办")
    assert_no_page_scrolls_sideways(page, width)
    # Another department's measure is not found.
    page.get_by_test_id("search-input").fill("闲置土地")
    page.get_by_test_id("search-input").press("Enter")
    expect(page.get_by_test_id("search-empty")).to_be_visible()
    # An over-long query is refused with a message.
    page.goto("/reports/search/?q=" + "政" * 60)
    expect(page.get_by_test_id("search-error")).to_contain_text("最多查找")


def test_compare_shows_a_rewrite_as_a_rewrite_in_two_columns_of_one_width(page, login_as, width, report, drafter):
    section = report.our_section
    first = section.measures.get(position=0)
    content.save_content(
        section,
        drafter,
        measures=[
            content.MeasureText(
                first.pk,
                "推行一件事一次办",
                "围绕企业开办、项目审批等高频事项，全年累计办理12.5万件，群众满意度达98%。",
            )
        ],
    )
    older = content.revisions(section).first()
    content.save_content(
        section,
        drafter,
        measures=[
            content.MeasureText(
                first.pk,
                "推行一件事一次办",
                "聚焦企业开办和工程建设项目审批等重点事项，全年共办理13.2万件，群众满意率达到99%。",
            )
        ],
    )
    login_as(drafter)
    page.goto(f"/sections/{section.pk}/history/compare/?a={older.pk}")
    row = page.get_by_test_id("compare-table").locator("tr.compare-changed[data-kind=measure]").first
    old, new = row.locator("td.compare-old"), row.locator("td.compare-new")
    expect(old.locator("del").first).to_be_visible()
    # Equal columns, whatever either side holds.
    assert abs(old.bounding_box()["width"] - new.bounding_box()["width"]) <= 1
    # Figures changed whole, and no lone kept character between two changes.
    expect(old.locator("del", has_text=re.compile(r"^12\.5$"))).to_have_count(1)
    expect(new.locator("ins", has_text=re.compile(r"^13\.2$"))).to_have_count(1)
    kept_between = old.evaluate(
        """cell => [...cell.childNodes].filter((n, i, all) => n.nodeType === 3 && i > 0 && i < all.length - 1
                 && all[i - 1].nodeName === 'DEL' && all[i + 1].nodeName === 'DEL').map(n => n.textContent)"""
    )
    assert all(len(text) >= 2 for text in kept_between), kept_between
    assert_no_page_scrolls_sideways(page, width)


def test_a_clone_marks_last_periods_figures_until_the_department_checks_them(
    page, login_as, width, report, coordinator, drafter
):
    login_as(coordinator)
    page.goto(f"/reports/{report.pk}/clone/")
    expect(page.locator("input[name=mark_figures]")).to_be_checked()
    page.get_by_test_id("clone-form").locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    copy = Report.objects.exclude(pk=report.pk).get()
    section = copy.sections.get(heading="在提升政务服务效能方面")

    login_as(drafter)
    page.goto(f"/sections/{section.pk}/")
    figures = page.get_by_test_id("carried-figures")
    expect(figures).to_be_visible()
    expect(page.get_by_test_id("sign-off-blockers")).to_contain_text("沿用上期")
    expect(page.locator("[data-preview] mark.carried-number")).to_have_count(2)
    assert_no_page_scrolls_sideways(page, width)
    for _ in range(2):
        figures.get_by_test_id("confirm-figure").first.click()
        page.wait_for_load_state()
    expect(page.get_by_test_id("carried-figures")).to_have_count(0)
    expect(page.locator("mark.carried-number")).to_have_count(0)
