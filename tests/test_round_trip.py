"""Import → export → read the DOCX back: the same text in the same order, minus the noise."""

import io

import docx
import pytest

from reports import importer
from reports.docx_export import export_docx
from tests.conftest import SAMPLE_DOCX, SAMPLE_TXT

# Written out here rather than taken from the settings, so the test checks the importer.
NOISE = ["##paidbegin##", "##paidend##", "【更多范文，请关注公众号：gongwen-hub】", "更多精品公文范文，尽在×××写作网"]


def source_paragraphs(path):
    if path.suffix == ".docx":
        lines = [p.text for p in docx.Document(str(path)).paragraphs]
    else:
        lines = path.read_text(encoding="utf-8").splitlines()
    for noise in NOISE:
        lines = [line.replace(noise, "") for line in lines]
    return [line.strip() for line in lines if line.strip()]


def exported_paragraphs(data):
    document = docx.Document(io.BytesIO(data))
    # A line break inside a paragraph is layout (the title's lines of sense), not text.
    return [p.text.replace("\n", "").strip() for p in document.paragraphs if p.text.strip()]


@pytest.mark.parametrize("path", [SAMPLE_TXT, SAMPLE_DOCX], ids=["txt", "docx"])
def test_import_then_export_gives_the_same_text_in_the_same_order(office, coordinator, path):
    parsed = importer.parse_file(path.name, path.read_bytes())
    report = importer.create_report(parsed, office, coordinator)
    exported = exported_paragraphs(export_docx(report))
    expected = source_paragraphs(path)
    assert exported == expected
    text = "\n".join(exported)
    for word in ["gongwen", "公众号", "paid", "写作网"]:
        assert word not in text


def test_the_text_sample_exports_its_measures_run_in_and_the_docx_one_paragraph_each(office):
    counts = {}
    for path in (SAMPLE_TXT, SAMPLE_DOCX):
        report = importer.create_report(importer.parse_file(path.name, path.read_bytes()), office)
        counts[path.suffix] = len(exported_paragraphs(export_docx(report)))
    # 6 sections × 3 measures: one paragraph per section in the text, one per measure in the DOCX.
    assert counts[".docx"] - counts[".txt"] == 6 * 3 - 6


def test_a_complete_date_comes_back_without_leading_zeros(office):
    parsed = importer.parse_text("标题\n一、部分\n正文。\n测试县委办公室\n2025年06月09日")
    report = importer.create_report(parsed, office)
    assert exported_paragraphs(export_docx(report))[-2:] == ["测试县委办公室", "2025年6月9日"]
