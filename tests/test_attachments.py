"""A report's attachments (附件) on their page, and the 附注 and 版记 fields of the report's form."""

import datetime

import pytest
from django.urls import reverse

from reports.models import Attachment

pytestmark = pytest.mark.django_db


def add_url(report):
    return reverse("reports:attachment-add", args=[report.pk])


def new(title="典型经验材料", body="第一段。\n第二段。", table="", header="on"):
    data = {"new-title": title, "new-body": body, "new-table": table}
    if header:
        data["new-header"] = header
    return data


def edit(attachment, **changes):
    values = {
        "title": attachment.title,
        "body": attachment.body,
        "table": "",
        "version": attachment.version,
        "header": "on",
        **changes,
    }
    return {f"a{attachment.pk}-{name}": value for name, value in values.items() if value is not None}


def test_the_outline_page_links_to_the_attachments_page(login, coordinator, report):
    html = login(coordinator).get(report.get_absolute_url()).content.decode()
    assert reverse("reports:attachment-list", args=[report.pk]) in html


def test_a_coordinator_adds_an_attachment_with_a_table_pasted_from_a_spreadsheet(login, coordinator, report):
    client = login(coordinator)
    table = "项目\t进度\t备注\r\n一号工程\t80%\r\n二号工程\t60%\t按期\r\n"
    response = client.post(add_url(report), new(table=table), follow=True)
    attachment = Attachment.objects.get(report=report)
    assert (attachment.title, attachment.body) == ("典型经验材料", "第一段。\n第二段。")
    # The agreed shape: rows of strings of one width, the first a header row.
    assert attachment.table == {
        "header": True,
        "rows": [["项目", "进度", "备注"], ["一号工程", "80%", ""], ["二号工程", "60%", "按期"]],
    }
    html = response.content.decode()
    assert "附件已添加" in html
    # A single attachment is numbered 附件, without a number.
    assert 'data-testid="attachment-label">附件<' in html


def test_attachments_are_numbered_by_position_and_move_up_and_down(login, coordinator, report):
    client = login(coordinator)
    for title in ("甲材料", "乙材料", "丙材料"):
        client.post(add_url(report), new(title=title))
    third = Attachment.objects.get(title="丙材料")
    client.post(reverse("reports:attachment-move", args=[third.pk, "up"]))
    assert list(report.attachments.values_list("title", flat=True)) == ["甲材料", "丙材料", "乙材料"]
    html = client.get(reverse("reports:attachment-list", args=[report.pk])).content.decode()
    assert html.index("附件2</span> 丙材料") < html.index("附件3</span> 乙材料")
    first = Attachment.objects.get(title="甲材料")
    response = client.post(reverse("reports:attachment-move", args=[first.pk, "up"]), follow=True)
    assert "附件不能这样移动" in response.content.decode()
    assert list(report.attachments.values_list("title", flat=True)) == ["甲材料", "丙材料", "乙材料"]


def test_a_coordinator_edits_an_attachment_and_clears_its_table(login, coordinator, report):
    attachment = Attachment.objects.create(
        report=report, title="旧标题", body="旧正文。", table={"header": True, "rows": [["a", "b"]]}
    )
    client = login(coordinator)
    client.post(
        reverse("reports:attachment-edit", args=[attachment.pk]), edit(attachment, title="新标题", body="新正文。")
    )
    attachment.refresh_from_db()
    assert (attachment.title, attachment.body, attachment.table, attachment.version) == ("新标题", "新正文。", None, 2)


def test_deleting_an_attachment_asks_first_and_renumbers_the_rest(login, coordinator, report):
    first = Attachment.objects.create(report=report, position=0, title="甲", body="正文。")
    second = Attachment.objects.create(report=report, position=1, title="乙", body="正文。")
    client = login(coordinator)
    url = reverse("reports:attachment-delete", args=[first.pk])
    assert "删除附件“甲”？" in client.get(url).content.decode()
    assert Attachment.objects.count() == 2
    client.post(url)
    second.refresh_from_db()
    assert list(Attachment.objects.all()) == [second] and second.position == 0


@pytest.mark.parametrize(
    "data, message",
    [
        (new(title="  "), "标题不能为空。"),
        (new(body="", table=""), "请为附件填写正文或表格。"),
        (new(table="\t".join(["格"] * 21)), "表格最多20列。"),
        (new(table="行\n" * 501), "表格最多500行。"),
        (new(table="长" * 1001), "表格的每个单元格最多1000个字。"),
        (new(body="字" * 50_001), "正文过长（最多50000字）。"),
    ],
)
def test_bad_attachments_are_refused_in_chinese_and_the_text_is_kept(login, coordinator, report, data, message):
    response = login(coordinator).post(add_url(report), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert not Attachment.objects.exists()
    if data["new-title"].strip():
        # What was typed comes back in the form.
        assert f'value="{data["new-title"]}"' in html


def test_a_save_over_a_stale_page_is_refused_and_shows_both_texts(login, coordinator, report):
    attachment = Attachment.objects.create(report=report, title="标题", body="原来的正文。")
    stale = edit(attachment, body="我的改动。")
    Attachment.objects.filter(pk=attachment.pk).update(body="别人的改动。", version=2)
    response = login(coordinator).post(reverse("reports:attachment-edit", args=[attachment.pk]), stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "其他人已修改此附件" in html
    assert "我的改动。" in html and "别人的改动。" in html
    attachment.refresh_from_db()
    assert attachment.body == "别人的改动。"


def test_departments_and_other_offices_cannot_reach_the_attachments(
    login, report, drafter, other_coordinator, coordinator
):
    attachment = Attachment.objects.create(report=report, title="标题", body="正文。")
    list_url = reverse("reports:attachment-list", args=[report.pk])
    edit_url = reverse("reports:attachment-edit", args=[attachment.pk])
    # A department with a section sees the report but may not change it; another office does not see it.
    assert login(drafter).get(list_url).status_code == 403
    assert login(drafter).post(edit_url, edit(attachment, title="改")).status_code == 403
    assert login(other_coordinator).get(list_url).status_code == 404
    assert login(other_coordinator).post(add_url(report), new()).status_code == 404
    delete_url = reverse("reports:attachment-delete", args=[attachment.pk])
    assert login(other_coordinator).post(delete_url).status_code == 404
    attachment.refresh_from_db()
    assert attachment.title == "标题"
    assert Attachment.objects.count() == 1


def test_a_final_report_s_attachments_cannot_change(login, coordinator, report):
    attachment = Attachment.objects.create(report=report, title="标题", body="正文。")
    report.is_final = True
    report.save()
    client = login(coordinator)
    response = client.post(reverse("reports:attachment-edit", args=[attachment.pk]), edit(attachment, title="改"))
    assert response.status_code == 403
    assert client.post(add_url(report), new()).status_code == 403
    attachment.refresh_from_db()
    assert attachment.title == "标题"


def report_form(report, **changes):
    data = {
        "title": report.title,
        "lead_department": report.lead_department_id,
        "preamble": report.preamble,
        "closing": report.closing,
        "issuer": report.issuer,
        "measure_layout": report.measure_layout,
        **changes,
    }
    return data


def test_the_report_form_keeps_the_annotation_in_parentheses_and_the_imprint(login, coordinator, report):
    url = reverse("reports:report-edit", args=[report.pk])
    response = login(coordinator).post(
        url,
        report_form(
            report,
            annotation="联系人：张某，联系电话：1234567",
            cc="抄送：市委办公室,市政府办公室。",
            printed_by="中共测试县委办公室",
            printed_on="2026-12-01",
        ),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.annotation == "（联系人：张某，联系电话：1234567）"
    # The offices alone, full-width: the 版记 prints 抄送： and the closing 。 itself.
    assert report.cc == "市委办公室，市政府办公室"
    assert (report.printed_by, report.printed_on) == ("中共测试县委办公室", datetime.date(2026, 12, 1))


@pytest.mark.parametrize(
    "changes",
    [
        {"cc": "市委办公室"},
        {"printed_by": "中共测试县委办公室"},
        {"printed_on": "2026-12-01"},
    ],
)
def test_an_incomplete_imprint_is_refused_in_chinese(login, coordinator, report, changes):
    response = login(coordinator).post(reverse("reports:report-edit", args=[report.pk]), report_form(report, **changes))
    assert response.status_code == 200
    assert "版记需要同时填写印发机关和印发日期" in response.content.decode()
    report.refresh_from_db()
    assert (report.cc, report.printed_by, report.printed_on) == ("", "", None)


def test_a_bad_printing_date_is_refused(login, coordinator, report):
    response = login(coordinator).post(
        reverse("reports:report-edit", args=[report.pk]),
        report_form(report, printed_by="县委办", printed_on="2026-13-45"),
    )
    assert response.status_code == 200
    assert "输入一个有效的日期。" in response.content.decode()
    report.refresh_from_db()
    assert report.printed_by == ""


def test_an_attachment_table_keeps_excel_s_quoted_cells_with_their_line_breaks(login, coordinator, report):
    import io

    import docx

    from reports.docx_export import export_docx

    client = login(coordinator)
    table = '项目\t说明\r\n"企业开办\r\n一日办结"\t"达到""98%"""\r\n'
    client.post(add_url(report), new(body="", table=table))
    attachment = Attachment.objects.get(report=report)
    assert attachment.table == {"header": True, "rows": [["项目", "说明"], ["企业开办\n一日办结", '达到"98%"']]}
    # The editor shows it again as Excel would copy it, so that saving it unchanged keeps it.
    html = client.get(reverse("reports:attachment-list", args=[report.pk])).content.decode()
    assert "&quot;企业开办\n一日办结&quot;\t&quot;达到&quot;&quot;98%&quot;&quot;&quot;</textarea>" in html
    client.post(reverse("reports:attachment-edit", args=[attachment.pk]), edit(attachment, table=f"{table}"))
    attachment.refresh_from_db()
    assert attachment.version == 2 and attachment.table["rows"][1] == ["企业开办\n一日办结", '达到"98%"']
    # In the Word table the cell's two lines are two paragraphs of one cell.
    cell = docx.Document(io.BytesIO(export_docx(report, draft=True))).tables[0].cell(1, 0)
    assert [p.text for p in cell.paragraphs] == ["企业开办", "一日办结"]


def test_an_attachment_table_past_a_section_s_limits_is_kept_exported_and_previewed(login, coordinator, report):
    import io

    import docx

    from reports import tables
    from reports.docx_export import export_docx

    rows, columns = tables.MAX_ROWS * 3, tables.MAX_COLUMNS + 3
    tsv = "\n".join("\t".join(f"{r}-{c}" for c in range(columns)) for r in range(rows))
    client = login(coordinator)
    client.post(add_url(report), new(body="", table=tsv, header=""))
    attachment = Attachment.objects.get(report=report)
    assert len(attachment.table["rows"]) == rows and len(attachment.table["rows"][0]) == columns
    table = docx.Document(io.BytesIO(export_docx(report, draft=True))).tables[0]
    assert (len(table.rows), len(table.columns)) == (rows, columns)
    assert table.cell(rows - 1, columns - 1).text == f"{rows - 1}-{columns - 1}"
    html = client.get(reverse("reports:report-preview", args=[report.pk])).content.decode()
    assert f"{rows - 1}-{columns - 1}" in html
