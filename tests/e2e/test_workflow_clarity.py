"""In real Chromium, at desktop and at phone width (375 px): bulk assignment in the outline,
deadlines in the import confirmation, the conflict first and focused with an explicit overwrite,
disabled moves with their reason and a line on each, the folded gate, returns with their note,
the draft preview's tags; and a failed test's screenshot and HTML kept."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports.models import Assignment, AssignmentState, Measure, Report, Section
from tests.conftest import set_assignment_state
from tests.e2e.conftest import keep_artifacts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 800}}


@pytest.fixture(params=list(SIZES))
def sized(request, page):
    page.set_viewport_size(SIZES[request.param])
    return page


def no_sideways_scroll(page):
    width = page.viewport_size["width"]
    return page.evaluate("document.documentElement.scrollWidth") <= width


def in_viewport(locator):
    return locator.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")


def test_the_coordinator_assigns_a_heading_and_everything_under_it_in_one_go(
    sized, login_as, coordinator, report, other_department
):
    page = sized
    login_as(coordinator)
    page.goto(f"/reports/{report.pk}/")
    form = page.get_by_test_id("bulk-assign")
    expect(form).to_be_visible()
    second = page.locator(f"li.outline-node[data-section='{report.our_section.parent_id}']")
    second.get_by_test_id("bulk-pick-all").first.click()
    expect(page.get_by_test_id("bulk-count")).to_have_text("3")
    form.get_by_test_id("bulk-department").select_option(str(other_department.pk))
    due = timezone.localdate() + datetime.timedelta(days=12)
    form.get_by_test_id("bulk-deadline").fill(due.isoformat())
    assert no_sideways_scroll(page)
    with page.expect_navigation():
        form.get_by_test_id("bulk-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("已将 3 个章节分配给县财政局")
    assigned = {a.section_id: (a.department_id, a.deadline) for a in Assignment.objects.all()}
    for pk in (report.our_section.parent_id, report.our_section.pk, report.their_section.pk):
        assert assigned[pk] == (other_department.pk, due)
    assert report.first_section.pk not in assigned
    expect(page.locator(f"li.outline-node[data-section='{report.our_section.pk}'] .badge").first).to_contain_text(
        "县财政局"
    )


def test_a_bulk_assignment_without_a_department_is_refused_in_chinese(sized, login_as, coordinator, report):
    page = sized
    login_as(coordinator)
    page.goto(f"/reports/{report.pk}/")
    page.locator(f"#pick-{report.first_section.pk}").check()
    with page.expect_navigation():
        page.get_by_test_id("bulk-submit").click()
    expect(page.get_by_test_id("bulk-errors")).to_contain_text("请选择承担所选章节的责任单位")
    # The ticked section is still ticked for the next try; nothing was assigned.
    expect(page.locator(f"#pick-{report.first_section.pk}")).to_be_checked()
    assert not Assignment.objects.filter(section=report.first_section).exists()


IMPORTED = "关于保密工作自查情况的报告\n一、自查情况\n一是制度健全。二是台账完整。\n二、整改措施\n一是建立问题台账。二是逐项整改到位。\n"


def test_the_import_confirmation_sets_the_deadline_and_the_departments(
    sized, login_as, coordinator, office, department
):
    page = sized
    login_as(coordinator)
    page.goto("/reports/import/")
    page.fill("textarea[name=text]", IMPORTED)
    with page.expect_navigation():
        page.get_by_test_id("import-form").locator("button[type=submit]").click()
    due = timezone.localdate() + datetime.timedelta(days=20)
    page.get_by_test_id("import-deadline").fill(due.isoformat())
    page.get_by_test_id("import-department").nth(1).select_option(str(department.pk))
    assert no_sideways_scroll(page)
    with page.expect_navigation():
        page.get_by_test_id("import-confirm").click()
    report = Report.objects.get()
    assert report.deadline == due
    second = report.sections.get(heading="整改措施")
    assert (second.assignment.department, second.assignment.deadline) == (department, due)
    assert not Assignment.objects.filter(section__heading="自查情况").exists()


def test_a_stale_save_shows_the_conflict_first_focused_and_needs_the_explicit_choice(sized, login_as, drafter, report):
    page = sized
    section = report.our_section
    # A long gate list above the form, as in the field: the conflict must still come first.
    Measure.objects.filter(section=section, position=0).update(body="X月X日完成X项，" * 5)
    login_as(drafter)
    url = f"/sections/{section.pk}/"
    other_tab = page.context.new_page()
    other_tab.set_viewport_size(page.viewport_size)
    page.goto(url)
    other_tab.goto(url)
    page.locator("textarea[name=intro]").fill("第一个标签页的导语。")
    page.get_by_test_id("save").click()
    page.wait_for_selector(".alert-success")

    other_tab.locator("textarea[name=intro]").fill("第二个标签页的导语。")
    other_tab.get_by_test_id("save").click()
    conflict = other_tab.get_by_test_id("conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_have_attribute("role", "alert")
    expect(conflict).to_be_focused()
    assert in_viewport(conflict)

    # A plain second 保存 is refused again: the first tab's text stays.
    other_tab.get_by_test_id("save").click()
    expect(other_tab.get_by_test_id("conflict-repeated")).to_be_visible()
    expect(other_tab.get_by_test_id("conflict")).to_be_focused()
    assert Section.objects.get(pk=section.pk).intro == "第一个标签页的导语。"

    other_tab.get_by_test_id("overwrite").check()
    other_tab.get_by_test_id("save").click()
    other_tab.wait_for_selector(".alert-success")
    saved = Section.objects.get(pk=section.pk)
    assert (saved.intro, saved.version) == ("第二个标签页的导语。", 3)


def test_sign_off_is_disabled_with_its_reason_and_the_long_gate_is_folded(sized, login_as, signer, report):
    page = sized
    section = report.our_section
    Measure.objects.filter(section=section, position=0).update(body="X月X日完成X项，" * 3 + "新增X家。")
    Measure.objects.filter(section=section, position=1).update(body="达到X%，" * 5)
    for position in (2, 3):
        Measure.objects.create(section=section, position=position, lead="补充举措", body=f"第{position}条共X项。")
    set_assignment_state(section.assignment, AssignmentState.SUBMITTED)
    login_as(signer)
    page.goto(f"/sections/{section.pk}/")
    sign_off = page.locator("button[data-action=sign_off]")
    expect(sign_off).to_be_disabled()
    expect(page.get_by_test_id("refusal-sign_off")).to_have_text("还有 17 处占位符")
    expect(page.get_by_test_id("refusal-sign_off")).to_be_visible()
    expect(page.get_by_test_id("explain-send_back")).to_contain_text("签发人附意见退给撰稿人修改")
    expect(page.locator("button[data-action=send_back]")).to_be_enabled()
    # Four measures with placeholders: folded, four lines inside, the count in its summary.
    gate = page.get_by_test_id("sign-off-blockers")
    expect(gate).not_to_have_attribute("open", "")
    expect(gate.locator("summary")).to_contain_text("17 处占位符")
    expect(gate.get_by_test_id("gate-line").first).to_be_hidden()
    gate.locator("summary").click()
    expect(gate.get_by_test_id("gate-line")).to_have_count(4)
    expect(gate.get_by_test_id("gate-line").first).to_have_text("举措“一是”：10 处占位符（X）")
    assert no_sideways_scroll(page)


def test_the_drafter_sees_why_a_section_came_back_on_the_home_page(sized, login_as, drafter, signer, report):
    page = sized
    assignment = report.our_section.assignment
    assignment.submit(drafter)
    assignment.send_back(signer, "第二条数据要更新到年底。")
    login_as(drafter)
    page.goto("/")
    row = page.locator(f"[data-testid=section-row][data-section='{report.our_section.pk}']")
    note = row.get_by_test_id("return-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("退回意见：第二条数据要更新到年底。")
    # The withdraw/send-back difference is spelled out where the drafter acts.
    page.goto(f"/sections/{report.our_section.pk}/")
    expect(page.get_by_test_id("explain-submit")).to_be_visible()


def test_the_preview_tags_a_signed_off_section_as_awaiting_acceptance(sized, login_as, coordinator, signer, report):
    page = sized
    set_assignment_state(report.our_section.assignment, AssignmentState.SIGNED_OFF, signer)
    login_as(coordinator)
    page.goto(f"/reports/{report.pk}/preview/")
    preview = page.get_by_test_id("preview")
    expect(preview.get_by_text("〔县发改局·已签发待采用〕")).to_be_visible()
    expect(preview.get_by_text("〔县财政局·待提交〕")).to_be_visible()
    expect(preview).not_to_contain_text("【待报送：县发改局】")
    expect(preview).to_contain_text("【待报送：县财政局】")


def test_a_failed_browser_test_keeps_a_screenshot_and_the_html(page, login_as, coordinator, report, tmp_path):
    login_as(coordinator)
    page.goto(f"/reports/{report.pk}/")
    other = page.context.new_page()
    other.goto(f"/reports/{report.pk}/board/")
    keep_artifacts(tmp_path, page.context)
    assert (tmp_path / "page-1.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "page-2.png").read_bytes().startswith(b"\x89PNG")
    html = (tmp_path / "page-1.html").read_text(encoding="utf-8")
    assert f"/reports/{report.pk}/" in html.splitlines()[0]
    assert "关于测试工作情况的报告" in html
