"""In real Chromium: import the department's DOCX, check the preview, create; then clone it."""

import pytest

from reports.models import Report
from tests.conftest import SAMPLE_DOCX

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_imports_the_docx_then_starts_the_next_period(login_as, coordinator):
    page = login_as(coordinator)
    page.click("text=导入报告")
    page.set_input_files("input[name=file]", str(SAMPLE_DOCX))
    page.click("button[type=submit]:has-text('读取并预览')")
    outline = page.get_by_test_id("import-outline")
    assert outline.locator("li").count() == 9
    assert "（四）在营造法治环境方面" in outline.inner_text()
    removed = page.get_by_test_id("import-removed").inner_text()
    assert "公众号" in removed and "写作网" in removed
    assert Report.objects.count() == 0

    page.get_by_test_id("import-confirm").click()
    page.wait_for_url("**/reports/*/")
    assert page.get_by_test_id("report-title").inner_text() == "关于2025年度优化营商环境工作落实情况的报告"
    imported = Report.objects.get()

    page.get_by_test_id("clone-link").click()
    assert page.input_value("input[name=title]") == "关于2026年度优化营商环境工作落实情况的报告"
    page.check("input[name=content][value=empty]")
    page.click("button[type=submit]:has-text('生成新报告')")
    page.wait_for_url(lambda url: f"/reports/{imported.pk}/" not in url and "/clone/" not in url)
    clone = Report.objects.exclude(pk=imported.pk).get()
    assert clone.sections.count() == 9
    assert page.get_by_test_id("report-title").inner_text() == clone.title
