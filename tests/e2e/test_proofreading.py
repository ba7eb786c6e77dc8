"""Proofreading in the editor, in real Chromium: a slip typed into the intro is listed a moment
later, and its link selects the words in the field."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_half_width_comma_typed_in_the_intro_is_listed_and_its_link_selects_it(page, login_as, drafter, report):
    section = report.our_section
    login_as(drafter)
    page.goto(f"/sections/{section.pk}/")
    expect(page.get_by_test_id("page-estimate")).to_contain_text("全文约")
    page.fill("#id_intro", "今年以来,工作有序推进。")
    findings = page.get_by_test_id("check-findings")
    expect(findings).to_contain_text("半角")
    findings.locator("a[data-field='id_intro']").first.click()
    selected = page.evaluate(
        "() => { const f = document.getElementById('id_intro'); return f.value.slice(f.selectionStart, f.selectionEnd); }"
    )
    assert selected == ","
