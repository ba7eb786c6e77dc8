"""A table in the section editor in real Chromium: add a table, rows and columns, paste cells
copied from Excel, remove a row, save; the saved table is the grid the user saw."""

import pytest

from reports.models import Measure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def grid_values(table):
    rows = []
    for row in table.locator("tr").all():
        cells = row.locator("textarea").all()
        if cells:
            rows.append([cell.input_value() for cell in cells])
    return rows


def test_a_drafter_builds_a_table_from_the_grid_and_a_paste_and_saves_it(page, login_as, drafter, report):
    login_as(drafter)
    page.get_by_role("link", name="在提升政务服务效能方面").click()
    page.wait_for_selector("#section-form")
    first = page.locator("#measures [data-measure]").first
    first.get_by_role("button", name="添加表格").click()
    grid = first.get_by_test_id("table-grid")
    assert grid_values(grid) == [["", ""], ["", ""]]
    # Without JavaScript the tab-separated field is the editor; here the grid stands for it.
    assert not first.locator("[data-table-tsv]").is_visible()

    first.get_by_role("button", name="添加一列").click()
    first.get_by_role("button", name="添加一行").click()
    assert grid_values(grid) == [["", "", ""]] * 3
    first.get_by_label("单元格 1,1").fill("指标")
    first.get_by_label("单元格 3,3").fill("多余")
    first.get_by_role("button", name="删除此行").last.click()
    assert grid_values(grid) == [["指标", "", ""], ["", "", ""]]
    assert page.locator("#unsaved").is_visible()

    # Cells copied from Excel: a tab between cells, a cell with a line break in quotes.
    first.get_by_label("从Excel或WPS粘贴").fill('指标\t目标\t完成\n"企业开办\n时间"\t1个工作日\tX个工作日')
    assert grid_values(grid) == [["指标", "目标", "完成"], ["企业开办\n时间", "1个工作日", "X个工作日"]]
    first.get_by_label("首行为表头").check()
    # The cell's placeholder counts like any other.
    assert page.locator("#total-placeholders").inner_text() == "1"

    page.get_by_test_id("save").click()
    page.wait_for_selector(".alert-success")
    measure = Measure.objects.get(section=report.our_section, position=0)
    assert measure.table == {
        "header": True,
        "rows": [["指标", "目标", "完成"], ["企业开办\n时间", "1个工作日", "X个工作日"]],
    }
    # Loaded again, the grid shows the saved table.
    grid = page.locator("#measures [data-measure]").first.get_by_test_id("table-grid")
    assert grid_values(grid)[1] == ["企业开办\n时间", "1个工作日", "X个工作日"]


def test_removing_the_table_in_the_grid_saves_the_measure_without_it(page, login_as, drafter, report):
    Measure.objects.filter(section=report.our_section, position=0).update(
        table={"header": False, "rows": [["甲", "乙"]]}
    )
    login_as(drafter)
    page.get_by_role("link", name="在提升政务服务效能方面").click()
    first = page.locator("#measures [data-measure]").first
    first.get_by_role("button", name="删除表格").click()
    assert first.get_by_role("button", name="添加表格").is_visible()
    page.get_by_test_id("save").click()
    page.wait_for_selector(".alert-success")
    measure = Measure.objects.get(section=report.our_section, position=0)
    assert measure.table is None
    assert measure.lead == "推行一件事一次办"
