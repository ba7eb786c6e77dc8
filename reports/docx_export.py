"""The report as a DOCX laid out like a Chinese official document (GB/T 9704-2012).

The layout is DESIGN.md's "DOCX layout" table. What python-docx cannot express (East Asian
fonts, indents in characters, condensed spacing, outline levels, PAGE fields) is written as
WordprocessingML directly, and the body paragraphs are built with lxml and inserted before the
final w:sectPr in one pass: `Document.add_paragraph` scans the body for w:sectPr on every call
(python-docx #408), `paragraph.style` scans every style, `run.text` appends character by
character — together they made a large export quadratic and slower than pandoc.
"""

import copy
import io

import docx
from django.conf import settings
from django.utils import timezone, translation
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from reports import tables
from reports.document import DRAFT_HEADER, single_line, write_report
from reports.placeholders import split_placeholders
from reports.text import clean_text

# Sizes in half-points (w:sz), spacing in twentieths of a point (twips).
BODY_SIZE = 32  # 3号 = 16 pt
TITLE_SIZE = 44  # 2号 = 22 pt
PAGE_NUMBER_SIZE = 28  # 4号 = 14 pt
LINE_TWIPS = 579  # exactly 28.95 pt: 22 lines in the 225 mm text area
# 28 characters of 16 pt are 448 pt, the text area is 442 pt wide: condense by 0.25 pt.
CONDENSE = -5
CHAR_TWIPS = 320  # one character of 16 pt; the twips fallback of the *Chars indents
TEXT_WIDTH_TWIPS = 8844  # the text area's 156 mm
LEFT_MARGIN_TWIPS = 1587  # 28 mm
BOTTOM_MARGIN_TWIPS = 1984  # 35 mm
CELL_MARGIN_TWIPS = 57  # 1 mm inside a table's cells
TABLE_SIZE = BODY_SIZE
# 附件说明 in characters from the text edge: 附件： starts 左空二字, the numbers after it, the
# titles after room for a number and its point (1. up to 9., then 10. …) in a fallback font.
NOTE_STARTS_AT, NOTE_NUMBERS_AT, NOTE_NUMBER_ROOM = 2, 5, 2
# 版记: 4号 (14 pt) text; the first and last rules 0.35 mm (w:sz 8 = 1 pt), those between 0.25 mm (6 = 0.75 pt).
IMPRINT_SIZE = 28
IMPRINT_CHAR_TWIPS = 280
IMPRINT_THICK, IMPRINT_THIN = 8, 6
IMPRINT_DATE_TWIPS = 3600  # 2026年12月31日印发 and its 右空一字, with room for fallback digits

# Style ids (stable, ASCII) → display names the user sees in Word/WPS's style gallery.
STYLE_TITLE = "HuigaoTitle"
STYLE_HEADINGS = {1: "HuigaoHeading1", 2: "HuigaoHeading2", 3: "HuigaoHeading3", 4: "HuigaoHeading4"}
STYLE_ADDRESSEE = "HuigaoAddressee"
STYLE_MEASURE = "HuigaoMeasure"
STYLE_ISSUER = "HuigaoIssuer"
STYLE_DATE = "HuigaoDate"
STYLE_MARK = "HuigaoDraftMark"
STYLE_ATTACHMENT_NOTE = "HuigaoAttachmentNote"
STYLE_ANNOTATION = "HuigaoAnnotation"
STYLE_ATTACHMENT_LABEL = "HuigaoAttachmentLabel"
STYLE_TABLE_TEXT = "HuigaoTableText"
STYLE_IMPRINT = "HuigaoImprint"
STYLE_NAMES = {
    STYLE_TITLE: "公文标题",
    STYLE_HEADINGS[1]: "公文一级标题",
    STYLE_HEADINGS[2]: "公文二级标题",
    STYLE_HEADINGS[3]: "公文三级标题",
    STYLE_HEADINGS[4]: "公文四级标题",
    STYLE_ADDRESSEE: "主送机关",
    STYLE_MEASURE: "公文举措",
    STYLE_ISSUER: "发文机关署名",
    STYLE_DATE: "成文日期",
    STYLE_MARK: "征求意见标注",
    STYLE_ATTACHMENT_NOTE: "附件说明",
    STYLE_ANNOTATION: "附注",
    STYLE_ATTACHMENT_LABEL: "附件标注",
    STYLE_TABLE_TEXT: "表格文字",
    STYLE_IMPRINT: "版记",
}
HEADING_FONT_KEYS = {1: "heading1", 2: "heading2", 3: "body", 4: "body"}
# The report walk's paragraph kinds (reports/document.py) → style ids; body and blank are Normal.
KIND_STYLES = {
    "title": STYLE_TITLE,
    "addressee": STYLE_ADDRESSEE,
    **{f"heading{level}": style_id for level, style_id in STYLE_HEADINGS.items()},
    "pending": STYLE_MARK,
    "measure": STYLE_MEASURE,
    "issuer": STYLE_ISSUER,
    "date": STYLE_DATE,
    "annotation": STYLE_ANNOTATION,
    "attachment_label": STYLE_ATTACHMENT_LABEL,
    # An attachment's title is set as the report's (8.2: 附件格式要求同正文).
    "attachment_title": STYLE_TITLE,
}

W_T = qn("w:t")
W_R = qn("w:r")
W_BR = qn("w:br")
W_P = qn("w:p")
W_TBL = qn("w:tbl")
W_PPR = qn("w:pPr")
W_RPR = qn("w:rPr")
W_VAL = qn("w:val")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
THEME_ATTRS = [qn(f"w:{name}") for name in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")]


# Documents other apps make from a report, by name (drafting registers the 修改对照稿 as
# "comparison" when it is ready): `reports` never imports `drafting`, and export_report offers them.
# Each is called as exporter(report, inline=bool) and returns (DOCX bytes, file name).
EXPORTERS = {}


def fonts():
    return settings.HUIGAO_FONTS


def export_docx(report, draft=False, blank_page_before_imprint=False, walk=None):
    """The report as DOCX bytes (final: clean; draft: 征求意见稿 with marks).

    blank_page_before_imprint: the text is known to end on an even page (reports/exporting.py
    lays it out to find out), so the 版记 goes two pages on, and neither the blank page nor the
    版记's page is numbered (GB/T 9704 7.5.4). walk: see build_document."""
    buffer = io.BytesIO()
    build_document(report, draft=draft, blank_page_before_imprint=blank_page_before_imprint, walk=walk).save(buffer)
    return buffer.getvalue()


def export_filename(report, draft=False):
    """The file name the download gets: the report title (no characters file systems refuse)."""
    title = filename_stem(report.title)
    return f"{title}（{DRAFT_HEADER}）.docx" if draft else f"{title}.docx"


def filename_stem(title):
    """A report title as the start of a download's file name: one line, no characters file systems refuse."""
    title = clean_text(title).replace("\n", " ").strip()
    for ch in '\\/:*?"<>|':
        title = title.replace(ch, "_")
    return title or "report"


def build_document(report, draft=False, blank_page_before_imprint=False, walk=None):
    """A python-docx Document of the whole report; two queries for the sections and measures,
    none when `walk` (a Walk of this report) already holds them."""
    with translation.override("zh-hans"):
        document = new_document(report, draft)
        body = document.element.body
        sect_pr = body[-1]
        builder = _BodyBuilder(draft, report.table_font_size)
        if walk is None:
            write_report(builder, report, draft)
        else:
            walk.replay(builder)
        if builder.paragraphs and builder.paragraphs[-1].tag == W_TBL:
            builder.paragraph("body", [])  # Word wants a paragraph between a table and the section's end
        # One insertion pass: everything goes before the final w:sectPr.
        for p in builder.paragraphs:
            sect_pr.addprevious(p)
        if builder.imprint_table is not None:
            _add_imprint_section(sect_pr, builder.paragraphs, builder.imprint_table, blank_page_before_imprint)
            if blank_page_before_imprint:
                # The blank page's section and the 版记's have footers of their own, empty.
                for section in document.sections[1:]:
                    for footer in (section.footer, section.even_page_footer):
                        footer.is_linked_to_previous = False
                        _replace_paragraphs(footer, [_el("w:p")])
    return document


def new_document(report, draft=False):
    """An empty document with the 公文 page, styles, page numbers and properties: the report's
    export and the other documents made from a report (the 修改对照稿) start from it."""
    document = docx.Document()
    _set_up_page(document)
    _set_up_styles(document)
    _set_up_footers(document, draft)
    _set_properties(document, report)
    _tidy_package(document, draft)
    return document


def add_paragraph_style(document, style_id, name, *, size=BODY_SIZE, jc="both", first_line_chars=200, exact=True):
    """One more named paragraph style in the body font (after new_document, which drops unused ones).

    exact=False: single line spacing instead of the body's exact 28.95 pt, for text in table cells."""
    _set_style(
        document.styles.element,
        style_id,
        name,
        _ppr(jc=jc, first_line_chars=first_line_chars, line=LINE_TWIPS if exact else None),
        _rpr(fonts()["body"], size),
    )


def _add_imprint_section(sect_pr, paragraphs, imprint, blank_page_before=False):
    """The 版记 on the last page, an even one, its last rule on the text area's lower edge (7.5).

    The text so far ends a section (the last paragraph carries a copy of the page's w:sectPr);
    the last section, which holds only the 版记, starts on the next even page (w:type evenPage:
    Word and LibreOffice insert a blank page when the text ends on an even page). The 版记 is a
    table floating at the bottom of the text area (w:tblpPr vertAnchor=margin, tblpYSpec=bottom),
    anchored to the section's one empty paragraph, so it stands at the foot of the page whatever
    its number of lines.

    blank_page_before: the text ends on an even page. The blank page is then a section of its
    own, one empty paragraph on a new page, rather than the one a word processor inserts: an
    inserted page has no footer of its own, and Word and LibreOffice disagree on which one it
    shows. Both that page and the 版记's stay unnumbered (7.5.4); build_document empties their
    footers.
    """
    last = paragraphs[-1] if paragraphs and paragraphs[-1].tag == W_P else None
    if last is None:
        last = etree.Element(W_P)
        sect_pr.addprevious(last)
    ppr = last.find(W_PPR)
    if ppr is None:
        ppr = etree.Element(W_PPR)
        last.insert(0, ppr)
    ppr.append(copy.deepcopy(sect_pr))
    if blank_page_before:
        blank = etree.Element(W_P)
        blank_ppr = etree.SubElement(blank, W_PPR)
        blank_sect = _later_section(copy.deepcopy(sect_pr), "nextPage")
        blank_ppr.append(blank_sect)
        sect_pr.addprevious(blank)
    # An empty paragraph opens the section: LibreOffice starts the new page at the section's
    # first paragraph, and one inside the floating table would lose the break.
    sect_pr.addprevious(etree.Element(W_P))
    sect_pr.addprevious(imprint)
    sect_pr.addprevious(etree.Element(W_P))
    _later_section(sect_pr, "evenPage")


def _later_section(sect_pr, start):
    """A section after the text's: the same page, starting on the next page or the next even
    one, inheriting the footers (numbers run on) unless given its own; no first-page header:
    the draft mark belongs to the report's first page only."""
    for child in list(sect_pr):
        if child.tag in (qn("w:headerReference"), qn("w:footerReference"), qn("w:titlePg"), qn("w:type")):
            sect_pr.remove(child)
    sect_pr.find(qn("w:pgSz")).addprevious(_el("w:type", val=start))
    return sect_pr


def _is_signature(p):
    style = p.find(f"{W_PPR}/{qn('w:pStyle')}")
    return style is not None and style.get(W_VAL) in (KIND_STYLES.get("issuer"), KIND_STYLES.get("date"))


class _BodyBuilder:
    """Builds w:p elements with lxml: w:pStyle by id, runs of w:r/w:t, no python-docx proxies."""

    def __init__(self, draft, table_font_size=BODY_SIZE // 2):
        self.draft = draft
        self.table_font_size = table_font_size
        self.paragraphs = []  # w:p and w:tbl elements, in order
        self.imprint_table = None  # the 版记's w:tbl, placed last by build_document

    def attachment_note(self, items):
        """附件：1. … with each title's lines aligned on its first character and later numbers
        under the first (7.3.4): tab stops where the numbers and the titles start, and a
        hanging indent back to where each first line starts (2 characters for 附件：, else 5)."""
        numbered = bool(items[0][0])
        title_at = NOTE_NUMBERS_AT + (NOTE_NUMBER_ROOM if len(items) < 10 else NOTE_NUMBER_ROOM + 0.5)
        if not numbered:
            title_at = NOTE_NUMBERS_AT
        for index, (number, title) in enumerate(items):
            starts_at = NOTE_STARTS_AT if index == 0 else NOTE_NUMBERS_AT
            p = etree.Element(W_P)
            ppr = etree.SubElement(p, W_PPR)
            etree.SubElement(ppr, qn("w:pStyle")).set(W_VAL, STYLE_ATTACHMENT_NOTE)
            tabs = etree.SubElement(ppr, qn("w:tabs"))
            for at in dict.fromkeys((NOTE_NUMBERS_AT, title_at)):
                tabs.append(_el("w:tab", val="left", pos=round(at * CHAR_TWIPS)))
            ppr.append(
                _el(
                    "w:ind",
                    left=round(title_at * CHAR_TWIPS),
                    leftChars=round(title_at * 100),
                    hanging=round((title_at - starts_at) * CHAR_TWIPS),
                    hangingChars=round((title_at - starts_at) * 100),
                )
            )
            pieces = ["附件：", "\t"] if index == 0 else []
            if numbered:
                pieces += [f"{number}.", "\t"]
            pieces.append(title)
            for piece in pieces:
                if piece == "\t":
                    etree.SubElement(p, W_R).append(_el("w:tab"))
                else:
                    self._runs(p, piece, False)
            self.paragraphs.append(p)

    def imprint(self, cc_line, printed_by, printed_line):
        """The 版记 as a table floating at the foot of the page: 抄送 over 印发机关 and 印发日期,
        thick rules first and last, a thin one between (7.5).

        The table stands on the page's lower edge (vertAnchor page, tblpYSpec bottom) and ends
        in an empty, unruled row as high as the bottom margin, so its last rule lies on the text
        area's lower edge whatever the number of lines above it. (Placed at the bottom of the
        margins instead, LibreOffice would measure from below the footer, not from the text area
        as Word does.)"""
        tbl = _el("w:tbl")
        tbl_pr = _el("w:tblPr")
        tbl_pr.append(
            _el(
                "w:tblpPr",
                leftFromText=0,
                rightFromText=0,
                topFromText=0,
                bottomFromText=0,
                vertAnchor="page",
                tblpYSpec="bottom",
                # Placed from the page's edge at the left margin, not centred in the margins:
                # LibreOffice floats a table as wide as the text area only when it is placed so.
                horzAnchor="page",
                tblpX=LEFT_MARGIN_TWIPS,
            )
        )
        tbl_pr.append(_el("w:tblOverlap", val="never"))
        tbl_pr.append(_el("w:tblW", w=TEXT_WIDTH_TWIPS, type="dxa"))
        borders = _el("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(_el(f"w:{edge}", val="nil"))
        tbl_pr.append(borders)
        tbl_pr.append(_el("w:tblLayout", type="fixed"))
        margins = _el("w:tblCellMar")
        for edge in ("top", "left", "bottom", "right"):
            margins.append(_el(f"w:{edge}", w=0, type="dxa"))
        tbl_pr.append(margins)
        tbl.append(tbl_pr)
        date_column = IMPRINT_DATE_TWIPS
        grid = _el("w:tblGrid")
        grid.append(_el("w:gridCol", w=TEXT_WIDTH_TWIPS - date_column))
        grid.append(_el("w:gridCol", w=date_column))
        tbl.append(grid)

        def rule(size):
            return {"val": "single", "sz": size, "space": 0, "color": "000000"} if size else {"val": "nil"}

        def cell(text, width, top, bottom, span=1, **ind):
            tc = _el("w:tc")
            tc_pr = _el("w:tcPr")
            tc_pr.append(_el("w:tcW", w=width, type="dxa"))
            if span > 1:
                tc_pr.append(_el("w:gridSpan", val=span))
            cell_borders = _el("w:tcBorders")
            cell_borders.append(_el("w:top", **rule(top)))
            cell_borders.append(_el("w:bottom", **rule(bottom)))
            tc_pr.append(cell_borders)
            tc_pr.append(_el("w:vAlign", val="center"))
            tc.append(tc_pr)
            p = etree.SubElement(tc, W_P)
            ppr = etree.SubElement(p, W_PPR)
            etree.SubElement(ppr, qn("w:pStyle")).set(W_VAL, STYLE_IMPRINT)
            # *Chars 0: the indents are the twips given (characters of 14 pt, not the style's 16).
            ppr.append(_el("w:ind", leftChars=0, rightChars=0, **ind))
            if ind.get("right"):
                ppr.append(_el("w:jc", val="right"))
            self._runs(p, text, False)
            return tc

        def row(*cells, height=None):
            tr = _el("w:tr")
            tr_pr = _el("w:trPr")
            tr_pr.append(_el("w:cantSplit"))
            if height:
                tr_pr.append(_el("w:trHeight", val=height, hRule="exact"))
            tr.append(tr_pr)
            tr.extend(cells)
            tbl.append(tr)

        if cc_line:
            # 左右各空一字; a second line starts under the first office, after 抄送： (7.5.2).
            row(
                cell(
                    cc_line,
                    TEXT_WIDTH_TWIPS,
                    IMPRINT_THICK,
                    IMPRINT_THIN,
                    span=2,
                    left=4 * IMPRINT_CHAR_TWIPS,
                    hangingChars=0,
                    hanging=3 * IMPRINT_CHAR_TWIPS,
                    right=IMPRINT_CHAR_TWIPS,
                )
            )
        # 印发机关 左空一字, 印发日期 右空一字 (7.5.3).
        top = IMPRINT_THIN if cc_line else IMPRINT_THICK
        no_first_line = {"firstLineChars": 0, "firstLine": 0}
        row(
            cell(
                printed_by,
                TEXT_WIDTH_TWIPS - date_column,
                top,
                IMPRINT_THICK,
                left=IMPRINT_CHAR_TWIPS,
                right=0,
                **no_first_line,
            ),
            cell(printed_line, date_column, top, IMPRINT_THICK, left=0, right=IMPRINT_CHAR_TWIPS, **no_first_line),
        )
        # The bottom margin, below the last rule.
        row(
            cell("", TEXT_WIDTH_TWIPS, IMPRINT_THICK, 0, span=2, left=0, right=0, **no_first_line),
            height=BOTTOM_MARGIN_TWIPS,
        )
        self.imprint_table = tbl

    def _runs(self, p, text, bold):
        text = clean_text(text)
        if not text:
            return
        if self.draft:
            for piece, is_placeholder in split_placeholders(text):
                self._run(p, piece, bold, is_placeholder)
        else:
            self._run(p, text, bold, False)

    def table(self, table, limits=tables.SECTION):
        if table:
            self.paragraphs.append(
                tables.table_element(
                    table, font_size_pt=self.table_font_size, mark_placeholders=self.draft, limits=limits
                )
            )

    def paragraph(self, kind, runs, left_chars=None):
        style_id = KIND_STYLES.get(kind)
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
            self._runs(p, text, bold)
        if kind in ("issuer", "date"):
            self._keep_with_text_above()
        self.paragraphs.append(p)
        return p

    def _keep_with_text_above(self):
        """The signature never stands alone on a page: the blank line, the issuer and the last
        paragraph of the text above keep with what follows them (w:keepNext), so a page break
        falling there takes the text's last line over with the signature."""
        for previous in reversed(self.paragraphs):
            if previous.tag != W_P:
                return
            ppr = previous.find(W_PPR)
            if ppr is None:
                ppr = etree.Element(W_PPR)
                previous.insert(0, ppr)
            if ppr.find(qn("w:keepNext")) is None:
                style = ppr.find(qn("w:pStyle"))
                keep = etree.Element(qn("w:keepNext"))
                if style is None:
                    ppr.insert(0, keep)
                else:
                    style.addnext(keep)
            if previous.find(W_R) is not None and not _is_signature(previous):
                return

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
        # Only the title holds newlines: its lines of sense, broken with w:br in one paragraph.
        for number, line in enumerate(text.split("\n")):
            if number:
                etree.SubElement(r, W_BR)
            if line:
                t = etree.SubElement(r, W_T)
                t.text = line
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


def _ppr(
    jc="both", first_line_chars=200, outline_level=None, keep_next=False, line=LINE_TWIPS, page_break_before=False
):
    """A style's paragraph properties.

    Widow control stays off: GB/T 9704 sets the body on a fixed grid of 22 lines a page, and
    widow control would pull a paragraph's second-last line over to the next page, leaving
    pages of 21 lines; a paragraph's last line at the top of a page is the lesser evil.
    Punctuation never hangs past the right margin (overflowPunct off) and the line-breaking
    rules (kinsoku) keep ，。、 off the start of a line and “（ off its end, as Word's Chinese
    defaults do.
    """
    ppr = _el("w:pPr")
    if keep_next:
        ppr.append(_el("w:keepNext"))
    if page_break_before:
        ppr.append(_el("w:pageBreakBefore"))
    ppr.append(_el("w:widowControl", val=0))
    ppr.append(_el("w:kinsoku", val=1))
    ppr.append(_el("w:overflowPunct", val=0))
    ppr.append(_el("w:autoSpaceDE", val=0))
    ppr.append(_el("w:autoSpaceDN", val=0))
    if line:
        ppr.append(_el("w:spacing", before=0, beforeLines=0, after=0, afterLines=0, line=line, lineRule="exact"))
    else:
        ppr.append(_el("w:spacing", before=0, after=0, line=240, lineRule="auto"))
    # A style without a first-line indent says so: left out, it would inherit Normal's two characters.
    ppr.append(
        _el("w:ind", left=0, leftChars=0, right=0, rightChars=0, firstLine=0, firstLineChars=0)
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
    for style_id in (STYLE_MEASURE, STYLE_MARK, STYLE_ANNOTATION):
        _set_style(styles_el, style_id, STYLE_NAMES[style_id], _ppr(), _rpr(f["body"], BODY_SIZE))
    # 附件1: 3号黑体, flush left on the first line of a new page (7.4).
    _set_style(
        styles_el,
        STYLE_ATTACHMENT_LABEL,
        STYLE_NAMES[STYLE_ATTACHMENT_LABEL],
        _ppr(jc="left", first_line_chars=0, keep_next=True, page_break_before=True),
        _rpr(f["heading1"], BODY_SIZE),
    )
    _set_style(
        styles_el,
        STYLE_TABLE_TEXT,
        STYLE_NAMES[STYLE_TABLE_TEXT],
        _ppr(jc="left", first_line_chars=0),
        _rpr(f["body"], TABLE_SIZE),
    )
    _set_style(
        styles_el,
        STYLE_IMPRINT,
        STYLE_NAMES[STYLE_IMPRINT],
        _ppr(jc="left", first_line_chars=0),
        _rpr(f["body"], IMPRINT_SIZE, condense=0),
    )
    for style_id in (STYLE_ATTACHMENT_NOTE, STYLE_ADDRESSEE, STYLE_ISSUER, STYLE_DATE):
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
    # 一字 is one character of the body (16 pt), in twips: a *Chars value would count the
    # page number's own 14 pt.
    no_first_line = {"firstLine": 0, "firstLineChars": 0}
    if odd:
        ppr.append(_el("w:ind", left=0, leftChars=0, right=CHAR_TWIPS, rightChars=0, **no_first_line))
        ppr.append(_el("w:jc", val="right"))
    else:
        ppr.append(_el("w:ind", left=CHAR_TWIPS, leftChars=0, right=0, rightChars=0, **no_first_line))
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
        # 征求意见稿 on the first page only (w:titlePg): the first page's footer numbers it as
        # the odd footer does, and the later pages keep no header at all.
        section.different_first_page_header_footer = True
        section.first_page_footer.is_linked_to_previous = False
        _replace_paragraphs(section.first_page_footer, [_page_number_paragraph(odd=True)])
        header = section.first_page_header
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
    props.title = single_line(report.title)
    props.author = report.lead_department.name
    props.last_modified_by = props.author
    props.comments = ""
    props.revision = 1
    props.created = props.modified = timezone.now()


# Where a font of the older templates is missing, Word and WPS may use its altName instead.
ALT_NAMES = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"}
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# The template's parts the document does without: a Word 2010 copy of the styles with theme
# fonts, a theme whose fonts are Calibri, Cambria and ＭＳ 明朝, list definitions (numbers are
# plain text), a bibliography store and a blank thumbnail. A part no relationship names is not saved.
DROPPED_PARTS = ("/stylesWithEffects", "/theme", "/numbering", "/customXml", "/thumbnail")
APP_PROPERTIES = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>Huigao</Application></Properties>"
)


def _tidy_package(document, draft):
    """Only what the document uses: its fonts, its styles, no template leftovers; app.xml says
    which program wrote it. WPS warns about fonts it lacks, and a user restyling the document
    should find the report's styles, not a template's hundred and seventy."""
    for owner in (document.part, document.part.package):
        for rel_id, rel in list(owner.rels.items()):
            if rel.reltype.endswith(DROPPED_PARTS):
                # Nothing in the XML names these by r:id: the relationship alone ties them in.
                owner.rels.pop(rel_id)
            elif rel.reltype.endswith("/fontTable"):
                rel.target_part._blob = _font_table()
            elif rel.reltype.endswith("/extended-properties"):
                rel.target_part._blob = APP_PROPERTIES
    _drop_unused_styles(document, draft)


def _drop_unused_styles(document, draft):
    """Keep the report's styles and the defaults Word falls back to (w:default), drop the rest."""
    used = {"Normal", "Footer", *STYLE_NAMES}
    if draft:
        used.add("Header")
    styles_el = document.styles.element
    for style in styles_el.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in used and style.get(qn("w:default")) not in ("1", "true"):
            styles_el.remove(style)


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
