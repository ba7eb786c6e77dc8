"""会签 and re-confirming a change after sign-off, in real Chromium: the office chooses a
co-department in the outline, the co-department's signer 会签 with a comment, and only then may
the lead department's signer 签发; the office edits an accepted section with a reason, the
department's signer sees it and 确认 (or 提出异议 with a comment), and 定稿 waits for that."""

import datetime

import pytest
from playwright.sync_api import expect

from reports.models import Assignment, CoSignature, Report
from reports.states import AssignmentState, TransitionAction
from tests.conftest import set_assignment_state
from tests.e2e.conftest import click_action

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def open_review(page, section):
    page.goto(f"/sections/{section.pk}/review/")
    expect(page.get_by_test_id("section-state")).to_be_visible()


def test_the_lead_signer_signs_off_only_after_the_co_department_has_co_signed(
    page, login_as, report, coordinator, drafter, signer, other_signer, other_department
):
    section = report.our_section
    # The office names the 财政局 as co-department in the outline.
    login_as(coordinator)
    page.goto(f"/reports/{report.pk}/")
    page.click(f"[data-bs-target='#frame-{section.pk}']")
    frame = page.locator(f"#frame-{section.pk}")
    frame.get_by_test_id("co-departments").select_option(str(other_department.pk))
    with page.expect_navigation():
        frame.locator("form.outline-frame button[type=submit]").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    assert list(CoSignature.objects.filter(assignment__section=section).values_list("department", flat=True)) == [
        other_department.pk
    ]

    login_as(drafter)
    open_review(page, section)
    click_action(page, "submit")
    expect(page.get_by_test_id("section-state")).to_have_text("待签发")
    expect(page.get_by_test_id("cosign-waiting")).to_have_text("尚待会签：县财政局")

    # The lead signer cannot sign off yet, and the button says why.
    login_as(signer)
    open_review(page, section)
    expect(page.locator("#workflow-panel button[data-action=sign_off]")).to_be_disabled()
    expect(page.get_by_test_id("refusal-sign_off")).to_have_text("须先由县财政局会签")

    # The 财政局's signer co-signs with a comment.
    login_as(other_signer)
    open_review(page, section)
    page.fill("#note-cosign", "同意，建议补充资金数据。")
    click_action(page, "cosign")
    cosignatures = page.get_by_test_id("cosignatures")
    expect(cosignatures).to_contain_text("已会签")
    expect(cosignatures).to_contain_text("同意，建议补充资金数据。")
    expect(page.get_by_test_id("cosign-waiting")).to_have_count(0)

    # Now the lead signer signs off.
    login_as(signer)
    open_review(page, section)
    expect(page.get_by_test_id("refusal-sign_off")).to_have_count(0)
    click_action(page, "sign_off")
    expect(page.get_by_test_id("section-state")).to_have_text("已签发")
    assignment = Assignment.objects.get(section=section)
    assert (assignment.state, assignment.signed_off_by) == (AssignmentState.SIGNED_OFF, signer)


@pytest.fixture
def accepted(report, drafter, signer, coordinator, other_signer):
    """A report that asks its signers to re-confirm changes, ready for 定稿: the 发改局's section
    signed off through the workflow and accepted, the 财政局's accepted, the date set."""
    report.reconfirm_changes = True
    report.issued_on = datetime.date(2025, 12, 5)
    report.save()
    assignment = Assignment.objects.get(section=report.our_section)
    assignment.submit(drafter)
    assignment.sign_off(signer)
    assignment.accept(coordinator)
    set_assignment_state(report.their_section.assignment, AssignmentState.ACCEPTED, other_signer)
    return report


def office_edits_with_a_reason(page, login_as, coordinator, section):
    """The office rewrites a measure of the accepted section in the editor, giving its reason."""
    measure = section.measures.get(position=1)
    login_as(coordinator)
    page.goto(f"/sections/{section.pk}/")
    page.fill(f"#measure-{measure.pk} textarea[name$='-body']", "全程网办率达到95%。")
    page.fill("#id_note", "按统计局最新数据更新")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    expect(page.get_by_test_id("changed-after-sign-off")).to_contain_text("按统计局最新数据更新")


def finalise(page, report):
    page.goto(f"/reports/{report.pk}/board/")
    with page.expect_navigation():
        page.click("button[data-action=finalise]")


def test_the_signer_confirms_the_offices_change_and_only_then_the_report_is_finalised(
    page, login_as, accepted, coordinator, signer
):
    section = accepted.our_section
    office_edits_with_a_reason(page, login_as, coordinator, section)
    finalise(page, accepted)
    expect(page.locator(".alert-danger").first).to_contain_text("报告暂不能定稿")
    expect(page.locator(".alert-danger", has_text="（一）在提升政务服务效能方面")).to_contain_text("尚待签发人确认")
    # The board says what 定稿 waits for, on the row and above the button.
    expect(page.locator(f"tr[data-section='{section.pk}']").get_by_test_id("awaits-confirmation")).to_be_visible()
    expect(page.get_by_test_id("awaiting-confirmation")).to_contain_text("尚待签发人确认或提出异议")
    accepted.refresh_from_db()
    assert not accepted.is_final

    # The department's signer sees the change and the office's reason, and confirms it.
    login_as(signer)
    open_review(page, section)
    notice = page.get_by_test_id("changed-after-sign-off")
    expect(notice).to_contain_text("签发后改动")
    expect(page.get_by_test_id("change-reason")).to_have_text("按统计局最新数据更新")
    expect(notice).to_contain_text("定稿前须由签发人确认改动或提出异议。")
    click_action(page, "confirm")
    expect(page.locator("#workflow-panel button[data-action=confirm]")).to_have_count(0)
    expect(page.get_by_test_id("changed-after-sign-off")).not_to_contain_text("定稿前须由签发人确认")

    login_as(coordinator)
    finalise(page, accepted)
    expect(page.locator(".alert-success").first).to_contain_text("定稿")
    assert Report.objects.get(pk=accepted.pk).is_final


def test_the_signer_disputes_the_offices_change_with_a_comment_and_the_report_stays_open(
    page, login_as, accepted, coordinator, signer
):
    section = accepted.our_section
    office_edits_with_a_reason(page, login_as, coordinator, section)

    login_as(signer)
    open_review(page, section)
    # 提出异议 needs a comment: the browser will not send the form without one.
    page.click("#workflow-panel button[data-action=dispute]")
    expect(page.locator("#note-dispute:invalid")).to_have_count(1)
    page.fill("#note-dispute", "95%为预估数，请以年报数据为准。")
    click_action(page, "dispute")
    expect(page.get_by_test_id("review-thread")).to_contain_text("95%为预估数，请以年报数据为准。")
    dispute = Assignment.objects.get(section=section).transitions.get(action=TransitionAction.DISPUTE)
    assert (dispute.actor, dispute.comment) == (signer, "95%为预估数，请以年报数据为准。")

    # The office reads the dispute; 定稿 is still refused.
    login_as(coordinator)
    open_review(page, section)
    expect(page.get_by_test_id("review-thread")).to_contain_text("95%为预估数，请以年报数据为准。")
    finalise(page, accepted)
    expect(page.locator(".alert-danger").first).to_contain_text("报告暂不能定稿")
    expect(page.locator(".alert-danger", has_text="（一）在提升政务服务效能方面")).to_contain_text("尚待签发人确认")
    assert not Report.objects.get(pk=accepted.pk).is_final
