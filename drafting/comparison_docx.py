"""The 修改对照稿 as a DOCX in the 公文 layout: the report export's page, styles and page numbers
(reports.docx_export.new_document), then each section's changes either as a table of three
columns (原文 / 修改后 / 修改理由) or inline, deletions struck through and insertions underlined.
The whole report's, or one section's (the same document holding that section alone).

With `full`, a second part 签发文本 follows on a new page: each signed section's whole text as
its department signed it, with who signed it and when. The changes come first because they are
what a superior reads; the signed texts are the record they can be checked against.

Paragraphs and tables are built with lxml and inserted in one pass, as the report export does.
"""

import io

from django.utils import translation
from django.utils.translation import gettext as _
from docx.oxml.ns import qn
from lxml import etree

from drafting.comparison import (
    ADDED,
    CHANGED,
    LOST,
    REMOVED,
    UNCHANGED,
    UNSIGNED,
    report_comparison,
    section_comparison,
)
from reports.document import single_line
from reports.docx_export import (
    CHAR_TWIPS,
    STYLE_HEADINGS,
    STYLE_TITLE,
    W_P,
    W_PPR,
    W_R,
    W_RPR,
    W_T,
    W_VAL,
    XML_SPACE,
    add_paragraph_style,
    filename_stem,
    new_document,
)
from reports.tables import table_element
from reports.text import clean_text

TABLE, INLINE = "table", "inline"
LAYOUTS = (TABLE, INLINE)
STYLE_CELL = "HuigaoComparisonCell"
STYLE_NOTE = "HuigaoComparisonNote"
STYLE_PART = "HuigaoComparisonPart"
CELL_SIZE = 28  # 4号 = 14 pt: three columns of 16 pt would hold eight characters a line
# The text area is 156 mm wide: 原文 and 修改后 share most of it, the reasons take the rest.
COLUMN_TWIPS = (3400, 3400, 2044)


def export_comparison(report, layout=TABLE, full=False):
    """The report's 修改对照稿 as DOCX bytes; with `full`, the signed texts after the changes."""
    return _bytes(build_comparison(report, layout, full))


def export_section_comparison(section, layout=TABLE, full=False):
    """One section's 修改对照稿 as DOCX bytes (the section as access.get_section_for_viewer gives it)."""
    return _bytes(build_section_comparison(section, layout, full))


def _bytes(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def exporter(report, inline=False, full=False):
    """What reports.docx_export.EXPORTERS["comparison"] calls (export_report --comparison)."""
    return export_comparison(report, INLINE if inline else TABLE, full), comparison_filename(report)


def comparison_filename(report):
    return f"{filename_stem(report.title)}（修改对照稿）.docx"


def section_comparison_filename(section):
    return f"{filename_stem(section.label + single_line(section.heading))}（修改对照稿）.docx"


def build_comparison(report, layout=TABLE, full=False):
    with translation.override("zh-hans"):
        items, counts = report_comparison(report, with_signed_text=full)
        return _build(report, items, counts, layout, full)


def build_section_comparison(section, layout=TABLE, full=False):
    with translation.override("zh-hans"):
        return _build(section.report, [section_comparison(section, with_signed_text=full)], None, layout, full)


def _build(report, items, counts, layout, full=False):
    """The document: the title, the summary (`counts`; a section's alone has none), each item,
    and with `full` the signed texts."""
    document = new_document(report)
    add_paragraph_style(document, STYLE_CELL, "对照表文字", size=CELL_SIZE, jc="left", first_line_chars=0, exact=False)
    add_paragraph_style(document, STYLE_NOTE, "对照稿说明")
    add_paragraph_style(document, STYLE_PART, "对照稿部分标题", jc="center", first_line_chars=0)
    body = []
    title = single_line(report.title)
    body.append(_paragraph(STYLE_TITLE, [(f"{title}\n{_('Revision comparison')}", None)]))
    body.append(_paragraph(None, []))
    if counts is not None:
        body.append(_paragraph(STYLE_NOTE, [(_summary(counts), None)]))
    if layout == INLINE:
        body.append(_paragraph(STYLE_NOTE, [(_("Deleted words are struck through, inserted words underlined."), None)]))
    if full:
        body.append(_part_heading(_("Part one: changes after sign-off"), new_page=False))
    for item in items:
        body.extend(_section(item, layout))
    if full:
        body.extend(_signed_part(items, report.table_font_size))
    if body[-1].tag != W_P:
        body.append(_paragraph(None, []))  # Word wants a paragraph between a table and the section's end
    sect_pr = document.element.body[-1]
    for element in body:
        sect_pr.addprevious(element)
    return document


def _summary(counts):
    return _("%(changed)d sections changed after sign-off, %(unchanged)d unchanged, %(unsigned)d not signed off.") % {
        "changed": counts[CHANGED],
        "unchanged": counts[UNCHANGED],
        "unsigned": counts[UNSIGNED] + counts[LOST],
    }


def section_status_line(item):
    """What the comparison says about a section before (or instead of) its changes."""
    parts = []
    if item.department:
        parts.append(_("Department: %(name)s") % {"name": item.department})
    if item.status == UNSIGNED:
        parts.append(_("Not signed off (%(state)s)") % {"state": item.state_label})
    else:
        parts.append(_("Signed off by %(who)s on %(day)s") % {"who": item.signer, "day": item.signed_at})
    if item.status == UNCHANGED:
        parts.append(_("No changes"))
    elif item.status == LOST:
        parts.append(_("The signed text is no longer on record"))
    return "　".join(parts)


def _section(item, layout):
    out = [
        _paragraph(STYLE_HEADINGS[min(item.level, 4)], [(f"{item.label}{item.heading}", None)]),
        _paragraph(STYLE_NOTE, [(section_status_line(item), None)]),
    ]
    if item.status != CHANGED:
        return out
    if item.reordered:
        line = _("The order of the measures changed.")
        if item.order_reasons:
            line += _("(Reason: %(reasons)s)") % {"reasons": "；".join(item.order_reasons)}
        out.append(_paragraph(STYLE_NOTE, [(line, None)]))
    if layout == INLINE:
        for row in item.rows:
            out.extend(_inline_row(row))
    elif item.rows:
        out.append(_table(item.rows))
    if item.other_reasons:
        reasons = "；".join(item.other_reasons)
        out.append(
            _paragraph(STYLE_NOTE, [(_("Reasons of earlier changes: %(reasons)s") % {"reasons": reasons}, None)])
        )
    return out


# ------------------------------------------------------------------ the signed texts


def signed_line(item):
    """Whose text a section's signed text is: the department, who signed it and when."""
    parts = []
    if item.department:
        parts.append(_("Department: %(name)s") % {"name": item.department})
    parts.append(_("Signed off by %(who)s on %(day)s") % {"who": item.signer, "day": item.signed_at})
    return "　".join(parts)


def _signed_part(items, table_font_size):
    """Part two: each signed section's text as it was signed, in the report's order."""
    signed = [item for item in items if item.signed_text is not None]
    out = [
        _part_heading(_("Part two: the texts as signed off"), new_page=True),
        _paragraph(
            STYLE_NOTE,
            [(_("Each section below is the text its department signed off, before any later change."), None)],
        ),
    ]
    if not signed:
        out.append(_paragraph(STYLE_NOTE, [(_("No section has been signed off."), None)]))
    for item in signed:
        text = item.signed_text
        out.append(_paragraph(STYLE_HEADINGS[min(item.level, 4)], [(f"{item.label}{single_line(text.heading)}", None)]))
        out.append(_paragraph(STYLE_NOTE, [(signed_line(item), None)]))
        out.extend(_paragraph(None, [(line, None)]) for line in text.intro)
        for measure in text.measures:
            if measure.ordinal:
                out.append(_paragraph(None, [(measure.ordinal + measure.text, None)]))
            if measure.table:
                out.append(table_element(measure.table, font_size_pt=table_font_size))
    return out


def _part_heading(text, new_page):
    p = _paragraph(STYLE_PART, [(text, None)], bold=True)
    if new_page:
        p.find(W_PPR).append(_el("w:pageBreakBefore"))
    return p


# ------------------------------------------------------------------ inline


def _label_runs(row):
    if row.status == ADDED:
        return [(row.new_label, "inserted")]
    if row.status == REMOVED:
        return [(row.old_label, "deleted")]
    if row.old_label != row.new_label and row.kind == "measure":
        return [(row.old_label, "deleted"), (row.new_label, "inserted")]
    return [(row.new_label, None)]


def _marks(fragments, kind):
    return [(text, kind if changed else None) for text, changed in fragments]


def _inline_row(row):
    runs = _label_runs(row) + [(text, None if kind == "same" else kind) for text, kind in row.inline]
    out = [_paragraph(None, line) for line in _lines(runs)]
    reasons = "；".join(row.reasons) if row.reasons else "—"
    out.append(_paragraph(STYLE_NOTE, [(_("(Reason: %(reasons)s)") % {"reasons": reasons}, None)]))
    return out


# ------------------------------------------------------------------ table


def _table(rows):
    tbl = _el("w:tbl")
    tbl_pr = etree.SubElement(tbl, qn("w:tblPr"))
    _sub(tbl_pr, "w:tblW", w=sum(COLUMN_TWIPS), type="dxa")
    borders = etree.SubElement(tbl_pr, qn("w:tblBorders"))
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _sub(borders, f"w:{side}", val="single", sz=4, space=0, color="000000")
    _sub(tbl_pr, "w:tblLayout", type="fixed")
    margins = etree.SubElement(tbl_pr, qn("w:tblCellMar"))
    for side in ("left", "right"):
        _sub(margins, f"w:{side}", w=CHAR_TWIPS // 4, type="dxa")
    grid = etree.SubElement(tbl, qn("w:tblGrid"))
    for width in COLUMN_TWIPS:
        _sub(grid, "w:gridCol", w=width)
    header = [[[(text, None)]] for text in (_("Original"), _("Revised"), _("Reason for the change"))]
    tbl.append(_table_row(header, header=True))
    for row in rows:
        old = [(_("(added)"), None)] if row.status == ADDED else [(row.old_label, None), *_marks(row.old, "deleted")]
        new = (
            [(_("(deleted)"), None)] if row.status == REMOVED else [(row.new_label, None), *_marks(row.new, "inserted")]
        )
        reasons = [[(reason, None)] for reason in row.reasons] or [[("—", None)]]
        tbl.append(_table_row([_lines(old), _lines(new), reasons]))
    return tbl


def _table_row(cells, header=False):
    """A row of three cells, each given as its paragraphs (lists of runs)."""
    tr = _el("w:tr")
    tr_pr = etree.SubElement(tr, qn("w:trPr"))
    if header:
        _sub(tr_pr, "w:tblHeader")
    for lines, width in zip(cells, COLUMN_TWIPS, strict=True):
        tc = etree.SubElement(tr, qn("w:tc"))
        tc_pr = etree.SubElement(tc, qn("w:tcPr"))
        _sub(tc_pr, "w:tcW", w=width, type="dxa")
        for line in lines:
            tc.append(_paragraph(STYLE_CELL, line, bold=header))
    return tr


# ------------------------------------------------------------------ paragraphs and runs


def _lines(runs):
    """Runs cut into paragraphs at the line breaks of the text (an intro has several)."""
    lines = [[]]
    for text, mark in runs:
        for number, piece in enumerate(clean_text(text).split("\n")):
            if number:
                lines.append([])
            if piece:
                lines[-1].append((piece, mark))
    return [line for line in lines if line] or [[]]


def _paragraph(style_id, runs, bold=False):
    p = etree.Element(W_P)
    if style_id:
        ppr = etree.SubElement(p, W_PPR)
        etree.SubElement(ppr, qn("w:pStyle")).set(W_VAL, style_id)
    for text, mark in runs:
        text = clean_text(text)
        if text:
            _run(p, text, mark, bold)
    return p


def _run(p, text, mark, bold):
    r = etree.SubElement(p, W_R)
    rpr = etree.SubElement(r, W_RPR)
    etree.SubElement(rpr, qn("w:rFonts")).set(qn("w:hint"), "eastAsia")
    if bold:
        etree.SubElement(rpr, qn("w:b"))
    if mark == "deleted":
        etree.SubElement(rpr, qn("w:strike"))
    elif mark == "inserted":
        etree.SubElement(rpr, qn("w:u")).set(W_VAL, "single")
    for number, line in enumerate(text.split("\n")):
        if number:
            etree.SubElement(r, qn("w:br"))
        if line:
            t = etree.SubElement(r, W_T)
            t.text = line
            t.set(XML_SPACE, "preserve")


def _el(tag):
    return etree.Element(qn(tag))


def _sub(parent, tag, **attrs):
    element = etree.SubElement(parent, qn(tag))
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), str(value))
    return element
