"""Tables in a section: pasted from Excel as tab-separated text, saved from the editor through the
one content save, kept in revisions, shown in the preview, exported as a real Word table, read
back from a department's DOCX by the importer, and bounded."""

import io
import shutil

import docx
import pytest
from django.core.management import call_command
from django.urls import reverse
from docx.oxml.ns import qn

from reports import content, tables
from reports.docx_export import export_docx
from reports.importer import create_report, parse_file
from reports.models import Assignment, Measure, Report, TableFontSize
from tests.conftest import editor_data

pytestmark = pytest.mark.django_db

# Excel's clipboard: CRLF line ends, a cell with a line break or a quote mark in "…".
EXCEL_CLIPBOARD = (
    '指标\t目标\t完成\r\n"企业开办\r\n时间"\t1个工作日\t0.5个工作日\r\n事项"一网通办"率\t"90%"\t"达到""98%"""\r\n'
)


def post_table(client, section, tsv, header=False, **fields):
    measures = [(m.pk, m.lead, m.body) for m in section.measures.order_by("position", "pk")]
    data = editor_data(section, measures, **fields)
    data["measures-0-table"] = tsv
    if header:
        data["measures-0-table_header"] = "on"
    return client.post(reverse("drafting:section-edit", args=[section.pk]), data)


# Tab-separated paste -------------------------------------------------------------------------


def test_cells_copied_from_excel_are_read_with_their_line_breaks_and_quote_marks():
    table = tables.parse_tsv(EXCEL_CLIPBOARD, header=True)
    assert table == {
        "header": True,
        "rows": [
            ["指标", "目标", "完成"],
            ["企业开办\n时间", "1个工作日", "0.5个工作日"],
            # A quote mark inside an unquoted cell is text; a quoted cell loses its quotes.
            ['事项"一网通办"率', "90%", '达到"98%"'],
        ],
    }


def test_short_rows_are_padded_and_tab_separated_text_round_trips():
    table = tables.parse_tsv("甲\t乙\t丙\n只有一格\n")
    assert table["rows"] == [["甲", "乙", "丙"], ["只有一格", "", ""]]
    again = tables.parse_tsv(EXCEL_CLIPBOARD, header=True)
    assert tables.parse_tsv(tables.to_tsv(again), header=True) == again


def test_blank_pasted_text_is_no_table():
    assert tables.parse_tsv("\t\n\t\n") is None
    assert tables.normalise({"header": True, "rows": [["", ""]]}) is None


@pytest.mark.parametrize(
    ("tsv", "message"),
    [
        ("\n".join(["甲"] * (tables.MAX_ROWS + 1)), "表格最多100行"),
        ("\t".join(["甲"] * (tables.MAX_COLUMNS + 1)), "表格最多12列"),
        ("字" * (tables.MAX_CELL_CHARS + 1), "单元格最多1000个字"),
        ("字" * (tables.MAX_TSV_CHARS + 1), "粘贴的表格过长"),
    ],
    ids=["rows", "columns", "cell", "paste"],
)
def test_a_table_past_its_limits_is_refused_in_chinese_and_nothing_is_saved(login, drafter, our_section, tsv, message):
    before = list(our_section.measures.values_list("lead", "body", "table"))
    response = post_table(login(drafter), our_section, tsv)
    assert response.status_code == 400
    assert message in response.content.decode()
    our_section.refresh_from_db()
    assert our_section.version == 1
    assert list(our_section.measures.values_list("lead", "body", "table")) == before


def test_a_table_in_another_shape_is_refused():
    for bad in ({"rows": "甲"}, {"header": "yes", "rows": []}, {"header": False, "rows": [["甲", 1]]}, [["甲"]]):
        with pytest.raises(tables.TableError):
            tables.normalise(bad)


# The editor ----------------------------------------------------------------------------------


def test_the_editor_saves_a_pasted_table_on_its_measure_through_the_version_checked_save(login, drafter, our_section):
    response = post_table(login(drafter), our_section, EXCEL_CLIPBOARD, header=True)
    assert response.status_code == 302
    our_section.refresh_from_db()
    assert our_section.version == 2
    measure = our_section.measures.get(position=0)
    assert measure.table["header"] is True
    assert measure.table["rows"][1] == ["企业开办\n时间", "1个工作日", "0.5个工作日"]
    # A stale save is refused as for any text.
    stale = post_table(login(drafter), our_section, "甲\t乙", version=1)
    assert stale.status_code == 409
    assert our_section.measures.get(position=0).table["rows"][0] == ["指标", "目标", "完成"]


def test_the_editor_shows_a_saved_table_as_tab_separated_text_and_a_header_box(login, drafter, our_section):
    Measure.objects.filter(section=our_section, position=0).update(
        table={"header": True, "rows": [["项目", "数量"], ["新增", "12"]]}
    )
    html = login(drafter).get(reverse("drafting:section-edit", args=[our_section.pk])).content.decode()
    assert 'name="measures-0-table"' in html
    assert "项目\t数量\n新增\t12</textarea>" in html
    assert (
        'name="measures-0-table_header" id="id_measures-0-table_header" class="form-check-input" data-table-header checked'
        in html
    )
    # The second measure has none: a button to add one, and no table field posted for it.
    assert 'name="add_table" value="measures-1"' in html
    assert 'name="measures-1-table"' not in html


def test_add_a_table_without_javascript_opens_an_empty_table_and_saves_nothing(login, drafter, our_section):
    measures = [(m.pk, m.lead, m.body) for m in our_section.measures.order_by("position")]
    data = editor_data(our_section, measures, add_table="measures-1")
    del data["save"]
    response = login(drafter).post(reverse("drafting:section-edit", args=[our_section.pk]), data)
    assert response.status_code == 200
    assert 'name="measures-1-table"' in response.content.decode()
    our_section.refresh_from_db()
    assert our_section.version == 1


def test_a_measure_that_is_a_table_alone_takes_no_ordinal(login, drafter, our_section):
    measures = [(m.pk, m.lead, m.body) for m in our_section.measures.order_by("position")]
    data = editor_data(our_section, [*measures, (None, "", "")])
    data["measures-2-table"] = "地区\t户数\n东城\t12"
    response = login(drafter).post(reverse("drafting:section-edit", args=[our_section.pk]), data)
    assert response.status_code == 302
    assert our_section.measures.count() == 3
    blocks = [b for b in _preview_blocks(our_section.report) if b["kind"] == "table"]
    assert blocks and blocks[0]["rows"][1][0] == [[("东城", False)]]
    html = export_text(our_section.report)
    assert "三是" not in html


def _preview_blocks(report):
    from reports.document import report_blocks

    return report_blocks(report, draft=False)


def export_text(report):
    document = docx.Document(io.BytesIO(export_docx(report, draft=True)))
    return "\n".join(p.text for p in document.paragraphs)


def test_a_table_comes_back_with_its_revision_and_a_change_to_it_is_a_change(login, drafter, our_section):
    client = login(drafter)
    post_table(client, our_section, "甲\t乙\n1\t2")
    our_section.refresh_from_db()
    first = content.revisions(our_section).first()
    post_table(client, our_section, "甲\t乙\n3\t4")
    our_section.refresh_from_db()
    assert our_section.measures.get(position=0).table["rows"][1] == ["3", "4"]
    assert content.snapshot_of_version(first).measures[0].table["rows"][1] == ["1", "2"]
    content.restore(our_section, drafter, first)
    assert our_section.measures.get(position=0).table["rows"][1] == ["1", "2"]
    # Saving the same table again writes nothing new.
    version = Measure.objects.get(pk=our_section.measures.get(position=0).pk)
    snapshot = content.snapshot(our_section)
    assert snapshot.same_text(content.snapshot(our_section))
    assert version.table["rows"][1] == ["1", "2"]


def test_a_placeholder_in_a_cell_blocks_sign_off_and_is_listed(login, drafter, signer, our_section):
    post_table(login(drafter), our_section, "指标\t完成\n网办率\tX%")
    assignment = Assignment.objects.get(section=our_section)
    assignment.submit(drafter)
    with pytest.raises(Exception) as refused:
        assignment.sign_off(signer)
    assert "X" in " ".join(refused.value.messages)
    assert "表格" in " ".join(refused.value.messages)
    assignment.refresh_from_db()
    assert assignment.state == "submitted"


# Preview and export --------------------------------------------------------------------------


def test_the_preview_shows_the_table_as_an_html_table_with_its_header_row(login, coordinator, our_section, report):
    Measure.objects.filter(section=our_section, position=0).update(
        table={"header": True, "rows": [["项目", "数量"], ["新增企业", "X家"]]}
    )
    html = login(coordinator).get(reverse("reports:report-preview", args=[report.pk])).content.decode()
    table = html[html.index('data-testid="preview-table"') : html.index("</table>")]
    assert '<th scope="col">项目</th>' in table
    assert "<td>新增企业</td>" in table
    assert '<mark class="placeholder">X</mark>家' in table
    # In place: after the first measure, before the second.
    assert html.index("推行一件事一次办") < html.index('data-testid="preview-table"') < html.index("深化一网通办")


def _one_table(report, draft=False):
    document = docx.Document(io.BytesIO(export_docx(report, draft=draft)))
    assert len(document.tables) == 1
    return document, document.tables[0]


def test_the_export_writes_a_full_width_word_table_whose_header_repeats_and_rows_never_split(
    login, drafter, our_section, report
):
    report.table_font_size = TableFontSize.SMALL_4
    report.save()
    post_table(login(drafter), our_section, EXCEL_CLIPBOARD, header=True)
    document, table = _one_table(report)
    assert [cell.text for cell in table.rows[0].cells] == ["指标", "目标", "完成"]
    assert table.cell(1, 0).text == "企业开办\n时间"
    tbl = table._tbl
    width = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblW')}")
    assert (width.get(qn("w:type")), width.get(qn("w:w"))) == ("pct", "5000")
    rows = tbl.findall(qn("w:tr"))
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert all(row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None for row in rows[1:])
    assert all(row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for row in rows)
    grid = [int(col.get(qn("w:w"))) for col in tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")]
    assert abs(sum(grid) - tables.TEXT_WIDTH_TWIPS) < len(grid)
    run = table.cell(1, 1).paragraphs[0].runs[0]
    assert run.font.size.pt == 12
    assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert table.cell(0, 0).paragraphs[0].runs[0].bold
    # In reading order: right after the measure it belongs to.
    body = list(document.element.body)
    measure = next(p for p in body if p.tag == qn("w:p") and "推行一件事一次办" in "".join(p.itertext()))
    assert body[body.index(measure) + 1] is tbl


def test_add_docx_table_writes_into_any_document_and_into_a_cell():
    document = docx.Document()
    table = tables.add_docx_table(document, {"header": False, "rows": [["甲", "乙"]]}, font_size_pt=14)
    assert document.tables[0]._tbl is table._tbl
    assert document.element.body[-1].tag == qn("w:sectPr")
    inner = tables.add_docx_table(table.cell(0, 0), {"header": True, "rows": [["子", "表"]]})
    assert inner.cell(0, 1).text == "表"
    # Word wants each cell to end with a paragraph.
    assert table.cell(0, 0)._tc[-1].tag == qn("w:p")


# The importer --------------------------------------------------------------------------------


def department_docx():
    """A department's DOCX as clerks write it: headings, measures, and a table between them."""
    document = docx.Document()
    for text in ["关于2025年度为民办实事项目推进情况的报告", "一、项目总体进展", "今年共安排民生项目8项。"]:
        document.add_paragraph(text)
    document.add_paragraph("一是加快学校建设。新建校舍三所。")
    grid = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["项目", "计划", "完成"], ["新建学校", "3所", "2所"], ["改造道路", "12公里", "X公里"]]):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text
    grid.rows[0]._tr.get_or_add_trPr().append(grid.rows[0]._tr.makeelement(qn("w:tblHeader"), {}))
    document.add_paragraph("二是改善道路条件。完成道路改造。")
    document.add_paragraph("二、下一步工作")
    document.add_paragraph("一是抓好收尾。确保年底完成。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_the_importer_reads_a_docx_table_as_a_table_in_its_place(coordinator, office):
    parsed = parse_file("部门材料.docx", department_docx())
    first = parsed.sections[0]
    assert first.intro == ["今年共安排民生项目8项。"]
    assert [m[0] for m in first.measures] == ["加快学校建设", "", "改善道路条件"]
    table = first.measures[1][2]
    assert table == {
        "header": True,
        "rows": [["项目", "计划", "完成"], ["新建学校", "3所", "2所"], ["改造道路", "12公里", "X公里"]],
    }
    # Not flattened into paragraphs, and numbering goes on after it.
    assert "新建学校" not in " ".join(first.intro)
    assert [m[0] for m in parsed.sections[1].measures] == ["抓好收尾"]
    report = create_report(parsed, office, coordinator)
    section = report.sections.get(parent=None, position=0)
    measures = list(section.measures.order_by("position"))
    assert measures[1].table == table and measures[1].lead == measures[1].body == ""
    _document, exported = _one_table(report, draft=True)
    assert exported.cell(2, 2).text == "X公里"


def test_the_import_preview_keeps_a_table_through_the_users_corrections(login, coordinator, office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(coordinator)
    upload = SimpleUploadedFile("部门材料.docx", department_docx())
    response = client.post(reverse("reports:report-import"), {"lead_department": office.pk, "file": upload})
    html = response.content.decode()
    assert "【表格：3行，3列】项目 | 计划 | 完成" in html
    assert 'data-testid="outline-tables"' in html


def test_a_one_cell_table_is_a_box_around_text_and_its_paragraphs_are_read():
    document = docx.Document()
    document.add_paragraph("标题")
    document.add_paragraph("一、部分")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "方框中的文字。"
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = parse_file("r.docx", buffer.getvalue())
    assert parsed.sections[0].intro == ["方框中的文字。"]
    assert parsed.sections[0].measures == []


# Laid out by LibreOffice ---------------------------------------------------------------------


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="needs LibreOffice and poppler-utils (.ci/run installs them)",
)
def test_a_long_table_repeats_its_header_on_the_next_page_and_the_body_keeps_22_lines_of_28(tmp_path):
    from tests.test_export_layout import page_count, page_lines, to_pdf

    call_command("demo", stdout=io.StringIO())
    report = Report.objects.select_related("lead_department").get()
    report.table_font_size = TableFontSize.SIZE_4
    report.save()
    last = Measure.objects.filter(section__report=report).order_by("-section__position", "-position").first()
    rows = [["地区名称", "企业户数", "办结时限"]] + [[f"第{n}片区", f"{n}户", "1个工作日"] for n in range(1, 61)]
    last.table = tables.normalise({"header": True, "rows": rows})
    last.save()
    pdf = to_pdf(export_docx(report), tmp_path)
    pages = [page_lines(pdf, n) for n in range(1, page_count(pdf) + 1)]
    with_header = [n for n, page in enumerate(pages) if "地区名称企业户数办结时限" in page]
    assert len(with_header) >= 2, "the header row is repeated at the top of the next page"
    assert any("第60片区60户1个工作日" in page for page in pages)
    # A full page of body text before the table still holds 22 lines of 28 characters.
    assert with_header[0] > 1
    assert len(pages[1]) == 22
    chinese_only = [line for page in pages[: with_header[0]] for line in page if all(ord(ch) > 0x7F for ch in line)]
    assert max(len(line) for line in chinese_only) == 28


def test_a_tables_cells_count_towards_the_length_limit_in_the_signers_warnings_as_in_the_editor(
    login, drafter, signer, our_section
):
    # The text alone (推行一件事一次办。梳理形成清单12项。 …) is under 40 characters; the table takes it over.
    Assignment.objects.filter(section=our_section).update(char_limit=40)
    measure = our_section.measures.order_by("position").first()
    measure.table = {
        "header": True,
        "rows": [["指标名称很长很长", "完成情况很长很长"], ["网上办理率", "百分之九十以上"]],
    }
    measure.save()
    editor = login(drafter).get(reverse("drafting:section-edit", args=[our_section.pk])).content.decode()
    assert 'text-danger fw-semibold" data-testid="limit-warning"' in editor  # shown, not d-none
    Assignment.objects.filter(section=our_section).update(state="submitted")
    html = login(signer).get(reverse("drafting:section-review", args=[our_section.pk])).content.decode()
    warnings = html[html.index('data-testid="sign-off-warnings"') :]
    assert "超出40字的限制" in warnings
