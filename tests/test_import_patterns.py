"""Reports as people have them: Word's automatic numbering, web copies full of debris, a report
flattened into one line, no title, continuous numbering, headings with their text on one line,
run-in measures, placeholder dates, half-width punctuation — each read as a careful reader would."""

import io

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import numbering
from reports.importer import parse_file, parse_text, reassemble
from reports.parsed import LineRole


def as_docx(text):
    """The text as a clerk's DOCX: one paragraph a line."""
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(params=["txt", "docx"])
def read(request):
    """read(text) parses the text as pasted, or as the same text typed into a DOCX."""
    if request.param == "txt":
        return parse_text
    return lambda text: parse_file("report.docx", as_docx(text.rstrip("\n")))


def outline(parsed):
    return [(row["level"], row["label"] + row["heading"], row["measures"]) for row in parsed.outline()]


# Word's automatic numbering -------------------------------------------------------------------

NUMBERING_XML = f"""<w:numbering {nsdecls("w")}>
  <w:abstractNum w:abstractNumId="7">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>
  <w:num w:numId="4"><w:abstractNumId w:val="7"/>
    <w:lvlOverride w:ilvl="1"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
</w:numbering>"""


def numbered_docx(paragraphs):
    """A DOCX whose headings carry no typed label: (text, numId, ilvl) gets Word list numbering."""
    document = docx.Document()
    numbering_part = document.part.numbering_part
    numbering_part._element = parse_xml(NUMBERING_XML)
    for item in paragraphs:
        text, num_id, ilvl = item if isinstance(item, tuple) else (item, None, None)
        paragraph = document.add_paragraph(text)
        if num_id is not None:
            ppr = paragraph._p.get_or_add_pPr()
            ppr.append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_headings_typed_with_word_numbering_read_like_typed_labels():
    data = numbered_docx(
        [
            "关于2026年上半年安全生产工作情况的报告",
            "今年以来，我局认真落实安全生产责任制。现将有关情况报告如下。",
            ("落实责任", "3", 0),
            "局党组专题研究部署。",
            ("排查隐患", "3", 0),
            ("在道路交通方面", "3", 1),
            "一是开展专项整治。查处违法行为。二是加强源头管理。约谈企业。",
            ("在建筑施工方面", "3", 1),
            ("深基坑", "3", 2),
            "逐一检查。",
            ("高支模", "3", 2),
            ("存在的问题", "3", 0),
            ("人员不足", "4", 1),  # a list that restarts its second level
            "下一步，我们将持续用力。",
        ]
    )
    parsed = parse_file("numbered.docx", data)
    assert parsed.title == "关于2026年上半年安全生产工作情况的报告"
    assert outline(parsed) == [
        (1, "一、落实责任", 0),
        (1, "二、排查隐患", 0),
        (2, "（一）在道路交通方面", 2),
        (2, "（二）在建筑施工方面", 0),
        (3, "1.深基坑", 0),
        (3, "2.高支模", 0),
        (1, "三、存在的问题", 0),
        (2, "（一）人员不足", 0),
    ]
    assert parsed.closing == ["下一步，我们将持续用力。"]


def test_word_numbering_inherited_from_a_heading_style_is_read_too():
    document = docx.Document()
    document.part.numbering_part._element = parse_xml(NUMBERING_XML)
    style = document.styles["Heading 1"]
    style.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr>')
    )
    document.add_paragraph("关于河道保洁工作的汇报")
    document.add_paragraph("加强巡查", style="Heading 1")
    document.add_paragraph("每日巡河一次。")
    document.add_paragraph("落实经费", style="Heading 1")
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = parse_file("styled.docx", buffer.getvalue())
    assert [s.heading for s in parsed.sections] == ["加强巡查", "落实经费"]
    assert parsed.sections[0].intro == ["每日巡河一次。"]
    assert qn("w:numPr")  # the namespace helper the test relies on


# Web copies -----------------------------------------------------------------------------------

WEB_COPY = """当前位置：首页 > 工作动态 > 总结汇报
今天是：2026年3月5日 星期四 农历正月十七
首页 -> 要闻 -> 正文
第一篇：关于2025年度河长制工作情况的报告
关于2025年度河长制工作情况的报告
发布时间：2026-01-08 09:30 来源：县水利局 阅读次数：1024 字号：大 中 小
来源：https://www.example.gov.cn/art/2026/1/8/art_1.html
2026-01-08 09:30 手机版
县水利局：
2025年，我县全面落实河长制各项任务。现将有关情况报告如下。
一、工作开展情况
一是强化巡河。全年巡河X次。二是整治乱象。清理河道垃圾X吨。
二、下一步打算
持续推进河湖长效管护。
特此报告。
扫码分享 分享到朋友圈
相关文章：
本站为大家整理了多篇工作报告范文，供大家参考。
公文范文网 阅读：3560
##paidend##更多范文请访问公文范文网www.example.com
县水利局
20xx年xx月xx日
"""


def test_a_web_copy_loses_every_kind_of_debris_and_keeps_the_report(read):
    parsed = read(WEB_COPY)
    assert parsed.title == "关于2025年度河长制工作情况的报告"
    assert parsed.addressee == "县水利局："
    assert parsed.preamble == ["2025年，我县全面落实河长制各项任务。现将有关情况报告如下。"]
    assert outline(parsed) == [(1, "一、工作开展情况", 2), (1, "二、下一步打算", 0)]
    assert parsed.sections[1].intro == ["持续推进河湖长效管护。"]
    assert parsed.closing == ["特此报告。"]
    assert parsed.issuer == "县水利局"
    assert parsed.date_text == "20xx年xx月xx日" and parsed.issued_on is None
    rules = {r.text: r.rule for r in parsed.removed}
    assert rules["当前位置：首页 > 工作动态 > 总结汇报"] == "breadcrumb"
    assert rules["今天是：2026年3月5日 星期四 农历正月十七"] == "dateline"
    assert rules["首页 -> 要闻 -> 正文"] == "breadcrumb"
    assert rules["第一篇："] == "inline"
    assert rules["关于2025年度河长制工作情况的报告"] == "repeated_title"
    assert rules["发布时间：2026-01-08 09:30 来源：县水利局 阅读次数：1024 字号：大 中 小"] == "page_info"
    assert rules["来源：https://www.example.gov.cn/art/2026/1/8/art_1.html"] == "source_url"
    assert rules["2026-01-08 09:30 手机版"] == "timestamp"
    assert rules["扫码分享 分享到朋友圈"] == "share"
    assert rules["相关文章："] == "related"
    assert rules["本站为大家整理了多篇工作报告范文，供大家参考。"] == "site_blurb"
    assert rules["公文范文网 阅读：3560"] == "site_views"
    assert rules["##paidend##更多范文请访问公文范文网www.example.com"] == "advertising"
    for removal in parsed.removed:
        assert removal.why  # the preview says why each line went


def test_a_removed_line_can_be_kept_and_a_role_changed_and_the_outline_follows():
    parsed = parse_text(WEB_COPY)
    index = next(i for i, line in enumerate(parsed.lines) if line.text == "持续推进河湖长效管护。")
    kept = next(i for i, line in enumerate(parsed.lines) if line.text.startswith("相关文章"))
    again = reassemble(parsed, {index: LineRole.HEADING2, kept: LineRole.CLOSING})
    assert outline(again) == [
        (1, "一、工作开展情况", 2),
        (1, "二、下一步打算", 0),
        (2, "（一）持续推进河湖长效管护", 0),
    ]
    assert again.closing == ["特此报告。", "相关文章："]
    assert "相关文章：" not in [r.text for r in again.removed]


# Flattened and title-less reports ---------------------------------------------------------------

FLATTENED = (
    "关于2025年度农村人居环境整治工作情况的报告今年以来，我镇坚持把农村人居环境整治作为乡村振兴的重要抓手，"
    "统筹推进各项工作，取得了阶段性成效。现将有关情况报告如下。一、主要工作（一）抓好垃圾治理一是完善收运体系。"
    "全镇配备保洁员X名。二是推行分类减量。试点村达到X个。（二）抓好污水治理一是建设处理设施。新建站点X座。"
    "二、存在问题一是部分村组长效管护机制不健全。二是群众参与度有待提高。三、下一步打算一是持续巩固整治成果。"
    "下一步，我们将久久为功，全面提升农村人居环境水平。2025年12月20日"
)


def test_a_report_flattened_into_one_line_is_split_at_its_labels(read):
    parsed = read(FLATTENED)
    assert parsed.title == "关于2025年度农村人居环境整治工作情况的报告"
    assert parsed.preamble[0].startswith("今年以来，我镇坚持")
    assert outline(parsed) == [
        (1, "一、主要工作", 0),
        (2, "（一）抓好垃圾治理", 2),
        (2, "（二）抓好污水治理", 1),
        (1, "二、存在问题", 2),
        (1, "三、下一步打算", 1),
    ]
    assert parsed.date_text == "2025年12月20日"


def test_a_self_inspection_report_without_a_title_keeps_its_addressee_and_closing(read):
    parsed = read(
        "县委办公室：\n"
        "按照《关于开展保密工作自查的通知》要求，我局对照清单逐项开展了自查。现将自查情况报告如下。\n"
        "一、自查情况\n"
        "一是涉密人员管理规范。二是涉密载体登记齐全。\n"
        "二、整改措施\n"
        "对发现的问题立行立改，建立台账。\n"
        "特此报告。\n"
        "县统计局\n"
        "2025年11月3日\n"
    )
    assert parsed.title == ""  # the import page asks for it
    assert parsed.addressee == "县委办公室："
    assert [s.heading for s in parsed.sections] == ["自查情况", "整改措施"]
    assert parsed.sections[1].intro == ["对发现的问题立行立改，建立台账。"]
    assert parsed.closing == ["特此报告。"]
    assert parsed.issuer == "县统计局" and str(parsed.issued_on) == "2025-11-03"


def test_a_short_notice_without_sections_imports_as_text(read):
    parsed = read("关于调整例会时间的通知\n各科室：\n原定周一的例会调整至周二上午九时召开。\n")
    assert parsed.title == "关于调整例会时间的通知"
    assert parsed.addressee == "各科室："
    assert parsed.sections == [] and parsed.preamble == ["原定周一的例会调整至周二上午九时召开。"]


# The outline's patterns ---------------------------------------------------------------------------


def test_numbering_that_runs_on_across_parents_stays_in_the_outline(read):
    parsed = read(
        "关于重点项目推进情况的报告\n一、项目进展\n（一）交通项目\n1.环城路\n2.跨河大桥\n（二）水利项目\n3.水库除险加固\n4.灌区改造\n"
    )
    assert outline(parsed) == [
        (1, "一、项目进展", 0),
        (2, "（一）交通项目", 0),
        (3, "1.环城路", 0),
        (3, "2.跨河大桥", 0),
        (2, "（二）水利项目", 0),
        (3, "1.水库除险加固", 0),
        (3, "2.灌区改造", 0),
    ]


def test_a_bracket_label_with_a_stray_comma_and_a_heading_with_its_text_after_a_space(read):
    parsed = read(
        "关于安全生产工作的报告\n"
        "一、强化组织领导\n"
        "(一)、健全责任体系\n"
        "二、压实工作责任，确保任务落地 今年以来，我局层层签订责任书，把任务分解到岗到人。\n"
    )
    assert [s.heading for s in parsed.sections] == ["强化组织领导", "压实工作责任，确保任务落地"]
    assert parsed.sections[0].children[0].heading == "健全责任体系"
    assert parsed.sections[1].intro == ["今年以来，我局层层签订责任书，把任务分解到岗到人。"]


def test_measures_run_in_after_an_intro_sentence_are_split(read):
    parsed = read(
        "关于文明创建工作的报告\n一、主要做法\n今年以来，主要做了以下工作。一是加强宣传；二是整治环境；三是完善设施。\n"
    )
    (section,) = parsed.sections
    assert section.intro == ["今年以来，主要做了以下工作。"]
    assert [lead for lead, _body in section.measures] == ["加强宣传", "整治环境", "完善设施"]


def test_half_width_punctuation_in_chinese_text_becomes_full_width_and_can_be_undone():
    parsed = parse_text(
        "关于工作的报告\n一、总体情况\n今年以来,我局(县统计局)完成调查:共X项;详见www.example.cn:8080。\n"
    )
    assert parsed.sections[0].intro == ["今年以来，我局（县统计局）完成调查：共X项；详见www.example.cn:8080。"]
    assert [line.original for line in parsed.punctuation_changes] == [
        "今年以来,我局(县统计局)完成调查:共X项;详见www.example.cn:8080。"
    ]
    kept = reassemble(parsed, {}, punctuation=False)
    assert kept.sections[0].intro == ["今年以来,我局(县统计局)完成调查:共X项;详见www.example.cn:8080。"]


# No character of the source other than debris is lost or doubled -----------------------------------

WORDS = st.text(alphabet="县局推进工作强化落实完善机制群众服务保障重点项目质量安全环境", min_size=2, max_size=12)


@st.composite
def reports(draw):
    """A report as structure, and the same report typed as text."""
    title = "关于" + draw(WORDS) + "情况的报告"
    preamble = [draw(WORDS) + "。" for _ in range(draw(st.integers(0, 2)))]
    sections = []
    for _ in range(draw(st.integers(1, 4))):
        children = [
            (draw(WORDS), [(draw(WORDS), draw(WORDS) + "。") for _ in range(draw(st.integers(0, 3)))])
            for _ in range(draw(st.integers(0, 3)))
        ]
        sections.append((draw(WORDS), [draw(WORDS) + "。" for _ in range(draw(st.integers(0, 2)))], children))
    closing = "下一步，" + draw(WORDS) + "。"
    lines = [title, *preamble]
    for n, (heading, intro, children) in enumerate(sections, start=1):
        lines.append(f"{numbering.chinese_numeral(n)}、{heading}")
        lines.extend(intro)
        for m, (child, measures) in enumerate(children, start=1):
            lines.append(f"（{numbering.chinese_numeral(m)}）{child}")
            lines.extend(f"{numbering.measure_ordinal(k)}{lead}。{body}" for k, (lead, body) in enumerate(measures, 1))
    lines.append(closing)
    return (title, preamble, sections, closing), "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_a_generated_report_reads_back_exactly(report):
    (title, preamble, sections, closing), text = report
    parsed = parse_text(text)
    assert parsed.title == title and parsed.preamble == preamble and parsed.closing == [closing]
    assert len(parsed.sections) == len(sections)
    for got, (heading, intro, children) in zip(parsed.sections, sections, strict=True):
        assert got.heading == heading and got.intro == intro
        assert [(c.heading, [tuple(m) for m in c.measures]) for c in got.children] == children


def test_a_closing_that_does_not_start_with_the_usual_words_follows_the_last_sections_text(read):
    parsed = read(
        "关于2025年度普法工作情况的总结\n一、主要做法\n组织集中宣讲X场。\n二、工作成效\n群众法治意识明显增强。\n"
        "总之，我们将以更高标准推进普法工作。\n县司法局\n2025年12月1日\n"
    )
    assert parsed.sections[1].intro == ["群众法治意识明显增强。"]
    assert parsed.closing == ["总之，我们将以更高标准推进普法工作。"]
    assert parsed.issuer == "县司法局"
