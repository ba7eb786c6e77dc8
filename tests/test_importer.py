"""The importer: both samples read into the whole outline, every rule of the parser, bad input."""

import codecs
import datetime
import io
import zipfile

import docx
import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import importer
from reports.importer import ImportFailed, parse_file, parse_text
from reports.models import Measure, MeasureLayout, Report, ReportAction, Section
from tests.conftest import SAMPLE_DOCX, SAMPLE_TXT

NOISE_WORDS = ["gongwen", "公众号", "paid", "写作网", "##"]


def all_text(parsed):
    parts = [parsed.title, *parsed.preamble, *parsed.closing, parsed.issuer, parsed.date_text]

    def walk(sections):
        for section in sections:
            parts.extend([section.heading, *section.intro])
            for lead, body in section.measures:
                parts.extend([lead, body])
            walk(section.children)

    walk(parsed.sections)
    return "\n".join(parts)


def docx_bytes(paragraphs):
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(params=["txt", "docx"])
def sample(request):
    path = SAMPLE_TXT if request.param == "txt" else SAMPLE_DOCX
    return parse_file(path.name, path.read_bytes())


def test_both_samples_give_the_whole_outline(sample):
    assert sample.title == "关于2025年度优化营商环境工作落实情况的报告"
    assert len(sample.preamble) == 1
    assert sample.preamble[0].startswith("今年以来，X县坚持")
    assert [s.heading for s in sample.sections] == [
        "强化组织领导，压紧压实工作责任",
        "聚焦重点领域，推动改革举措落地",
        "存在的问题和下一步打算",
    ]
    first, second, third = sample.sections
    assert first.children == [] and first.measures == []
    assert [c.heading for c in second.children] == [
        "在提升政务服务效能方面",
        "在强化要素保障方面",
        "在规范市场监管方面",
        "在营造法治环境方面",
    ]
    assert [c.heading for c in third.children] == ["存在的问题", "下一步打算"]
    for child in second.children + third.children:
        assert len(child.measures) == 3
        assert child.intro == []
    assert second.children[0].measures[0] == [
        "推行“一件事一次办”",
        "围绕企业开办、工程建设、不动产登记等高频事项，梳理形成“一件事”清单X项，实现一张表单、一套材料、一次办结。",
    ]
    assert sample.closing == [
        "下一步，我们将坚持问题导向和目标导向，以更大力度、更实举措推动营商环境持续优化，"
        "为全县经济社会高质量发展提供有力保障。"
    ]
    assert sample.issuer == "中共X县委办公室"
    assert sample.date_text == "2025年12月X日"
    assert sample.issued_on is None


def test_no_noise_is_left_in_either_sample_and_every_removal_is_listed(sample):
    text = all_text(sample)
    for word in NOISE_WORDS:
        assert word not in text
    assert [(r.text, r.rule) for r in sample.removed] == [
        ("##paidbegin##", "inline"),
        ("【更多范文，请关注公众号：gongwen-hub】", "inline"),
        # The whole advertising line goes, not only its marker.
        ("更多精品公文范文，尽在×××写作网##paidend##", "advertising"),
    ]


def test_ordinals_inside_a_paragraph_that_starts_otherwise_stay_in_the_intro(sample):
    (intro,) = sample.sections[0].intro
    assert "会议要求：一是提高政治站位" in intro and intro.endswith("逐项分解落实。")


def test_the_text_sample_runs_measures_in_and_the_docx_has_one_paragraph_each():
    assert parse_file(SAMPLE_TXT.name, SAMPLE_TXT.read_bytes()).measure_layout == MeasureLayout.RUN_IN
    assert parse_file(SAMPLE_DOCX.name, SAMPLE_DOCX.read_bytes()).measure_layout == MeasureLayout.PARAGRAPHS


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_text_files_in_every_common_encoding_read_the_same(encoding):
    text = SAMPLE_TXT.read_text(encoding="utf-8").replace("“", "").replace("”", "")
    if encoding == "gbk":
        text = text.replace("Ｘ", "X")
    expected = parse_text(text)
    parsed = parse_file("report.txt", text.encode(encoding))
    assert parsed.to_dict() | {"source_name": ""} == expected.to_dict()


def test_a_bom_is_not_part_of_the_title():
    parsed = parse_file("r.txt", codecs.BOM_UTF8 + "标题\n一、第一部分\n正文。".encode())
    assert parsed.title == "标题"


def test_pasted_text_with_windows_line_ends_and_indents_reads_like_a_file():
    text = SAMPLE_TXT.read_text(encoding="utf-8")
    pasted = "\r\n".join("\u3000\u3000" + line for line in text.splitlines())
    assert parse_text(pasted).to_dict() == parse_text(text).to_dict()


def test_run_in_headings_split_at_their_first_sentence():
    parsed = parse_text(
        "标题\n"
        "一、总体情况。今年以来工作平稳。\n"
        "（一）在提升政务服务效能方面。一是推行一件事。围绕事项。二是深化网办。提升比例。\n"
        "1.加强领导。成立专班。\n"
        "（1）细化分工：明确责任。\n"
    )
    (first,) = parsed.sections
    assert first.heading == "总体情况" and first.intro == ["今年以来工作平稳。"]
    (child,) = first.children
    assert child.heading == "在提升政务服务效能方面"
    assert child.measures == [["推行一件事", "围绕事项。"], ["深化网办", "提升比例。"]]
    (grandchild,) = child.children
    assert grandchild.heading == "加强领导" and grandchild.intro == ["成立专班。"]
    (level4,) = grandchild.children
    assert level4.heading == "细化分工" and level4.intro == ["明确责任。"]


def test_a_heading_runs_straight_into_its_first_measure():
    parsed = parse_text("标题\n一、工作成效，一是抓落实。内容。二是促发展。内容。")
    assert parsed.sections[0].heading == "工作成效"
    assert len(parsed.sections[0].measures) == 2


def test_measures_continue_across_paragraphs_at_the_expected_ordinal_only():
    parsed = parse_text(
        "标题\n一、部分\n"
        "一是甲。内容甲。\n"
        "二是乙。内容乙。三是丙。重点抓两件事：一是办实事，二是守底线。\n"
        "四是丁。内容丁。\n"
        "二是不是下一个序号。\n"
        "（一）子部分\n"
    )
    section = parsed.sections[0]
    assert [lead for lead, _ in section.measures] == ["甲", "乙", "丙", "丁"]
    assert section.measures[2][1] == "重点抓两件事：一是办实事，二是守底线。"
    # Not the next ordinal: kept as text, never dropped.
    assert section.intro == ["二是不是下一个序号。"]
    assert section.children[0].heading == "子部分"


def test_a_label_out_of_sequence_is_text_not_a_section():
    parsed = parse_text("标题\n一、第一部分\n三、这不是第二部分\n二、第二部分\n")
    assert [s.heading for s in parsed.sections] == ["第一部分", "第二部分"]
    assert parsed.sections[0].intro == ["三、这不是第二部分"]


def test_a_complete_date_is_stored_and_a_placeholder_date_kept_as_written():
    complete = parse_text("标题\n一、部分\n内容。\n县发展和改革局\n2025年6月9日")
    assert complete.issuer == "县发展和改革局"
    assert complete.issued_on == datetime.date(2025, 6, 9)
    assert complete.date_text == "2025年6月9日"
    placeholder = parse_text("标题\n一、部分\n内容。\n县发展和改革局\n2025年X月X日")
    assert placeholder.issued_on is None and placeholder.date_text == "2025年X月X日"


def test_text_after_a_heading_only_becomes_the_closing_from_its_closing_words():
    parsed = parse_text("标题\n一、部分\n部分的正文。\n今后，我们将继续努力。\n特此报告。")
    assert parsed.sections[0].intro == ["部分的正文。"]
    assert parsed.closing == ["今后，我们将继续努力。", "特此报告。"]
    assert parsed.issuer == ""


def test_text_before_the_first_heading_is_the_preamble():
    parsed = parse_text("标题\n导语一。\n导语二，会议要求：一是甲；二是乙。\n一、部分\n")
    assert parsed.preamble == ["导语一。", "导语二，会议要求：一是甲；二是乙。"]


def test_docx_paragraphs_in_tables_and_line_breaks_are_read():
    document = docx.Document()
    document.add_paragraph("标题")
    document.add_paragraph("一、部分")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).paragraphs[0].add_run("表格中的文字。")
    paragraph = document.add_paragraph("一是甲。内容。")
    paragraph.add_run().add_break()
    paragraph.add_run("二是乙。内容。")
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = parse_file("r.docx", buffer.getvalue())
    assert parsed.sections[0].intro == ["表格中的文字。"]
    assert [lead for lead, _ in parsed.sections[0].measures] == ["甲", "乙"]


def test_noise_patterns_come_from_settings(settings):
    settings.HUIGAO_NOISE_PATTERNS = [r"广告\d+"]
    parsed = parse_text("标题广告1\n一、部分\n##paidbegin##正文。")
    assert parsed.title == "标题"
    assert parsed.sections[0].intro == ["##paidbegin##正文。"]
    assert [r.text for r in parsed.removed] == ["广告1"]


# Bad input: a clear Chinese message, nothing created.


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BAD_INPUTS = {
    "renamed text": ("report.docx", "关于工作的报告\n一、部分".encode(), "不是有效的DOCX"),
    "zip without a document": ("report.docx", zip_bytes({"hello.txt": "hi"}), "不是有效的DOCX"),
    "zip bomb": ("report.docx", zip_bytes({"word/document.xml": b"\0" * (25 * 1024 * 1024)}), "超过20 MB"),
    "ratio bomb": ("report.docx", zip_bytes({"word/document.xml": b"<" * (3 * 1024 * 1024)}), "无法导入"),
    "over the size limit": ("report.txt", "字".encode() * (2 * 1024 * 1024), "文件过大"),
    "empty file": ("report.txt", b"", "文件是空的"),
    "only whitespace": ("report.txt", b" \n\r\n\t", "文件是空的"),
    "binary junk": ("report.txt", bytes(range(256)) * 40, "不是文本"),
    "old word file": ("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".doc"),
    "only noise": ("report.txt", b"##paidbegin##\n##paidend##", "广告"),
    "invalid xml": ("report.docx", zip_bytes({"word/document.xml": "<w:document"}), "不是有效的DOCX"),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_gets_a_clear_chinese_message(case):
    name, data, message = BAD_INPUTS[case]
    with pytest.raises(ImportFailed) as raised:
        parse_file(name, data)
    assert message in " ".join(raised.value.messages)


def test_a_text_over_the_character_limit_is_refused(settings):
    settings.HUIGAO_IMPORT_MAX_CHARS = 10
    with pytest.raises(ImportFailed, match="文本过长"):
        parse_text("标题\n一、第一部分\n正文。")


def test_an_undecodable_text_says_which_encodings_it_reads():
    with pytest.raises(ImportFailed, match="编码"):
        importer.decode_text(b"\x81\x30\xff\xfe\x80abc" * 3)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text_parses_or_fails_with_the_importers_own_error(text):
    try:
        parsed = parse_text(text)
    except ImportFailed as error:
        assert error.messages
    else:
        assert parsed.lines


PIECES = st.sampled_from(
    ["一、", "二、", "（一）", "（二）", "1.", "2.", "（1）", "一是", "二是", "三是", "。", "：", "，", "\n", "\n\n",
     "下一步，", "中共X县委办公室", "2025年12月X日", "2025年2月30日", "##paidbegin##", "【公众号】", "X", "内容", "标题"]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=40).map("".join))
def test_report_shaped_text_parses_or_fails_with_the_importers_own_error(text):
    try:
        parsed = parse_text(text)
    except ImportFailed:
        return
    # What was read survives its own JSON round trip (the import page carries it so).
    assert importer.ParsedReport.from_dict(parsed.to_dict()) == parsed


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["x.txt", "x.docx", "x"]))
def test_arbitrary_bytes_parse_or_fail_with_the_importers_own_error(data, name):
    try:
        parsed = parse_file(name, data)
    except ImportFailed as error:
        assert error.messages
    else:
        assert parsed.lines


def test_a_text_file_that_happens_to_start_with_pk_is_text():
    parsed = parse_file("r.txt", "PK赛总结\n一、部分\n正文。".encode())
    assert parsed.title == "PK赛总结"


# Creating the report.


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(PIECES, st.sampled_from([" ", "　", "2025 年 12 月 X 日", "局", "很" * 150])), max_size=40))
def test_whatever_parses_can_be_created_within_every_fields_limits(office, pieces):
    try:
        parsed = parse_text("".join(pieces))
    except ImportFailed:
        return
    report = importer.create_report(parsed, office, title=None if parsed.title else "补上的标题")
    report.full_clean()
    for section in report.sections.all():
        section.full_clean()
    for measure in Measure.objects.filter(section__report=report):
        measure.full_clean()


def test_create_report_writes_the_whole_outline_in_order(db, office, coordinator):
    parsed = parse_file(SAMPLE_DOCX.name, SAMPLE_DOCX.read_bytes())
    report = importer.create_report(parsed, office, coordinator)
    report.refresh_from_db()
    assert report.title == parsed.title
    assert report.issuer == "中共X县委办公室"
    assert report.issued_on is None and report.issued_on_text == "2025年12月X日"
    assert report.issued_on_display == "2025年12月X日"
    assert report.lead_department == office and report.created_by == coordinator
    assert report.is_coordinator(coordinator)
    outline = report.outline(measures=True)
    assert [f"{s.label}{s.heading}" for s in outline][:3] == [
        "一、强化组织领导，压紧压实工作责任",
        "二、聚焦重点领域，推动改革举措落地",
        "（一）在提升政务服务效能方面",
    ]
    assert len(outline) == 9
    assert Measure.objects.filter(section__report=report).count() == 18
    assert [m.lead for m in outline[2].measures.all()] == ["推行“一件事一次办”", "深化“一网通办”", "完善帮办代办机制"]
    event = report.events.get()
    assert event.action == ReportAction.IMPORT and event.actor == coordinator
    assert "公众号" in event.comment


def test_create_report_takes_a_constant_number_of_queries(db, office, django_assert_max_num_queries):
    text = "标题\n" + "".join(
        f"{importer.numbering.chinese_numeral(i)}、部分{i}\n（一）子部分\n一是甲。乙。二是丙。丁。\n"
        for i in range(1, 40)
    )
    parsed = parse_text(text)
    # Two of them for the sections' tallies: the office's wording list and one INSERT.
    with django_assert_max_num_queries(9):
        importer.create_report(parsed, office)
    assert Section.objects.count() == 78


def test_a_complete_date_is_stored_as_a_date(db, office):
    report = importer.create_report(parse_text("标题\n一、部分\n县委办公室\n2025年6月9日"), office)
    report.refresh_from_db()
    assert report.issued_on == datetime.date(2025, 6, 9) and report.issued_on_text == ""
    assert report.issued_on_display == "2025年6月9日"


# The command.


def test_the_command_imports_a_file_and_prints_its_id(db, office, department, capsys):
    call_command("import_report", str(SAMPLE_TXT), "--lead-department", "县发改局")
    report = Report.objects.get()
    assert capsys.readouterr().out.strip() == f"Imported report {report.pk}"
    assert report.lead_department == department
    assert report.sections.count() == 9


def test_the_command_defaults_to_the_first_department(db, office, department, capsys):
    call_command("import_report", str(SAMPLE_DOCX))
    assert Report.objects.get().lead_department == office


def test_the_command_refuses_bad_input_and_creates_nothing(db, office, tmp_path):
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(CommandError, match="不是有效的DOCX"):
        call_command("import_report", str(junk))
    with pytest.raises(CommandError, match="No department named"):
        call_command("import_report", str(SAMPLE_TXT), "--lead-department", "不存在")
    with pytest.raises(CommandError):
        call_command("import_report", str(tmp_path / "missing.txt"))
    assert Report.objects.count() == 0


def test_the_command_asks_for_a_title_when_the_file_has_none(db, office, tmp_path, capsys):
    untitled = tmp_path / "自查.txt"
    untitled.write_text("县委办公室：\n一、自查情况\n制度健全。\n特此报告。\n", encoding="utf-8")
    with pytest.raises(CommandError, match="没有标题"):
        call_command("import_report", str(untitled))
    assert Report.objects.count() == 0
    call_command("import_report", str(untitled), "--title", "关于保密自查情况的报告")
    report = Report.objects.get()
    assert report.title == "关于保密自查情况的报告" and report.addressee == "县委办公室："
