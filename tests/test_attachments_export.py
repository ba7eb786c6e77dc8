"""附件说明, 附件, 附注 and 版记 in the DOCX, read back and laid out by LibreOffice (GB/T 9704 7.3.4,
7.3.6, 7.4, 7.5, 8.2), and in the preview."""

import datetime
import io
import shutil

import docx
import pytest
from django.core.management import call_command
from django.urls import reverse
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn

from reports import docx_export, exporting
from reports.docx_export import export_docx
from reports.models import Attachment, ExportFile, ExportState
from tests.test_export_layout import MM, TEXT_LEFT, TEXT_RIGHT, bbox_lines, page_count

pytestmark = pytest.mark.django_db

needs_libreoffice = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="needs LibreOffice and poppler-utils (.ci/run installs them)",
)
CHAR = 16  # one character of the body, in points
TEXT_BOTTOM = (297 - 35) * MM
LONG_TITLE = "2025年度重点项目推进情况一览表及其说明和有关附带材料的汇总清单"
CC = "市委办公室，市政府办公室，县人大常委会办公室，县政协办公室，县纪委监委，县委各部委，县直各单位，各乡镇党委"


def to_pdf(docx_bytes, tmp_path):
    """The DOCX as the PDF export lays it out, blank pages included: the page LibreOffice
    inserts before a section that starts on an even page is a sheet's side when printed."""
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(exporting.docx_to_pdf(docx_bytes))
    return pdf


@pytest.fixture
def full_report(report):
    report.issued_on = datetime.date(2026, 11, 20)
    report.annotation = "（联系人：张某，联系电话：1234567）"
    report.cc = CC
    report.printed_by = "中共测试县委办公室"
    report.printed_on = datetime.date(2026, 12, 1)
    report.save()
    Attachment.objects.create(
        report=report,
        position=0,
        title=LONG_TITLE,
        body="附件正文第一段。\n附件正文第二段。",
        table={"header": True, "rows": [["项目", "进度"], ["一号工程", "80%"]]},
    )
    Attachment.objects.create(report=report, position=1, title="典型经验材料", body="材料正文。")
    return report


def read(report, draft=False):
    return docx.Document(io.BytesIO(export_docx(report, draft=draft)))


def body_texts(document):
    return [p.text for p in document.paragraphs]


def test_the_attachment_note_follows_the_body_and_precedes_the_signature(full_report):
    texts = body_texts(read(full_report))
    closing = texts.index("下一步，我们将持续用力，推动工作再上新台阶。")
    # One blank line under the body, then the note; numbers and titles apart by a tab.
    assert texts[closing + 1] == ""
    assert texts[closing + 2] == f"附件：\t1.\t{LONG_TITLE}"
    assert texts[closing + 3] == "2.\t典型经验材料"
    assert texts[closing + 4 : closing + 7] == ["", "中共测试县委办公室", "2026年11月20日"]
    # The annotation on the line under the date.
    assert texts[closing + 7] == "（联系人：张某，联系电话：1234567）"


def test_a_single_attachment_is_listed_without_a_number_and_marked_without_one(report):
    Attachment.objects.create(report=report, title="典型经验材料", body="材料正文。")
    texts = body_texts(read(report))
    assert "附件：\t典型经验材料" in texts
    assert "附件" in texts and "附件1" not in texts


def test_each_attachment_starts_a_page_marked_in_hei_with_its_title_in_the_title_style(full_report):
    document = read(full_report)
    labels = [p for p in document.paragraphs if p.text in ("附件1", "附件2")]
    assert [p.text for p in labels] == ["附件1", "附件2"]
    style = document.styles[docx_export.STYLE_NAMES[docx_export.STYLE_ATTACHMENT_LABEL]]
    ppr = style.element.pPr
    assert ppr.find(qn("w:pageBreakBefore")) is not None
    assert style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    paragraphs = document.paragraphs
    after_label = paragraphs[paragraphs.index(next(p for p in paragraphs if p.text == "附件2")) + 1]
    assert after_label.text == "典型经验材料"
    assert after_label.style.style_id == docx_export.STYLE_TITLE


def test_an_attachment_table_is_a_real_word_table_with_its_header_row_repeated(full_report):
    document = read(full_report)
    table = next(t for t in document.tables if t.cell(0, 0).text == "项目")
    assert [[cell.text for cell in row.cells] for row in table.rows] == [["项目", "进度"], ["一号工程", "80%"]]
    first_row = table.rows[0]._tr
    assert first_row.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)


def test_the_imprint_is_a_last_section_starting_on_an_even_page_with_a_table_at_the_page_foot(full_report):
    document = read(full_report)
    sections = document.sections
    assert len(sections) == 2
    assert sections[1]._sectPr.find(qn("w:type")).get(qn("w:val")) == "evenPage"
    imprint = document.tables[-1]
    assert [cell.text for cell in imprint.rows[0].cells][0] == f"抄送：{CC}。"
    assert [cell.text for cell in imprint.rows[1].cells] == ["中共测试县委办公室", "2026年12月1日印发"]
    position = imprint._tbl.tblPr.find(qn("w:tblpPr"))
    assert (position.get(qn("w:vertAnchor")), position.get(qn("w:tblpYSpec"))) == ("page", "bottom")
    # The first and last rules thick, the one between thin.
    rules = [
        (cell.find(qn("w:tcPr")).find(qn("w:tcBorders")).find(qn(f"w:{edge}")).get(qn("w:sz")))
        for cell, edge in (
            (imprint.rows[0].cells[0]._tc, "top"),
            (imprint.rows[0].cells[0]._tc, "bottom"),
            (imprint.rows[1].cells[0]._tc, "bottom"),
        )
    ]
    assert rules == ["8", "6", "8"]


def test_a_report_without_imprint_fields_has_one_section_and_no_imprint(report):
    document = read(report)
    assert len(document.sections) == 1
    assert not document.tables


def test_the_draft_mark_stays_on_the_first_page_when_the_imprint_adds_a_section(full_report):
    sections = read(full_report, draft=True).sections
    assert sections[0].different_first_page_header_footer is True
    assert sections[1].different_first_page_header_footer is False


@needs_libreoffice
def test_laid_out_attachments_note_annotation_and_imprint_stand_where_gb_t_9704_puts_them(full_report, tmp_path):
    pdf = to_pdf(export_docx(full_report), tmp_path)
    first = bbox_lines(pdf, 1)
    by_text = {line[0]: line for line in first}
    note = by_text["附件：1."]
    # 附件： from 左空二字; the second number under the first, the titles' lines under the first character.
    assert abs(note[1] - (TEXT_LEFT + 2 * CHAR)) < 2
    number_x = TEXT_LEFT + 5 * CHAR
    assert abs(by_text["2."][1] - number_x) < 2
    title_lines = [line for line in first if (line[0] in LONG_TITLE and len(line[0]) > 3) or line[0] == "典型经验材料"]
    assert len(title_lines) == 3  # the long title wraps once
    assert len({round(line[1]) for line in title_lines}) == 1
    assert title_lines[0][1] > by_text["2."][2]
    # The annotation: on the line under the date, 左空二字.
    date, annotation = by_text["2026年11月20日"], by_text["（联系人：张某，联系电话：1234567）"]
    assert abs(annotation[3] - date[3] - 28.95) < 2
    assert abs(annotation[1] - (TEXT_LEFT + 2 * CHAR)) < 2

    pages = page_count(pdf)
    # Attachments on pages 2 and 3, each starting with 附件N at the top left of the text area.
    for page, label in ((2, "附件1"), (3, "附件2")):
        lines = [line for line in bbox_lines(pdf, page) if not line[0].startswith("—")]
        assert lines[0][0] == label
        assert abs(lines[0][1] - TEXT_LEFT) < 2 and lines[0][3] < 37 * MM + 16
        centre = (TEXT_LEFT + TEXT_RIGHT) / 2
        assert abs((lines[1][1] + lines[1][2]) / 2 - centre) < 4
    # The imprint: alone on the last page, an even one, its last line on the text area's lower edge.
    assert pages % 2 == 0
    last = [line for line in bbox_lines(pdf, pages) if not line[0].startswith("—")]
    assert last[0][0].startswith("抄送：市委办公室")
    printed_by = next(line for line in last if line[0] == "中共测试县委办公室")
    printed_on = next(line for line in last if line[0] == "2026年12月1日印发")
    # 印发机关 左空一字, 印发日期 右空一字 (of 14 pt), on one line at the foot of the page.
    assert abs(printed_by[1] - (TEXT_LEFT + 14)) < 2
    assert abs(printed_on[2] - (TEXT_RIGHT - 14)) < 2
    assert abs(printed_by[3] - printed_on[3]) < 1
    assert TEXT_BOTTOM - 28.95 < printed_by[3] < TEXT_BOTTOM
    # The 抄送 line wraps under the first office.
    second_cc = last[1]
    assert abs(second_cc[1] - (TEXT_LEFT + 4 * 14)) < 2


@needs_libreoffice
def test_text_ending_on_an_even_page_puts_the_imprint_two_pages_on_and_numbers_neither_page(full_report, tmp_path):
    Attachment.objects.filter(position=1).delete()
    content, _type, _name = exporting.render(full_report, False, "docx")
    pdf = to_pdf(content, tmp_path)
    # Body on page 1, the attachment on page 2 (both numbered), a blank page 3, the imprint on
    # page 4: GB/T 9704 7.5.4 numbers neither of the last two.
    assert page_count(pdf) == 4
    assert any(line[0] == "—2—" for line in bbox_lines(pdf, 2))
    assert bbox_lines(pdf, 3) == []
    last = bbox_lines(pdf, 4)
    assert last[0][0].startswith("抄送：")
    assert not any(line[0].startswith("—") for line in last)


@needs_libreoffice
def test_the_blank_page_before_the_imprint_is_a_page_of_the_docx_with_empty_footers(full_report):
    Attachment.objects.filter(position=1).delete()
    content, _type, _name = exporting.render(full_report, False, "docx")
    document = docx.Document(io.BytesIO(content))
    text, blank, imprint = document.sections
    # Word shows a page it inserts with some section's footer: this one is in the file.
    assert blank.start_type == WD_SECTION.NEW_PAGE and imprint.start_type == WD_SECTION.EVEN_PAGE
    for section in (blank, imprint):
        for footer in (section.footer, section.even_page_footer):
            assert not footer.is_linked_to_previous
            assert "PAGE" not in footer._element.xml and footer.paragraphs[0].text == ""
    assert "PAGE" in text.footer._element.xml


@needs_libreoffice
def test_the_pdf_of_a_text_ending_on_an_even_page_numbers_neither_the_blank_page_nor_the_imprint(full_report, tmp_path):
    Attachment.objects.filter(position=1).delete()
    content, content_type, name = exporting.render(full_report, False, "pdf")
    assert content_type == "application/pdf" and name.endswith(".pdf")
    pdf = tmp_path / name
    pdf.write_bytes(content)
    assert page_count(pdf) == exporting.pdf_page_count(content) == 4
    assert bbox_lines(pdf, 3) == []
    assert not any(line[0].startswith("—") for line in bbox_lines(pdf, 4))
    assert any(line[0] == "—2—" for line in bbox_lines(pdf, 2))


@needs_libreoffice
def test_text_ending_on_an_odd_page_puts_the_imprint_on_the_next_page_numbered(full_report, tmp_path):
    content, _type, _name = exporting.render(full_report, False, "docx")
    # Body, 附件1 and 附件2 on pages 1 to 3: the imprint follows on page 4, no blank page before it.
    assert len(docx.Document(io.BytesIO(content)).sections) == 2
    pdf = to_pdf(content, tmp_path)
    assert page_count(pdf) == 4
    assert any(line[0] == "—4—" for line in bbox_lines(pdf, 4))


def test_without_libreoffice_the_final_docx_keeps_one_imprint_section_and_is_built_in_the_request(
    full_report, settings
):
    settings.HUIGAO_SOFFICE = ""
    assert not exporting.builds_in_background(full_report, "docx")
    content, _type, _name = exporting.render(full_report, False, "docx")
    assert len(docx.Document(io.BytesIO(content)).sections) == 2


@needs_libreoffice
def test_the_final_docx_of_a_report_with_an_imprint_is_laid_out_by_the_worker(login, coordinator, complete_report):
    complete_report.printed_by = "中共测试县委办公室"
    complete_report.printed_on = datetime.date(2026, 12, 1)
    complete_report.save()
    client = login(coordinator)
    url = reverse("reports:report-export", args=[complete_report.pk])
    # The draft DOCX still comes straight back; the final one waits for the layout.
    assert client.post(url, {"draft": "1"})["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client.post(url)
    assert response.status_code == 302
    export = ExportFile.objects.get(report=complete_report, draft=False)
    assert response["Location"] == export.get_absolute_url()
    assert export.state == ExportState.READY  # the test settings run tasks at once
    sections = docx.Document(io.BytesIO(bytes(export.content))).sections
    # The one-page body ends on an odd page: the imprint follows on page 2, no blank page.
    assert len(sections) == 2 and sections[1].start_type == WD_SECTION.EVEN_PAGE


@needs_libreoffice
def test_export_report_writes_the_laid_out_docx(complete_report, full_report, tmp_path):
    Attachment.objects.filter(position=1).delete()
    output = tmp_path / "final.docx"
    call_command("export_report", str(full_report.pk), "--output", str(output), stdout=io.StringIO())
    assert len(docx.Document(str(output)).sections) == 3  # text, the blank page, the 版记


@needs_libreoffice
def test_attachments_keep_22_lines_of_28_characters(report, tmp_path):
    body = "\n".join(
        "这是附件正文的一个段落，用于检验附件页面的版心是否仍然每页二十二行每行二十八个字。" * 2 for _ in range(30)
    )
    Attachment.objects.create(report=report, title="材料", body=body)
    pdf = to_pdf(export_docx(report), tmp_path)
    lines = [line for line in bbox_lines(pdf, 3) if not line[0].startswith("—")]
    assert len(lines) == 22
    chinese = [line[0] for line in lines if all(ord(ch) > 0x7F for ch in line[0])]
    assert max(len(text) for text in chinese) == 28


def test_the_preview_shows_the_note_attachments_annotation_and_imprint(login, coordinator, full_report):
    from django.urls import reverse

    html = login(coordinator).get(reverse("reports:report-preview", args=[full_report.pk])).content.decode()
    note = html.index('data-testid="preview-attachment-note"')
    signature = html.index('data-testid="preview-issuer"')
    annotation = html.index('data-testid="preview-annotation"')
    labels = [html.index(">附件1<"), html.index(">附件2<")]
    imprint = html.index('data-testid="preview-imprint"')
    assert note < signature < annotation < labels[0] < labels[1] < imprint
    assert '<span class="doc-attachment-number">1.</span>' in html
    assert '<th scope="col">项目</th>' in html and "<td>一号工程</td>" in html
    assert f"抄送：{CC}。" in html and "2026年12月1日印发" in html


def test_a_placeholder_in_an_attachment_or_the_annotation_refuses_the_final_export_with_links(
    login, coordinator, complete_report
):
    from django.urls import reverse

    attachment = Attachment.objects.create(
        report=complete_report, title="情况表", body="正文。", table={"header": True, "rows": [["完成X项"]]}
    )
    complete_report.annotation = "（联系人：×××）"
    complete_report.save()
    response = login(coordinator).get(reverse("reports:report-export", args=[complete_report.pk]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "附件1：占位符“X”" in page and "附注：占位符“×××”" in page
    attachments_url = reverse("reports:attachment-list", args=[complete_report.pk])
    assert f'href="{attachments_url}#attachment-{attachment.pk}"' in page
    assert f'href="{reverse("reports:report-edit", args=[complete_report.pk])}#id_annotation"' in page
    Attachment.objects.filter(pk=attachment.pk).update(table=None)
    complete_report.annotation = "（联系人：张某）"
    complete_report.save()
    assert login(coordinator).get(reverse("reports:report-export", args=[complete_report.pk])).status_code == 200


def test_a_layout_whose_pages_cannot_be_counted_keeps_the_imprint_section_as_it_is(full_report, monkeypatch, caplog):
    # A PDF whose page objects sit in compressed streams: no page found, so nothing is assumed.
    monkeypatch.setattr(exporting, "soffice_path", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(exporting, "docx_to_pdf", lambda content, **options: b"%PDF-1.7 /ObjStm compressed")
    content, _type, _name = exporting.render(full_report, False, "docx")
    assert len(docx.Document(io.BytesIO(content)).sections) == 2
    assert "no pages found" in caplog.text
