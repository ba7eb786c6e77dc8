"""In real Chromium: the coordinator adds an attachment with a pasted table, and the preview shows it."""

import pytest
from playwright.sync_api import expect

from reports.models import Attachment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_adds_an_attachment_from_the_outline_page_and_sees_it_in_the_preview(
    page, login_as, coordinator, report
):
    login_as(coordinator)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(report.get_absolute_url())
    page.get_by_test_id("attachments-link").click()
    expect(page.get_by_test_id("no-attachments")).to_be_visible()
    form = page.get_by_test_id("attachment-add")
    form.get_by_label("标题").fill("重点项目推进情况表")
    form.get_by_label("正文").fill("截至11月底，重点项目进展如下。")
    # What a spreadsheet puts on the clipboard: tabs between cells, one row a line.
    form.get_by_label("表格").fill("项目\t进度\n一号工程\t80%")
    form.get_by_role("button", name="添加附件").click()
    expect(page.get_by_text("附件已添加。")).to_be_visible()
    card = page.get_by_test_id("attachment")
    expect(card).to_have_count(1)
    expect(card.get_by_test_id("attachment-label")).to_have_text("附件")
    attachment = Attachment.objects.get()
    assert attachment.table == {"header": True, "rows": [["项目", "进度"], ["一号工程", "80%"]]}

    # A blank title is refused in Chinese; the text typed stays.
    form = page.get_by_test_id("attachment-add")
    form.get_by_label("标题").fill(" ")
    form.get_by_label("正文").fill("第二个附件的正文。")
    form.get_by_role("button", name="添加附件").click()
    expect(page.get_by_text("标题不能为空。")).to_be_visible()
    expect(page.get_by_test_id("attachment-add").get_by_label("正文")).to_have_value("第二个附件的正文。")
    assert Attachment.objects.count() == 1

    page.goto(f"/reports/{report.pk}/preview/")
    expect(page.get_by_test_id("preview-attachment-note")).to_have_text("附件：重点项目推进情况表")
    expect(page.get_by_test_id("preview-attachment-label")).to_have_text("附件")
    table = page.get_by_test_id("preview-table")
    expect(table.locator("th")).to_have_text(["项目", "进度"])
    expect(table.locator("td")).to_have_text(["一号工程", "80%"])
    assert errors == []
