"""Proofreading in the sign-off gate, in real Chromium: the office turns on 校对错误阻止签发 in the
report's settings, the drafter types an unpaired quotation mark and submits, the signer's 签发 is
refused with the reason and a link to the measure; corrected, it signs off."""

import re

import pytest
from playwright.sync_api import expect

from reports.models import AssignmentState
from tests.e2e.conftest import click_action, edit_measure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_proofreading_error_blocks_sign_off_where_the_report_is_set_so(
    page, login_as, report, drafter, signer, coordinator
):
    section = report.our_section
    measure = section.measures.get(position=1)

    # The office turns the setting on in the report's settings form.
    login_as(coordinator)
    page.goto(f"/reports/{report.pk}/edit/")
    page.get_by_label("校对错误阻止签发").check()
    with page.expect_navigation():
        page.get_by_test_id("report-form").locator("button[type=submit]").click()
    report.refresh_from_db()
    assert report.proofreading_blocks_sign_off

    # The drafter leaves a quotation mark open and submits; the panel already says it will block.
    login_as(drafter)
    edit_measure(page, section, measure, "深化“一网通办改革。")
    page.goto(f"/sections/{section.pk}/review/")
    expect(page.get_by_test_id("proofreading-blockers")).to_contain_text("有1处错误须改正")
    click_action(page, "submit")
    expect(page.get_by_test_id("section-state")).to_have_text("待签发")

    # The signer's 签发 cannot act and says why beside it; the error links to its measure.
    login_as(signer)
    page.goto(f"/sections/{section.pk}/review/")
    expect(page.locator("#workflow-panel button[data-action=sign_off]")).to_be_disabled()
    expect(page.get_by_test_id("refusal-sign_off")).to_contain_text("还有1处校对错误待改正")
    expect(page.get_by_test_id("section-state")).to_have_text("待签发")
    blockers = page.get_by_test_id("sign-off-blockers")
    expect(blockers).to_contain_text("举措“二是”：““”缺少配对的后半个。（P003）")
    link = blockers.get_by_role("link").first
    expect(link).to_have_attribute("href", re.compile(rf"#measure-{measure.pk}$"))
    link.click()
    expect(page.locator(f"#measure-{measure.pk}")).to_be_in_viewport()
    section.assignment.refresh_from_db()
    assert section.assignment.state == AssignmentState.SUBMITTED

    # Sent back, corrected, resubmitted: the signer signs off.
    page.fill("#note-send_back", "第二条引号不成对。")
    click_action(page, "send_back")
    login_as(drafter)
    edit_measure(page, section, measure, "深化“一网通办”改革。")
    page.goto(f"/sections/{section.pk}/review/")
    expect(page.get_by_test_id("sign-off-blockers")).to_have_count(0)
    click_action(page, "submit")
    login_as(signer)
    page.goto(f"/sections/{section.pk}/review/")
    click_action(page, "sign_off")
    expect(page.get_by_test_id("section-state")).to_have_text("已签发")
