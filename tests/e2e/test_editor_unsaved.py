"""Unsaved text in the editor is never lost to another button on the page: 提交 (or a comment)
pressed while the text has unsaved changes waits, saying why, and works once the text is saved."""

import pytest
from playwright.sync_api import expect

from reports.models import AssignmentState
from tests.e2e.conftest import click_action, questions_on_leaving

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_BODY = "新写的一段正文，尚未保存。"


def test_submit_with_unsaved_text_waits_until_the_text_is_saved(page, login_as, drafter, our_section):
    measure = our_section.measures.get(position=1)
    login_as(drafter)
    page.goto(f"/sections/{our_section.pk}/")
    body = page.locator(f"#measure-{measure.pk} textarea[name$='-body']")
    body.fill(NEW_BODY)
    expect(page.get_by_test_id("unsaved-before-action")).to_be_hidden()

    page.click("#workflow-panel button[data-action=submit]")
    notice = page.get_by_test_id("unsaved-before-action")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("未保存的修改")
    expect(notice).to_be_focused()
    # Nothing left the page: the text is still in the field, the section still being drafted.
    expect(body).to_have_value(NEW_BODY)
    our_section.assignment.refresh_from_db()
    assert our_section.assignment.state == AssignmentState.DRAFT

    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    click_action(page, "submit")
    expect(page.get_by_test_id("section-state")).to_have_text("待签发")
    our_section.assignment.refresh_from_db()
    measure.refresh_from_db()
    assert our_section.assignment.state == AssignmentState.SUBMITTED
    assert NEW_BODY.removesuffix("。") in measure.body


def test_without_unsaved_text_submit_goes_straight_through(page, login_as, drafter, our_section):
    login_as(drafter)
    page.goto(f"/sections/{our_section.pk}/")
    click_action(page, "submit")
    expect(page.get_by_test_id("section-state")).to_have_text("待签发")
    expect(page.get_by_test_id("unsaved-before-action")).to_have_count(0)


def test_logging_out_with_unsaved_text_is_left_to_the_browsers_question(page, login_as, drafter, our_section):
    measure = our_section.measures.get(position=1)
    login_as(drafter)
    page.goto(f"/sections/{our_section.pk}/")
    page.locator(f"#measure-{measure.pk} textarea[name$='-body']").fill(NEW_BODY)
    asked = questions_on_leaving(page, page.get_by_role("button", name="退出登录").click)
    # The browser asks before leaving; the page's own notice stays out of the navigation.
    assert asked == ["beforeunload"]
    expect(page.get_by_test_id("unsaved-before-action")).to_be_hidden()
    assert page.locator("nav [data-testid=unsaved-before-action]").count() == 0
