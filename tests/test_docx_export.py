"""The DOCX export read back with python-docx and lxml: page, styles, fonts, numbering, marks."""

import datetime
import io

import docx
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn

from reports import content, docx_export, outline_edit
from reports.document import signature_indents
from reports.docx_export import STYLE_HEADINGS, STYLE_NAMES, export_docx
from reports.models import Assignment, AssignmentState, Measure, MeasureLayout, Report, Section
from reports.titles import title_lines

pytestmark = pytest.mark.django_db

FONTS = settings.HUIGAO_FONTS


def read(report, draft=False):
    return docx.Document(io.BytesIO(export_docx(report, draft=draft)))


def texts(document):
    return [p.text for p in document.paragraphs]


def paragraph(document, text):
    """The first paragraph starting with `text`."""
    return next(p for p in document.paragraphs if p.text.startswith(text))


def east_asian_font(style):
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def ind(style_or_paragraph):
    ppr = style_or_paragraph.element.pPr if hasattr(style_or_paragraph, "type") else style_or_paragraph._p.pPr
    return ppr.find(qn("w:ind"))


def test_the_page_is_a4_with_the_gbt_9704_margins(report):
    section = read(report).sections[0]
    assert round(section.page_width.mm) == 210
    assert round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37
    assert round(section.bottom_margin.mm) == 35
    assert round(section.left_margin.mm) == 28
    assert round(section.right_margin.mm) == 26


def test_title_body_and_headings_use_east_asian_fonts_and_sizes_from_settings(report):
    document = read(report)
    title = paragraph(document, "关于测试工作情况的报告")
    assert east_asian_font(title.style) == FONTS["title"]
    assert title.style.font.size.pt == 22
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER

    body = paragraph(document, "今年以来")
    assert body.style.name == "Normal"
    assert east_asian_font(body.style) == FONTS["body"]
    assert body.style.font.size.pt == 16
    assert body.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY

    expected = {
        "一、强化组织领导": (FONTS["heading1"], 0),
        "（一）在提升政务服务效能方面": (FONTS["heading2"], 1),
    }
    for text, (font, outline_level) in expected.items():
        style = paragraph(document, text).style
        assert east_asian_font(style) == font
        assert style.font.size.pt == 16
        assert style.font.bold is False
        assert style.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == str(outline_level)
    for level in (3, 4):
        style = document.styles[STYLE_NAMES[STYLE_HEADINGS[level]]]
        assert east_asian_font(style) == FONTS["body"]
        assert style.font.size.pt == 16
        assert style.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == str(level - 1)


def test_levels_three_and_four_are_numbered_and_styled(report, our_section):
    third = Section.objects.create(report=report, parent=our_section, position=9, heading="第三级")
    Section.objects.create(report=report, parent=third, position=0, heading="第四级")
    document = read(report)
    assert paragraph(document, "1.第三级").style.style_id == STYLE_HEADINGS[3]
    assert paragraph(document, "（1）第四级").style.style_id == STYLE_HEADINGS[4]


def test_styles_carry_no_theme_fonts_and_latin_text_is_times_new_roman(report):
    document = read(report)
    styles_xml = document.styles.element
    for rfonts in styles_xml.iter(qn("w:rFonts")):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            assert rfonts.get(qn(f"w:{attr}")) is None
    defaults = styles_xml.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rfonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == FONTS["body"]
    assert rfonts.get(qn("w:hint")) == "eastAsia"
    assert document.styles["Normal"].font.name == FONTS["latin"]


def test_lines_are_exactly_28_95_points_with_no_space_around_paragraphs(report):
    document = read(report)
    for style in [document.styles["Normal"], *(document.styles[STYLE_NAMES[s]] for s in STYLE_HEADINGS.values())]:
        fmt = style.paragraph_format
        assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        spacing = style.element.pPr.find(qn("w:spacing"))
        assert spacing.get(qn("w:line")) == "579"
        assert fmt.space_before == 0
        assert fmt.space_after == 0


def test_text_is_condensed_so_28_characters_fit_a_line(report):
    normal = read(report).styles["Normal"]
    assert normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"


def test_body_and_headings_indent_their_first_line_by_two_characters(report):
    document = read(report)
    for text in ("今年以来", "一、强化组织领导", "（一）在提升政务服务效能方面", "一是推行一件事一次办"):
        indent = ind(paragraph(document, text).style)
        assert indent.get(qn("w:firstLineChars")) == "200"
    # The title says "no indent" itself: a style that left it out would inherit Normal's two characters.
    title = ind(paragraph(document, "关于测试工作情况的报告").style)
    assert (title.get(qn("w:firstLineChars")), title.get(qn("w:firstLine"))) == ("0", "0")


LONG_TITLE = "关于2025年度优化营商环境工作落实情况的报告"


def test_a_long_title_is_one_paragraph_broken_into_its_lines_of_sense(report):
    report.title = LONG_TITLE
    report.save()
    document = read(report)
    title = document.paragraphs[0]
    lines = title_lines(LONG_TITLE)
    assert len(lines) == 2
    assert title.text.split("\n") == lines
    assert len(title._p.findall(f".//{qn('w:br')}")) == 1
    assert title.style.style_id == docx_export.STYLE_TITLE
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert document.paragraphs[1].text == ""


def test_a_title_typed_in_lines_keeps_them(report):
    report.title = "关于测试\n工作情况的报告"
    report.save()
    assert read(report).paragraphs[0].text == "关于测试\n工作情况的报告"


def test_the_addressee_stands_one_blank_line_under_the_title_flush_left_with_a_full_width_colon(report):
    report.addressee = "县委办公室:"
    report.save()
    document = read(report)
    assert texts(document)[:4] == ["关于测试工作情况的报告", "", "县委办公室：", texts(document)[3]]
    assert texts(document)[3].startswith("今年以来")
    addressee = document.paragraphs[2]
    assert addressee.style.name == "主送机关"
    indent = ind(addressee.style)
    assert (indent.get(qn("w:firstLineChars")), indent.get(qn("w:firstLine")), indent.get(qn("w:left"))) == (
        "0",
        "0",
        "0",
    )


def test_without_an_addressee_the_preamble_follows_the_blank_line(report):
    assert "主送机关" not in [p.style.name for p in read(report).paragraphs]


def test_odd_and_even_footers_carry_page_fields_between_dashes(report):
    document = read(report)
    assert document.settings.odd_and_even_pages_header_footer is True
    section = document.sections[0]
    for footer, alignment, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        (p,) = footer.paragraphs
        assert p.text == "— 1 —"
        assert p.paragraph_format.alignment == alignment
        # 一字: one character of the body, 16 pt = 320 twips, whatever the page number's own size.
        indent = p._p.pPr.find(qn("w:ind"))
        assert (indent.get(qn(f"w:{side}")), indent.get(qn(f"w:{side}Chars"))) == ("320", "0")
        # Neither the paragraph nor its style takes the body's first-line indent.
        for element in (indent, ind(p.style)):
            assert (element.get(qn("w:firstLine")), element.get(qn("w:firstLineChars"))) == ("0", "0")
        field_chars = [el.get(qn("w:fldCharType")) for el in p._p.iter(qn("w:fldChar"))]
        assert field_chars == ["begin", "separate", "end"]
        assert [el.text.strip() for el in p._p.iter(qn("w:instrText"))] == ["PAGE"]
        assert east_asian_font(p.style) == FONTS["page_number"]
        assert p.style.font.size.pt == 14


def test_the_title_is_followed_by_a_blank_line_and_sections_follow_in_reading_order(report):
    lines = texts(read(report))
    assert lines[:3] == ["关于测试工作情况的报告", "", "今年以来，我县扎实推进各项工作。现将有关情况报告如下。"]
    assert lines[3:10] == [
        "一、强化组织领导",
        "县委专题研究部署。",
        "二、推动举措落地",
        "（一）在提升政务服务效能方面",
        "一是推行一件事一次办。梳理形成清单12项。",
        "二是深化一网通办。全程网办率达到90%。",
        "（二）在强化要素保障方面",
    ]


def test_numbers_follow_a_reorder(report, their_section):
    outline_edit.move_section(their_section, "up")
    lines = texts(read(report))
    assert "（一）在强化要素保障方面" in lines
    assert "（二）在提升政务服务效能方面" in lines
    assert lines.index("（一）在强化要素保障方面") < lines.index("（二）在提升政务服务效能方面")
    outline_edit.move_section(report.first_section, "down")
    lines = texts(read(report))
    assert "一、推动举措落地" in lines
    assert "二、强化组织领导" in lines


def test_draft_mode_marks_departments_unfinished_sections_and_placeholders(report, our_section, their_section):
    Assignment.objects.filter(section=their_section).update(state=AssignmentState.ACCEPTED)
    Measure.objects.filter(section=their_section).update(body="盘活闲置土地X亩。")
    Section.objects.create(report=report, position=5, heading="空白章节")
    document = read(report, draft=True)
    lines = texts(document)
    assert document.sections[0].first_page_header.paragraphs[0].text == "征求意见稿"
    assert "（一）在提升政务服务效能方面〔县发改局·待提交〕" in lines
    assert "（二）在强化要素保障方面〔县财政局·已采用〕" in lines
    pending = lines.index("（一）在提升政务服务效能方面〔县发改局·待提交〕") + 1
    assert lines[pending] == "【待报送：县发改局】"
    # An accepted section is finished: no mark after it.
    after_theirs = lines.index("（二）在强化要素保障方面〔县财政局·已采用〕") + 1
    assert not lines[after_theirs].startswith("【待报送")
    # An empty section nobody is assigned to waits for the coordinating office.
    assert lines[lines.index("三、空白章节") + 1] == "【待报送：县委办】"
    highlighted = [r.text for p in document.paragraphs for r in p.runs if r.font.highlight_color is not None]
    assert highlighted == ["X"]
    assert lines[-1] == "【成文日期待定】"


def test_final_mode_is_clean(report, their_section):
    Measure.objects.filter(section=their_section).update(body="盘活闲置土地X亩。")
    document = read(report)
    body = "\n".join(texts(document))
    assert "征求意见稿" not in body
    assert "〔" not in body and "【" not in body
    assert all(not p.text for p in document.sections[0].header.paragraphs)
    assert not any(r.font.highlight_color for p in document.paragraphs for r in p.runs)
    assert "盘活闲置土地X亩。" in body
    assert texts(document)[-1] == "中共测试县委办公室"


def test_issuer_stands_two_characters_from_the_right_and_the_date_two_characters_right_of_its_start(report):
    report.issued_on = datetime.date(2025, 6, 9)
    report.save()
    document = read(report)
    lines = texts(document)
    assert lines[-4:] == ["下一步，我们将持续用力，推动工作再上新台阶。", "", "中共测试县委办公室", "2025年6月9日"]
    issuer, date = document.paragraphs[-2], document.paragraphs[-1]
    issuer_left = int(issuer._p.pPr.find(qn("w:ind")).get(qn("w:leftChars"))) / 100
    date_left = int(date._p.pPr.find(qn("w:ind")).get(qn("w:leftChars"))) / 100
    assert issuer_left + len("中共测试县委办公室") + 2 == 28  # 右空二字
    assert date_left - issuer_left == 2  # 首字比署名首字右移二字
    assert issuer.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_a_date_longer_than_the_issuer_stands_two_characters_from_the_right():
    issuer_left, date_left = signature_indents("县委办", "2025年12月1日")
    date_width = 4 * 0.5 + 1 + 2 * 0.5 + 1 + 1 * 0.5 + 1
    # 右空二字 in Times New Roman, give or take the half character kept for wider digits.
    assert 27.5 <= date_left + date_width + 2 <= 28
    assert date_left - issuer_left == 2


def test_the_date_keeps_room_for_digits_set_in_a_wider_fallback_font():
    # 2025年12月31日 at 0.8 of a character a digit: 8 digits and 3 characters are 9.4 characters.
    issuer_left, date_left = signature_indents("县委办", "2025年12月31日")
    assert date_left == 18 and issuer_left == 16
    assert date_left * 16 + 9.4 * 16 <= 442.2


def test_measure_leads_can_be_bold(report):
    report.bold_measure_leads = True
    report.save()
    p = paragraph(read(report), "一是推行一件事一次办")
    assert [(r.text, bool(r.bold)) for r in p.runs] == [("一是推行一件事一次办。", True), ("梳理形成清单12项。", False)]


def test_run_in_measures_share_one_paragraph_after_the_intro(report, our_section):
    report.measure_layout = MeasureLayout.RUN_IN
    report.save()
    our_section.intro = "围绕企业全生命周期。"
    our_section.save()
    lines = texts(read(report))
    at = lines.index("（一）在提升政务服务效能方面")
    assert lines[at + 1 : at + 3] == [
        "围绕企业全生命周期。",
        "一是推行一件事一次办。梳理形成清单12项。二是深化一网通办。全程网办率达到90%。",
    ]


def test_a_report_with_control_characters_long_paragraphs_and_empty_sections_exports(report, our_section):
    dirty = "含\x01控\x07制\x0b字\x1f符\ufffe\uffff的文字"
    Section.objects.filter(pk=our_section.pk).update(heading="标题\x08带控制符", intro=dirty + "\n" + "长" * 200_000)
    Measure.objects.filter(section=our_section).update(lead="举措\x01", body="内容\x7f")
    Section.objects.create(report=report, position=7, heading="")
    # Neither a NUL (PostgreSQL) nor a lone surrogate can be stored, but an export must not choke on them.
    report.title = "带孤立代理项\ud800的\x00标题"
    document = read(report, draft=True)
    lines = texts(document)
    assert "含控制字符的文字" in lines
    assert "（一）标题带控制符〔县发改局·待提交〕" in lines
    assert "长" * 200_000 in lines
    assert "一是举措。内容" in lines
    assert lines[0] == "带孤立代理项的标题"


def test_an_empty_report_exports(office, coordinator):
    report = Report.objects.create(title="空报告", lead_department=office)
    assert texts(read(report)) == ["空报告", ""]
    assert texts(read(report, draft=True)) == ["空报告", "", "", "【成文日期待定】"]


def make_big_report(office, department, sections):
    report = Report.objects.create(title="大报告", preamble="导语。", lead_department=office)
    parents = [Section.objects.create(report=report, position=n, heading=f"一级{n}") for n in range(sections)]
    children = Section.objects.bulk_create(
        Section(report=report, parent=parent, position=0, heading=f"二级{n}") for n, parent in enumerate(parents)
    )
    Measure.objects.bulk_create(
        Measure(section=child, position=m, lead=f"举措{m}", body="正文X项。") for child in children for m in range(3)
    )
    Assignment.objects.bulk_create(Assignment(section=child, department=department) for child in children)
    return Report.objects.select_related("lead_department").get(pk=report.pk)


@pytest.mark.parametrize("draft", [False, True])
def test_the_export_runs_a_constant_number_of_queries(office, department, django_assert_max_num_queries, draft):
    small = make_big_report(office, department, 2)
    big = make_big_report(office, department, 40)
    for position in range(5):
        big.attachments.create(
            position=position, title=f"附件标题{position}", body="正文。", table={"header": True, "rows": [["a"]]}
        )
    # The sections, their measures, the attachments.
    with django_assert_max_num_queries(3):
        export_docx(small, draft=draft)
    with django_assert_max_num_queries(3):
        document = docx.Document(io.BytesIO(export_docx(big, draft=draft)))
    assert "四十、一级39" in texts(document)


def test_body_paragraphs_are_built_without_add_paragraph(report, monkeypatch):
    # add_paragraph scans the body for w:sectPr on every call (python-docx #408): quadratic.
    def refuse(*args, **kwargs):
        raise AssertionError("add_paragraph called")

    monkeypatch.setattr(docx.document.Document, "add_paragraph", refuse)
    monkeypatch.setattr(docx.text.paragraph.Paragraph, "style", property(refuse, refuse))
    assert docx_export.build_document(report).element.body is not None


def test_export_report_command_writes_the_docx(report, tmp_path):
    target = tmp_path / "out.docx"
    call_command("export_report", str(report.pk), "--output", str(target), "--draft", stdout=io.StringIO())
    document = docx.Document(str(target))
    assert document.sections[0].first_page_header.paragraphs[0].text == "征求意见稿"
    assert texts(document)[0] == "关于测试工作情况的报告"


def test_export_report_command_refuses_an_unknown_report(db, tmp_path):
    with pytest.raises(CommandError, match="no report 999"):
        call_command("export_report", "999", "--output", str(tmp_path / "x.docx"))
    assert not (tmp_path / "x.docx").exists()


def test_the_package_names_only_the_fonts_it_uses(report):
    import zipfile

    package = zipfile.ZipFile(io.BytesIO(export_docx(report)))
    font_table = package.read("word/fontTable.xml").decode()
    for name in set(FONTS.values()):
        assert f'w:name="{name}"' in font_table
    assert "ＭＳ" not in font_table
    assert "word/stylesWithEffects.xml" not in package.namelist()


def test_punctuation_never_hangs_line_breaking_rules_are_on_and_widow_control_is_off(report):
    styles = [s for s in read(report, draft=True).styles if s.type == 1]
    assert {s.style_id for s in styles} == {"Normal", "Header", "Footer", *docx_export.STYLE_NAMES}
    for style in styles:
        ppr = style.element.pPr
        values = {name: ppr.find(qn(f"w:{name}")).get(qn("w:val")) for name in ("overflowPunct", "kinsoku")}
        assert values == {"overflowPunct": "0", "kinsoku": "1"}, style.name
        # A fixed grid of 22 lines a page: widow control would leave pages a line short.
        assert ppr.find(qn("w:widowControl")).get(qn("w:val")) == "0"


def test_the_draft_mark_stands_on_the_first_page_only(report):
    section = read(report, draft=True).sections[0]
    assert section.different_first_page_header_footer is True
    assert [p.text for p in section.first_page_header.paragraphs] == ["征求意见稿"]
    assert section.header.is_linked_to_previous and section.even_page_header.is_linked_to_previous
    # The first page keeps its page number.
    assert [p.text for p in section.first_page_footer.paragraphs] == ["— 1 —"]
    assert read(report).sections[0].different_first_page_header_footer is False


def test_the_package_holds_no_template_leftovers(report):
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(export_docx(report))).namelist()
    for leftover in ("word/theme/theme1.xml", "word/numbering.xml", "docProps/thumbnail.jpeg", "customXml/item1.xml"):
        assert leftover not in names
    package = zipfile.ZipFile(io.BytesIO(export_docx(report)))
    relationships = package.read("word/_rels/document.xml.rels").decode() + package.read("_rels/.rels").decode()
    assert "theme" not in relationships and "numbering" not in relationships and "thumbnail" not in relationships
    assert "Calibri" not in package.read("word/styles.xml").decode()


def test_the_properties_name_huigao_the_title_and_the_lead_department(report):
    import zipfile

    app = zipfile.ZipFile(io.BytesIO(export_docx(report))).read("docProps/app.xml").decode()
    assert "<Application>Huigao</Application>" in app and "Microsoft" not in app
    properties = read(report).core_properties
    assert properties.title == "关于测试工作情况的报告"
    assert properties.author == "测试县委办公室"


def test_only_the_styles_the_report_uses_are_in_the_package(report):
    document = read(report)
    ids = {style.style_id for style in document.styles}
    # The report's paragraph styles and the defaults Word falls back to; no list or template styles.
    assert ids == {"Normal", "Footer", *docx_export.STYLE_NAMES, "DefaultParagraphFont", "TableNormal", "NoList"}
    used = {p.style.style_id for p in document.paragraphs}
    assert used <= ids


def test_the_package_without_a_theme_still_opens_in_libreoffice(report, tmp_path):
    import shutil

    if not shutil.which("soffice"):
        pytest.skip("needs LibreOffice (.ci/run installs it)")
    from tests.test_export_layout import to_pdf

    assert to_pdf(export_docx(report, draft=True), tmp_path).stat().st_size > 0


def test_the_draft_tag_says_when_a_signed_text_changed_after_sign_off(
    report, our_section, their_section, drafter, signer, other_drafter, other_signer, coordinator
):
    ours = Assignment.objects.get(section=our_section)
    ours.submit(drafter)
    ours.sign_off(signer)
    ours.accept(coordinator)
    measures = [content.MeasureText(m.pk, m.lead, m.body) for m in our_section.measures.order_by("position")]
    measures[1] = content.MeasureText(measures[1].pk, measures[1].lead, "全程网办率达到95%。")
    content.save_content(our_section, coordinator, intro="", measures=measures, note="更新数据")
    theirs = Assignment.objects.get(section=their_section)
    theirs.submit(other_drafter)
    theirs.sign_off(other_signer)
    lines = texts(read(report, draft=True))
    assert "（一）在提升政务服务效能方面〔县发改局·已采用·签发后改动〕" in lines
    assert "（二）在强化要素保障方面〔县财政局·已签发待采用〕" in lines
    final = texts(read(report))
    assert "（一）在提升政务服务效能方面" in final
    assert not any("签发后改动" in line for line in final)
