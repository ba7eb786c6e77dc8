"""The inbox in real Chromium, at desktop and at phone width: the unread count in the
navigation, the notification of a submission, opened to its section and then read."""

import pytest
from playwright.sync_api import expect

from drafting.models import Notification
from tests.e2e.conftest import open_menu

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_a_signer_sees_the_submission_in_the_inbox_and_opens_it(page, login_as, report, drafter, signer, width):
    page.set_viewport_size({"width": width, "height": 800})
    section = report.our_section
    section.assignment.submit(drafter)
    login_as(signer)
    open_menu(page)
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.get_by_test_id("nav-inbox").click()
    page.wait_for_url("**/inbox/")

    item = page.get_by_test_id("notification")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("待您签发：（一）在提升政务服务效能方面")
    expect(item).to_contain_text("李撰稿 · 已提交")
    expect(item.get_by_text("未读")).to_be_visible()
    wide = page.evaluate(
        "w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)"
        ".map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)",
        width,
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wide

    item.get_by_test_id("open-notification").click()
    page.wait_for_url(f"**/sections/{section.pk}/**")
    open_menu(page)
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
    page.get_by_test_id("nav-inbox").click()
    expect(page.get_by_test_id("notification").get_by_text("未读")).to_have_count(0)
    assert Notification.objects.get().read_at is not None


def test_mark_all_read_clears_the_count(page, login_as, report, drafter, signer):
    for n in range(2):
        Notification.objects.create(recipient=drafter, kind="reminder", title=f"催办{n}")
    login_as(drafter)
    expect(page.get_by_test_id("unread-count")).to_have_text("2")
    page.get_by_test_id("nav-inbox").click()
    page.get_by_test_id("read-all").click()
    expect(page.locator(".alert-success")).to_contain_text("所有消息已标为已读。")
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
