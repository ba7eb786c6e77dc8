"""In real Chromium: the outline editor's buttons and drag and drop renumber the sections."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_outline_editor_moves_a_section_and_numbers_follow(page, login_as, coordinator, report, their_section):
    login_as(coordinator)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(report.get_absolute_url())
    row = page.locator(f"li[data-section='{their_section.pk}'] > .outline-row")
    row.get_by_role("button", name="上移").click()
    page.wait_for_load_state()
    row = page.locator(f"li[data-section='{their_section.pk}'] > .outline-row")
    assert row.locator(".section-label").inner_text() == "（一）"
    assert errors == []


def test_dragging_a_section_above_another_renumbers_the_outline(page, login_as, coordinator, report, their_section):
    login_as(coordinator)
    page.goto(report.get_absolute_url())
    ours = page.locator(f"li[data-section='{report.our_section.pk}'] > .outline-row")
    theirs = page.locator(f"li[data-section='{their_section.pk}'] > .outline-row .outline-handle")
    box = ours.bounding_box()
    handle = theirs.bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(box["x"] + 40, handle["y"] - (handle["y"] - box["y"]) * step / 10)
    # The drop posts the new tree and the page comes back renumbered.
    with page.expect_navigation():
        page.mouse.up()
    label = page.locator(f"li[data-section='{their_section.pk}'] > .outline-row .section-label")
    assert label.inner_text() == "（一）"
