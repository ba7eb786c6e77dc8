"""The exported demo report laid out by LibreOffice: 22 lines of 28 characters on a full page."""

import datetime
import shutil
import subprocess

import pytest

from reports.docx_export import export_docx
from reports.models import Report

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (shutil.which("soffice") and shutil.which("pdftotext")),
        reason="needs LibreOffice and poppler-utils (.ci/run installs them)",
    ),
]

PAGE_NUMBER = "—"


def to_pdf(docx_bytes, tmp_path):
    source = tmp_path / "report.docx"
    source.write_bytes(docx_bytes)
    # A private profile: another soffice running on the machine must not block this one.
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
        + [str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return tmp_path / "report.pdf"


def page_lines(pdf, page):
    """The text lines of one page, the page number line left out."""
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = [line.replace(" ", "") for line in out.splitlines() if line.strip()]
    return [line for line in lines if not (line.startswith(PAGE_NUMBER) and line.endswith(PAGE_NUMBER))]


def page_count(pdf):
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def test_a_full_page_of_the_exported_demo_report_has_22_lines_of_28_characters(demo_report, tmp_path):
    pdf = to_pdf(export_docx(demo_report), tmp_path)
    pages = page_count(pdf)
    assert pages >= 3
    # Page 2 is full: neither the title page nor the last one.
    lines = page_lines(pdf, 2)
    assert len(lines) == 22
    every_page = [page_lines(pdf, n) for n in range(1, pages + 1)]
    # No page holds more (a heading kept with its next line may leave a page one line short).
    assert max(len(page) for page in every_page) == 22
    # Lines of Chinese text only (no half-width digits) run to 28 characters, never more.
    chinese_only = [line for page in every_page for line in page if all(ord(ch) > 0x7F for ch in line)]
    widths = [len(line) for line in chinese_only]
    assert max(widths) == 28
    assert widths.count(28) >= 10


def test_page_numbers_alternate_right_and_left(demo_report, tmp_path):
    pdf = to_pdf(export_docx(demo_report), tmp_path)
    out = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "2", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    first, second = out.split("\f")[:2]
    number_lines = [
        next(line for line in page.splitlines() if line.strip().startswith(PAGE_NUMBER)) for page in (first, second)
    ]
    assert number_lines[0].replace(" ", "") == "—1—"
    assert number_lines[1].replace(" ", "") == "—2—"
    # Odd pages carry it on the right, even pages on the left.
    assert len(number_lines[0]) - len(number_lines[0].lstrip()) > len(number_lines[1]) - len(number_lines[1].lstrip())


MM = 72 / 25.4
TEXT_LEFT, TEXT_RIGHT = 28 * MM, (210 - 26) * MM  # the text area's edges, in points


def bbox_lines(pdf, page):
    """The text lines of one page as laid out: (text without spaces, x min, x max, y min), top to bottom."""
    from lxml import etree

    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
    ).stdout
    root = etree.fromstring(out, parser=etree.XMLParser(recover=True))
    lines = []
    for line in root.iter("{*}line"):
        text = "".join(word.text or "" for word in line.iter("{*}word")).replace(" ", "")
        box = tuple(float(line.get(name)) for name in ("xMin", "xMax", "yMin"))
        lines.append((text, *box))
    return sorted(lines, key=lambda line: line[3])


def test_a_long_title_is_laid_out_in_its_lines_of_sense_centred_in_the_text_area(demo_report, tmp_path):
    from reports.titles import title_lines

    demo_report.title = "关于2025年度优化营商环境工作落实情况的报告"
    demo_report.addressee = "市委办公室"
    demo_report.save()
    expected = title_lines(demo_report.title)
    assert len(expected) == 2
    lines = bbox_lines(to_pdf(export_docx(demo_report), tmp_path), 1)
    assert [line[0] for line in lines[:2]] == expected
    centre = (TEXT_LEFT + TEXT_RIGHT) / 2
    for _text, x_min, x_max, _y in lines[:2]:
        # Centred: no first-line indent pushes the first line right.
        assert abs((x_min + x_max) / 2 - centre) < 4
    # The addressee: the next line, flush left at the text edge, ending in a full-width colon.
    addressee = lines[2]
    assert addressee[0] == "市委办公室："
    assert abs(addressee[1] - TEXT_LEFT) < 2
    # One blank line under the title: two of the body's 28.95 pt lines below the title's last.
    assert 2 * 28.95 - 8 < addressee[3] - lines[1][3] < 2 * 28.95 + 8


@pytest.mark.parametrize(
    "title",
    ["关于青川县2026年度民生实事办理工作的总结", "关于开展2026年第三季度安全生产大检查的通知"],
)
def test_a_title_with_figures_keeps_its_last_characters_on_its_lines_when_laid_out(demo_report, tmp_path, title):
    """Figures are wider than half a character in the fonts LibreOffice sets: a title counted at
    exactly half would fill its line and push its last character onto a line of its own."""
    from reports.titles import title_lines

    demo_report.title = title
    demo_report.save()
    expected = title_lines(title)
    lines = bbox_lines(to_pdf(export_docx(demo_report), tmp_path), 1)
    laid_out = [line[0] for line in lines[: len(expected)]]
    assert laid_out == [line.replace(" ", "") for line in expected]
    assert all(len(line) > 2 for line in laid_out)


def page_number_line(pdf, page):
    return next(line for line in bbox_lines(pdf, page) if line[0].startswith(PAGE_NUMBER))


def test_page_numbers_stand_one_character_in_from_the_text_edge_on_odd_and_even_pages(demo_report, tmp_path):
    pdf = to_pdf(export_docx(demo_report), tmp_path)
    odd, even = page_number_line(pdf, 1), page_number_line(pdf, 2)
    assert (odd[0], even[0]) == ("—1—", "—2—")
    one_character = 16
    # 右空一字 on odd pages, 左空一字 on even ones: not the body's two-character indent.
    assert abs(odd[2] - (TEXT_RIGHT - one_character)) < 2
    assert abs(even[1] - (TEXT_LEFT + one_character)) < 2


@pytest.mark.parametrize(
    "issuer, issued_on",
    [
        ("中共测试县委办公室", datetime.date(2019, 12, 5)),
        ("测试县委办", datetime.date(2019, 12, 5)),
        ("", datetime.date(2019, 12, 15)),
        ("中共测试县委办公室测试县人民政府办公室", datetime.date(2019, 12, 25)),
    ],
)
def test_the_date_of_issue_stays_on_one_line_two_characters_right_of_the_issuer(office, tmp_path, issuer, issued_on):
    report = Report.objects.create(
        title="关于测试的报告", preamble="正文。", issuer=issuer, issued_on=issued_on, lead_department=office
    )
    lines = bbox_lines(to_pdf(export_docx(report), tmp_path), 1)
    date_text = f"{issued_on.year}年{issued_on.month}月{issued_on.day}日"
    date = next(line for line in lines if line[0] == date_text)
    assert date[2] <= TEXT_RIGHT
    assert not any(line[0] == "日" for line in lines)
    if issuer:
        issuer_line = next(line for line in lines if line[0] == issuer)
        assert abs(date[1] - issuer_line[1] - 2 * 16) < 1
        # Directly under the issuer.
        assert abs(date[3] - issuer_line[3] - 28.95) < 2


def test_the_draft_mark_is_printed_on_the_first_page_only_and_every_page_keeps_its_number(demo_report, tmp_path):
    pdf = to_pdf(export_docx(demo_report, draft=True), tmp_path)
    pages = [bbox_lines(pdf, n) for n in (1, 2, 3)]
    marks = [[line for line in page if line[0] == "征求意见稿"] for page in pages]
    assert [len(found) for found in marks] == [1, 0, 0]
    numbers = [next(line[0] for line in page if line[0].startswith(PAGE_NUMBER)) for page in pages]
    assert numbers == ["—1—", "—2—", "—3—"]


@pytest.mark.parametrize("closing_lines", [9, 10, 11])
def test_the_signature_never_stands_alone_on_the_last_page(report, tmp_path, closing_lines):
    """Closings of these lengths end the text on the first page's last lines, where the blank
    line, the issuer or the date would otherwise start the next page alone: the text's last
    line goes over with them."""
    report.issuer = "中共测试县委办公室"
    report.issued_on = datetime.date(2026, 12, 1)
    report.closing = "\n".join(["下一步我们将继续努力推动各项工作落实落地见到实效。"] * closing_lines)
    report.save()
    pdf = to_pdf(export_docx(report), tmp_path)
    last = [line[0] for line in bbox_lines(pdf, page_count(pdf))]
    signature = next(i for i, text in enumerate(last) if text in ("中共测试县委办公室", "2026年12月1日"))
    assert signature > 0 and last[signature - 1].startswith("下一步"), last
