"""The report as a DOCX laid out like a Chinese official document (GB/T 9704-2012).

The layout is DESIGN.md's "DOCX layout" table. What python-docx cannot express (East Asian
fonts, indents in characters, condensed spacing, outline levels, PAGE fields) is written as
WordprocessingML directly, and the body paragraphs are built with lxml and inserted before the
final w:sectPr in one pass: `Document.add_paragraph` scans the body for w:sectPr on every call
(python-docx #408), `paragraph.style` scans every style, `run.text` appends character by
character — together they made a large export quadratic and slower than pandoc.
"""

import io

import docx
from django.conf import settings
from django.utils import timezone, translation
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from reports.models import AssignmentState, MeasureLayout, measures_by_section
from reports.numbering import numbered_measures
from reports.placeholders import split_placeholders
from reports.splitting import SENTENCE_END, join_measure
from reports.text import clean_text, paragraphs

# Sizes in half-points (w:sz), spacing in twentieths of a point (twips).
BODY_SIZE = 32  # 3号 = 16 pt
TITLE_SIZE = 44  # 2号 = 22 pt
PAGE_NUMBER_SIZE = 28  # 4号 = 14 pt
LINE_TWIPS = 579  # exactly 28.95 pt: 22 lines in the 225 mm text area
# 28 characters of 16 pt are 448 pt, the text area is 442 pt wide: condense by 0.25 pt.
CONDENSE = -5
CHARS_PER_LINE = 28
CHAR_TWIPS = 320  # one character of 16 pt; the twips fallback of the *Chars indents

DRAFT_HEADER = "征求意见稿"
UNDATED = "【成文日期待定】"

# Style ids (stable, ASCII) → display names the user sees in Word/WPS's style gallery.
STYLE_TITLE = "HuigaoTitle"
STYLE_HEADINGS = {1: "HuigaoHeading1", 2: "HuigaoHeading2", 3: "HuigaoHeading3", 4: "HuigaoHeading4"}
STYLE_MEASURE = "HuigaoMeasure"
STYLE_ISSUER = "HuigaoIssuer"
STYLE_DATE = "HuigaoDate"
STYLE_MARK = "HuigaoDraftMark"
STYLE_NAMES = {
    STYLE_TITLE: "公文标题",
    STYLE_HEADINGS[1]: "公文一级标题",
    STYLE_HEADINGS[2]: "公文二级标题",
    STYLE_HEADINGS[3]: "公文三级标题",
    STYLE_HEADINGS[4]: "公文四级标题",
    STYLE_MEASURE: "公文举措",
    STYLE_ISSUER: "发文机关署名",
    STYLE_DATE: "成文日期",
    STYLE_MARK: "征求意见标注",
}
HEADING_FONT_KEYS = {1: "heading1", 2: "heading2", 3: "body", 4: "body"}

W_T = qn("w:t")
W_R = qn("w:r")
W_P = qn("w:p")
W_PPR = qn("w:pPr")
W_RPR = qn("w:rPr")
W_VAL = qn("w:val")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
THEME_ATTRS = [qn(f"w:{name}") for name in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")]


def fonts():
    return settings.HUIGAO_FONTS


def export_docx(report, draft=False):
    """The report as DOCX bytes (final: clean; draft: 征求意见稿 with marks)."""
    buffer = io.BytesIO()
    build_document(report, draft=draft).save(buffer)
    return buffer.getvalue()


def export_filename(report, draft=False):
    """The file name the download gets: the report title (no characters file systems refuse)."""
    title = clean_text(report.title).replace("\n", " ").strip()
    for ch in '\\/:*?"<>|':
        title = title.replace(ch, "_")
    title = title or "report"
    return f"{title}（{DRAFT_HEADER}）.docx" if draft else f"{title}.docx"


def build_document(report, draft=False):
    """A python-docx Document of the whole report; two queries for the sections and measures."""
    with translation.override("zh-hans"):
        document = docx.Document()
        _set_up_page(document)
        _set_up_styles(document)
        _set_up_footers(document, draft)
        _set_properties(document, report)
        _tidy_package(document)
        body = document.element.body
        sect_pr = body[-1]
        builder = _BodyBuilder(draft)
        write_report(builder, report, draft)
        # One insertion pass: everything goes before the final w:sectPr.
        for p in builder.paragraphs:
            sect_pr.addprevious(p)
    return document


# ---------------------------------------------------------------- content


def write_report(b, report, draft):
    """Walk the report in reading order, calling b.paragraph(style_id, runs, …) for each paragraph.

    Shared by the DOCX and the HTML preview, so both show the same text, numbers and marks.
    Runs are (text, bold) or (text, bold, role) with role "tag" (department and state) or
    "pending" (the 【待报送】 mark).
    """
    b.paragraph(STYLE_TITLE, [(_line(report.title), False)], kind="title")
    b.paragraph(None, [], kind="blank")
    for text in paragraphs(report.preamble):
        b.paragraph(None, [(text, False)])

    bold_leads = report.bold_measure_leads
    run_in = report.measure_layout == MeasureLayout.RUN_IN
    lead_department = report.lead_department.display_name
    outline = report.outline()
    measures_of = measures_by_section(outline)
    has_children = {s.parent_id for s in outline}
    for section in outline:
        level = min(section.level, len(STYLE_HEADINGS))
        runs = [(section.label + _line(section.heading), False)]
        assignment = section.assignment if section.has_assignment else None
        if draft and assignment is not None:
            runs.append((f"〔{assignment.department.display_name}·{assignment.get_state_display()}〕", False, "tag"))
        b.paragraph(STYLE_HEADINGS[level], runs, kind=f"heading{level}", section=section)

        intro = paragraphs(section.intro)
        measures = numbered_measures(measures_of.get(section.pk, ()))
        if draft:
            empty = not intro and not measures and section.pk not in has_children
            pending = assignment is not None and assignment.state != AssignmentState.ACCEPTED
            if empty or pending:
                who = assignment.department.display_name if assignment is not None else lead_department
                b.paragraph(STYLE_MARK, [(f"【待报送：{who}】", False, "pending")], kind="pending", section=section)
        for text in intro:
            b.paragraph(None, [(text, False)])
        if run_in and measures:
            runs = []
            for measure in measures:
                runs.extend(_measure_runs(measure, bold_leads))
                text = runs[-1][0]
                if text and text[-1] not in SENTENCE_END + "；;":
                    runs.append(("。", False))
            b.paragraph(STYLE_MEASURE, runs, kind="measure")
        else:
            for measure in measures:
                b.paragraph(STYLE_MEASURE, _measure_runs(measure, bold_leads), kind="measure")

    for text in paragraphs(report.closing):
        b.paragraph(None, [(text, False)])
    _write_signature(b, report, draft)


def _measure_runs(measure, bold_leads):
    lead, body = clean_text(measure.lead), clean_text(measure.body)
    text = _line(join_measure(lead, body))
    if not bold_leads:
        return [(measure.ordinal + text, False)]
    # join_measure(lead, "") is always a prefix of join_measure(lead, body).
    head = _line(join_measure(lead, ""))
    runs = [(measure.ordinal + head, True)]
    if text[len(head) :]:
        runs.append((text[len(head) :], False))
    return runs


def issued_on_text(date):
    """2025年6月9日: Arabic numerals, no leading zeros."""
    return f"{date.year}年{date.month}月{date.day}日"


def text_width(text):
    """Width in characters of 16 pt: half-width (ASCII) characters count half."""
    return sum(0.5 if ord(ch) < 0x7F else 1 for ch in text)


def signature_indents(issuer, date_text):
    """Left indents (in characters) of the issuer and the date, per GB/T 9704 §7.3.5.2.

    The issuer stands 右空二字; the date starts two characters right of the issuer's start.
    A date that would then run past the issuer's right space stands 右空二字 itself and
    pushes the issuer left by as much.
    """
    issuer_w, date_w = text_width(issuer), text_width(date_text)
    issuer_left = CHARS_PER_LINE - 2 - issuer_w
    if date_text and issuer_left + 2 + date_w > CHARS_PER_LINE - 2:
        issuer_left = CHARS_PER_LINE - 2 - date_w - 2
    return max(issuer_left, 0), max(issuer_left + 2, 0)


def _write_signature(b, report, draft):
    issuer = _line(report.issuer)
    date_text = UNDATED if draft else ""
    if report.issued_on:
        date_text = issued_on_text(report.issued_on)
    elif report.issued_on_text:
        # A date still holding placeholders (2025年12月X日), kept as written (issue 6).
        date_text = _line(report.issued_on_text)
    if not issuer and not date_text:
        return
    issuer_left, date_left = signature_indents(issuer, date_text)
    b.paragraph(None, [], kind="blank")  # one blank line after the text
    if issuer:
        b.paragraph(STYLE_ISSUER, [(issuer, False)], left_chars=issuer_left, kind="issuer")
    if date_text:
        b.paragraph(STYLE_DATE, [(date_text, False)], left_chars=date_left, kind="date")


def _line(text):
    """A one-line text (title, heading, measure): clean, newlines become nothing."""
    return clean_text(text).replace("\n", "").strip()


class _BodyBuilder:
    """Builds w:p elements with lxml: w:pStyle by id, runs of w:r/w:t, no python-docx proxies."""

    def __init__(self, draft):
        self.draft = draft
        self.paragraphs = []

    def paragraph(self, style_id, runs, left_chars=None, kind="body", section=None):
        p = etree.Element(W_P)
        if style_id or left_chars is not None:
            ppr = etree.SubElement(p, W_PPR)
            if style_id:
                etree.SubElement(ppr, qn("w:pStyle")).set(W_VAL, style_id)
            if left_chars is not None:
                ind = etree.SubElement(ppr, qn("w:ind"))
                ind.set(qn("w:leftChars"), str(round(left_chars * 100)))
                ind.set(qn("w:left"), str(round(left_chars * CHAR_TWIPS)))
                ind.set(qn("w:firstLineChars"), "0")
                ind.set(qn("w:firstLine"), "0")
        for text, bold, *_role in runs:
            text = clean_text(text)
            if not text:
                continue
            if self.draft:
                for piece, is_placeholder in split_placeholders(text):
                    self._run(p, piece, bold, is_placeholder)
            else:
                self._run(p, text, bold, False)
        self.paragraphs.append(p)
        return p

    @staticmethod
    def _run(p, text, bold, highlight):
        r = etree.SubElement(p, W_R)
        rpr = etree.SubElement(r, W_RPR)
        # The hint makes Word and WPS set “ ” — … in the East Asian font, not the Latin one.
        etree.SubElement(rpr, qn("w:rFonts")).set(qn("w:hint"), "eastAsia")
        if bold:
            etree.SubElement(rpr, qn("w:b"))
            etree.SubElement(rpr, qn("w:bCs"))
        if highlight:
            etree.SubElement(rpr, qn("w:highlight")).set(W_VAL, "yellow")
        t = etree.SubElement(r, W_T)
        t.text = text.replace("\n", " ")
        t.set(XML_SPACE, "preserve")


# ---------------------------------------------------------------- page, styles, footers


def _set_up_page(document):
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(22)
    section.gutter = Mm(0)
    # No document grid: a linesAndChars grid gives 14 characters a line in LibreOffice.
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:
        grid.getparent().remove(grid)
    document.settings.odd_and_even_pages_header_footer = True
    lang = document.settings.element.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _el(tag, **attrs):
    element = etree.Element(qn(tag))
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _rpr(east_asia, size, latin=None, condense=CONDENSE, bold=False):
    latin = latin or fonts()["latin"]
    rpr = _el("w:rPr")
    rpr.append(_el("w:rFonts", ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin, hint="eastAsia"))
    rpr.append(_el("w:b", val=1 if bold else 0))
    rpr.append(_el("w:bCs", val=1 if bold else 0))
    rpr.append(_el("w:color", val="000000"))
    if condense:
        rpr.append(_el("w:spacing", val=condense))
    rpr.append(_el("w:sz", val=size))
    rpr.append(_el("w:szCs", val=size))
    rpr.append(_el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
    return rpr


def _ppr(jc="both", first_line_chars=200, outline_level=None, keep_next=False, line=LINE_TWIPS):
    ppr = _el("w:pPr")
    if keep_next:
        ppr.append(_el("w:keepNext"))
    ppr.append(_el("w:widowControl", val=0))
    ppr.append(_el("w:autoSpaceDE", val=0))
    ppr.append(_el("w:autoSpaceDN", val=0))
    if line:
        ppr.append(_el("w:spacing", before=0, beforeLines=0, after=0, afterLines=0, line=line, lineRule="exact"))
    else:
        ppr.append(_el("w:spacing", before=0, after=0, line=240, lineRule="auto"))
    ppr.append(
        _el("w:ind", left=0, leftChars=0, right=0, rightChars=0)
        if not first_line_chars
        else _el(
            "w:ind",
            left=0,
            leftChars=0,
            right=0,
            rightChars=0,
            firstLine=first_line_chars * CHAR_TWIPS // 100,
            firstLineChars=first_line_chars,
        )
    )
    ppr.append(_el("w:jc", val=jc))
    if outline_level is not None:
        ppr.append(_el("w:outlineLvl", val=outline_level))
    return ppr


def _set_style(styles_el, style_id, name, ppr, rpr, based_on="Normal", next_style="Normal"):
    style = styles_el.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
    if style is not None:
        styles_el.remove(style)
    style = _el("w:style", type="paragraph", styleId=style_id)
    if style_id == "Normal":
        style.set(qn("w:default"), "1")
    style.append(_el("w:name", val=name))
    if based_on:
        style.append(_el("w:basedOn", val=based_on))
    if next_style:
        style.append(_el("w:next", val=next_style))
    style.append(_el("w:qFormat"))
    style.append(ppr)
    style.append(rpr)
    styles_el.append(style)


def _set_up_styles(document):
    f = fonts()
    styles_el = document.styles.element
    # The template's theme would make East Asian text fall back to a Japanese font (#1601),
    # and Word/WPS may prefer a theme font to the named one: no theme attributes anywhere.
    for rfonts in styles_el.iter(qn("w:rFonts")):
        for attr in THEME_ATTRS:
            rfonts.attrib.pop(attr, None)
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is not None:
        styles_el.remove(defaults)
    defaults = _el("w:docDefaults")
    rpr_default = _el("w:rPrDefault")
    rpr_default.append(_rpr(f["body"], BODY_SIZE, condense=0))
    ppr_default = _el("w:pPrDefault")
    ppr_default.append(_el("w:pPr"))
    ppr_default[0].append(_el("w:spacing", before=0, after=0, line=LINE_TWIPS, lineRule="exact"))
    defaults.extend([rpr_default, ppr_default])
    styles_el.insert(0, defaults)

    _set_style(styles_el, "Normal", "Normal", _ppr(), _rpr(f["body"], BODY_SIZE), based_on=None, next_style=None)
    _set_style(
        styles_el,
        STYLE_TITLE,
        STYLE_NAMES[STYLE_TITLE],
        _ppr(jc="center", first_line_chars=0),
        _rpr(f["title"], TITLE_SIZE, condense=0),
    )
    for level, style_id in STYLE_HEADINGS.items():
        _set_style(
            styles_el,
            style_id,
            STYLE_NAMES[style_id],
            _ppr(outline_level=level - 1, keep_next=True),
            _rpr(f[HEADING_FONT_KEYS[level]], BODY_SIZE),
        )
    for style_id in (STYLE_MEASURE, STYLE_MARK):
        _set_style(styles_el, style_id, STYLE_NAMES[style_id], _ppr(), _rpr(f["body"], BODY_SIZE))
    for style_id in (STYLE_ISSUER, STYLE_DATE):
        _set_style(
            styles_el, style_id, STYLE_NAMES[style_id], _ppr(jc="left", first_line_chars=0), _rpr(f["body"], BODY_SIZE)
        )
    page_font = f["page_number"]
    _set_style(
        styles_el,
        "Footer",
        "footer",
        _ppr(jc="right", first_line_chars=0, line=None),
        _rpr(page_font, PAGE_NUMBER_SIZE, latin=page_font, condense=0),
    )
    _set_style(
        styles_el,
        "Header",
        "header",
        _ppr(jc="right", first_line_chars=0, line=None),
        _rpr(f["heading1"], BODY_SIZE, condense=0),
    )


def _page_number_paragraph(odd):
    """`— 1 —` from a PAGE field: odd pages right 右空一字, even pages left 左空一字."""
    p = _el("w:p")
    ppr = _el("w:pPr")
    ppr.append(_el("w:pStyle", val="Footer"))
    if odd:
        ppr.append(_el("w:ind", left=0, leftChars=0, right=PAGE_NUMBER_SIZE * 10, rightChars=100))
        ppr.append(_el("w:jc", val="right"))
    else:
        ppr.append(_el("w:ind", left=PAGE_NUMBER_SIZE * 10, leftChars=100, right=0, rightChars=0))
        ppr.append(_el("w:jc", val="left"))
    p.append(ppr)

    def run(child=None, text=None):
        r = _el("w:r")
        r.append(_el("w:rPr"))
        r[0].append(_el("w:rFonts", hint="eastAsia"))
        if child is not None:
            r.append(child)
        if text is not None:
            t = _el("w:t")
            t.text = text
            t.set(XML_SPACE, "preserve")
            r.append(t)
        return r

    p.append(run(text="— "))
    p.append(run(_el("w:fldChar", fldCharType="begin")))
    instr = _el("w:instrText")
    instr.text = " PAGE "
    instr.set(XML_SPACE, "preserve")
    p.append(run(instr))
    p.append(run(_el("w:fldChar", fldCharType="separate")))
    p.append(run(text="1"))
    p.append(run(_el("w:fldChar", fldCharType="end")))
    p.append(run(text=" —"))
    return p


def _replace_paragraphs(container, new_paragraphs):
    element = container._element
    for old in element.findall(W_P):
        element.remove(old)
    for p in new_paragraphs:
        element.append(p)


def _set_up_footers(document, draft):
    section = document.sections[0]
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    _replace_paragraphs(section.footer, [_page_number_paragraph(odd=True)])
    _replace_paragraphs(section.even_page_footer, [_page_number_paragraph(odd=False)])
    if draft:
        for header in (section.header, section.even_page_header):
            header.is_linked_to_previous = False
            p = _el("w:p")
            p.append(_el("w:pPr"))
            p[0].append(_el("w:pStyle", val="Header"))
            r = _el("w:r")
            t = _el("w:t")
            t.text = DRAFT_HEADER
            r.append(t)
            p.append(r)
            _replace_paragraphs(header, [p])


def _set_properties(document, report):
    props = document.core_properties
    props.title = _line(report.title)
    props.author = _line(report.issuer) or report.lead_department.name
    props.last_modified_by = props.author
    props.comments = ""
    props.revision = 1
    props.created = props.modified = timezone.now()


# Where a font of the older templates is missing, Word and WPS may use its altName instead.
ALT_NAMES = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"}
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _tidy_package(document):
    """List only the fonts the document uses, and drop the template's Word 2010 style copy.

    The template's font table names Japanese fonts (ＭＳ 明朝 …), and stylesWithEffects.xml
    repeats the styles with theme fonts; WPS warns about fonts it lacks.
    """
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel_id)
        elif rel.reltype.endswith("/fontTable"):
            rel.target_part._blob = _font_table()


def _font_table():
    root = etree.Element(qn("w:fonts"), nsmap={"w": W_NS})
    for name in dict.fromkeys(fonts().values()):
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        if name in ALT_NAMES:
            etree.SubElement(font, qn("w:altName")).set(W_VAL, ALT_NAMES[name])
        east_asian = not name.isascii()
        etree.SubElement(font, qn("w:charset")).set(W_VAL, "86" if east_asian else "00")
        etree.SubElement(font, qn("w:family")).set(W_VAL, "modern" if east_asian else "roman")
        etree.SubElement(font, qn("w:pitch")).set(W_VAL, "fixed" if east_asian else "variable")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
