"""The sign-off workflow in real Chromium: submit, the placeholder gate, send back, sign off,
return from the board with a comment, fix, resubmit, sign, accept.
Every edit is typed into the section editor, as the drafter would.
"""

import re

import pytest
from playwright.sync_api import expect

from reports.models import AssignmentState, AssignmentTransition
from tests.e2e.conftest import click_action, edit_measure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def open_section(page, section):
    page.goto(f"/sections/{section.pk}/review/")
    expect(page.get_by_test_id("section-state")).to_be_visible()


def test_a_section_goes_from_drafting_to_accepted_through_the_gate_and_a_return(
    page, login_as, report, drafter, signer, coordinator
):
    section = report.our_section
    measure = section.measures.get(position=1)
    # The drafter writes a placeholder for a figure still missing, and submits;
    # the panel already warns of the placeholder.
    login_as(drafter)
    edit_measure(page, section, measure, "全程网办率达到X%。")
    open_section(page, section)
    expect(page.get_by_test_id("sign-off-blockers")).to_contain_text("举措“二是”：1 处占位符（X）")
    click_action(page, "submit")
    expect(page.get_by_test_id("section-state")).to_have_text("待签发")

    # The signer cannot sign off over the placeholder: the button says why; the gate links to the measure.
    login_as(signer)
    open_section(page, section)
    expect(page.locator("#workflow-panel button[data-action=sign_off]")).to_be_disabled()
    expect(page.get_by_test_id("refusal-sign_off")).to_have_text("还有 1 处占位符")
    expect(page.get_by_test_id("section-state")).to_have_text("待签发")
    link = page.get_by_test_id("sign-off-blockers").get_by_role("link").first
    expect(link).to_have_attribute("href", re.compile(rf"#measure-{measure.pk}$"))
    link.click()
    expect(page.locator(f"#measure-{measure.pk} mark.placeholder")).to_have_text("X")

    # Submitted text is not editable, so the signer sends it back with a note.
    page.fill("#note-send_back", "第二条请填写实际比例。")
    click_action(page, "send_back")
    expect(page.get_by_test_id("section-state")).to_have_text("起草中")

    # The drafter reads the note, fixes the measure and resubmits.
    login_as(drafter)
    open_section(page, section)
    expect(page.get_by_test_id("review-thread")).to_contain_text("第二条请填写实际比例。")
    edit_measure(page, section, measure, "全程网办率达到95%。")
    open_section(page, section)
    expect(page.get_by_test_id("sign-off-blockers")).to_have_count(0)
    click_action(page, "submit")

    # The signer signs off.
    login_as(signer)
    open_section(page, section)
    click_action(page, "sign_off")
    expect(page.get_by_test_id("section-state")).to_have_text("已签发")

    # The coordinator returns it from the board with a comment.
    login_as(coordinator)
    page.goto(f"/reports/{report.pk}/board/")
    row = page.locator(f"tr[data-section='{section.pk}']")
    expect(row.get_by_test_id("row-state")).to_have_text("已签发")
    row.locator("details.board-return summary").click()
    row.locator("textarea[name=comment]").fill("请补充与上年同期的对比。")
    with page.expect_navigation():
        row.locator("button[data-action=return]").click()
    expect(page.locator(".alert-success").first).to_contain_text("退回修改")
    expect(row.get_by_test_id("row-state")).to_have_text("退回修改")

    # The drafter sees the comment, fixes and resubmits.
    login_as(drafter)
    open_section(page, section)
    expect(page.get_by_test_id("section-state")).to_have_text("退回修改")
    expect(page.get_by_test_id("review-thread")).to_contain_text("请补充与上年同期的对比。")
    edit_measure(page, section, measure, "全程网办率达到95%，较上年同期提高8个百分点。")
    open_section(page, section)
    click_action(page, "submit")
    expect(page.get_by_test_id("section-state")).to_have_text("待签发")

    # The signer signs again; the coordinator accepts from the board.
    login_as(signer)
    open_section(page, section)
    click_action(page, "sign_off")
    expect(page.get_by_test_id("section-state")).to_have_text("已签发")

    login_as(coordinator)
    page.goto(f"/reports/{report.pk}/board/")
    row = page.locator(f"tr[data-section='{section.pk}']")
    with page.expect_navigation():
        row.locator("button[data-action=accept]").click()
    expect(row.get_by_test_id("row-state")).to_have_text("已采用")
    expect(page.get_by_test_id("count-accepted")).to_have_text("1")

    section.assignment.refresh_from_db()
    assert section.assignment.state == AssignmentState.ACCEPTED
    assert section.assignment.signed_off_by == signer
    assert list(
        AssignmentTransition.objects.filter(assignment=section.assignment).values_list("action", flat=True)
    ) == [
        "submit",
        "send_back",
        "submit",
        "sign_off",
        "return",
        "submit",
        "sign_off",
        "accept",
    ]
