"""Tables in a report: the one data format, its limits, tab-separated paste and the Word table.

A table is plain JSON, the same wherever it lives (a measure's table, an attachment's):

    {"header": true, "rows": [["列1", "列2"], ["a", "b"]]}

`header` says the first row is a header row (repeated on every page in Word). Every row has the
same number of cells; a cell is text whose lines are separated by "\\n". `normalise` turns
anything a form, an import or a script hands over into that shape, or refuses it with a message
in Chinese; the limits (SECTION for a measure's table, the larger ATTACHMENT for an
attachment's) keep every table a request handles small (bounded work in the editor, the
preview and the export). A table whose cells are all empty is no table (None).

Excel and WPS copy a range as tab-separated text: cells separated by tabs, rows by line ends,
and a cell holding a tab, a line break or a quote mark wrapped in "…" with its quote marks
doubled. The csv module reads exactly that dialect.
"""

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.table import Table
from lxml import etree

from reports.placeholders import split_placeholders
from reports.text import clean_text, one_line

MAX_ROWS = 100
MAX_COLUMNS = 12
MAX_CELL_CHARS = 1000
# A whole table's text: 100 rows of 12 cells of a thousand characters would be 1.2 million.
MAX_TABLE_CHARS = 30_000
# Pasted or posted tab-separated text is refused past this before it is parsed.
MAX_TSV_CHARS = 60_000


@dataclass(frozen=True, slots=True)
class Limits:
    rows: int
    columns: int
    table_chars: int
    tsv_chars: int
    cell_chars: int = MAX_CELL_CHARS


# A measure's table sits in the running text; an attachment's is often the whole attachment
# (a list of projects, a statistics sheet), so it may be larger, still bounded.
SECTION = Limits(rows=MAX_ROWS, columns=MAX_COLUMNS, table_chars=MAX_TABLE_CHARS, tsv_chars=MAX_TSV_CHARS)
ATTACHMENT = Limits(rows=500, columns=20, table_chars=150_000, tsv_chars=300_000)

# The text area of the page (A4 less 28 mm and 26 mm margins: 156 mm) in twips.
TEXT_WIDTH_TWIPS = round(156 / 25.4 * 1440)
BORDER = {"val": "single", "sz": "4", "space": "0", "color": "000000"}  # 0.5 pt lines
CELL_MARGIN_TWIPS = 85  # 1.5 mm either side of a cell's text


class TableError(ValidationError):
    """A table that cannot be kept as it is; the message says why in the user's language."""


def normalise(table, limits=SECTION):
    """`table` (the JSON format, or None) → the normal form, or None for no table.

    Cells are cleaned of characters no DOCX can hold, line ends become \\n, white space at either
    end of a cell's lines goes and short rows are padded with empty cells.
    Raises TableError for anything that is not a table or exceeds one of `limits`.
    """
    if table is None:
        return None
    if not isinstance(table, dict) or not isinstance(table.get("rows"), list):
        raise TableError(_("The table is not in the expected format."), code="table_format")
    header = table.get("header", False)
    if not isinstance(header, bool):
        raise TableError(_("The table is not in the expected format."), code="table_format")
    raw_rows = table["rows"]
    _check_rows(len(raw_rows), limits)
    rows = []
    for raw in raw_rows:
        if not isinstance(raw, list) or not all(isinstance(cell, str) for cell in raw):
            raise TableError(_("The table is not in the expected format."), code="table_format")
        _check_columns(len(raw), limits)
        rows.append([_cell(cell, limits) for cell in raw])
    return _shaped(rows, header, limits)


def _cell(text, limits):
    if len(text) > limits.cell_chars * 2:  # refused before cleaning: cleaning is linear, but why spend it
        _refuse_cell(limits)
    text = "\n".join(line.strip() for line in clean_text(text).split("\n")).strip("\n")
    if len(text) > limits.cell_chars:
        _refuse_cell(limits)
    return text


def _refuse_cell(limits):
    raise TableError(
        _("A table cell holds at most %(max)d characters.") % {"max": limits.cell_chars}, code="table_cell_too_long"
    )


def _check_rows(count, limits):
    if count > limits.rows:
        raise TableError(_("A table has at most %(max)d rows.") % {"max": limits.rows}, code="table_too_many_rows")


def _check_columns(count, limits):
    if count > limits.columns:
        raise TableError(
            _("A table has at most %(max)d columns.") % {"max": limits.columns}, code="table_too_many_columns"
        )


def _shaped(rows, header, limits):
    if not any(cell for row in rows for cell in row):
        return None
    width = max(len(row) for row in rows)
    rows = [(row + [""] * width)[:width] for row in rows]
    if sum(len(cell) for row in rows for cell in row) > limits.table_chars:
        raise TableError(
            _("A table holds at most %(max)d characters in all.") % {"max": limits.table_chars}, code="table_too_long"
        )
    return {"header": header, "rows": rows}


def parse_tsv(text, header=False, limits=SECTION):
    """Tab-separated text as Excel or WPS copies it → a table in the normal form, or None.

    A cell in "…" may hold tabs, line breaks and doubled quote marks; a quote mark inside an
    unquoted cell (5" screen) is text. Raises TableError past `limits`.
    """
    text = text or ""
    if len(text) > limits.tsv_chars:
        raise TableError(
            _("The pasted table is too long: at most %(max)d characters.") % {"max": limits.tsv_chars},
            code="table_too_long",
        )
    text = clean_text(text)
    if text.endswith("\n"):
        text = text[:-1]  # Excel ends the last row with a line end too
    if not text.strip():
        return None
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter="\t", quotechar='"', strict=False):
            _check_rows(len(rows) + 1, limits)
            _check_columns(len(row), limits)
            rows.append([_cell(cell, limits) for cell in row])
    except csv.Error as error:  # a field past csv's own size limit
        raise TableError(
            _("A table cell holds at most %(max)d characters.") % {"max": limits.cell_chars},
            code="table_cell_too_long",
        ) from error
    return _shaped(rows, header, limits)


def to_tsv(table):
    """The table as tab-separated text, quoted as Excel quotes it (parse_tsv reads it back)."""
    if not table:
        return ""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", quotechar='"', lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(table["rows"])
    return buffer.getvalue().removesuffix("\n")


def cell_texts(table):
    """Every cell's text in reading order (for counts, placeholders and proofreading)."""
    return [cell for row in table["rows"] for cell in row] if table else []


def measure_cells(measures):
    """The text of every cell of the measures' tables, in order (a measure without one has none)."""
    return [cell for m in measures if getattr(m, "table", None) for cell in cell_texts(m.table)]


def table_text(table):
    """The table's text, one row a line, cells separated by a tab: what a search or a check reads."""
    return "\n".join("\t".join(cell.replace("\n", " ") for cell in row) for row in table["rows"]) if table else ""


def table_lines(table):
    """A table where only paragraphs can go (a preamble, a closing): a line a row, cells
    separated by an ideographic space."""
    return [line for line in ("　".join(one_line(cell) for cell in row).strip() for row in table["rows"]) if line]


def blank_table(rows=2, columns=2):
    return {"header": False, "rows": [[""] * columns for _ in range(rows)]}


# ---------------------------------------------------------------- the Word table


def _w(tag, parent=None, **attrs):
    element = etree.Element(qn(tag)) if parent is None else etree.SubElement(parent, qn(tag))
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def table_element(table, font_size_pt=16, mark_placeholders=False, width_twips=TEXT_WIDTH_TWIPS, limits=SECTION):
    """A w:tbl of the table: the full width of the text area, single lines, the body font
    (仿宋) at `font_size_pt`, the header row (if any) in bold, repeated at the top of every page
    (w:tblHeader), and no row split across pages (w:cantSplit). `mark_placeholders` highlights
    them as the draft export does in the text."""
    table = normalise(table, limits)
    rows = table["rows"] if table else [[""]]
    columns = len(rows[0])
    fonts = settings.HUIGAO_FONTS
    size = str(round(font_size_pt * 2))
    tbl = _w("w:tbl")
    tbl_pr = _w("w:tblPr", tbl)
    _w("w:tblW", tbl_pr, w=5000, type="pct")  # 100 % of the text area
    _w("w:jc", tbl_pr, val="center")
    _w("w:tblInd", tbl_pr, w=0, type="dxa")
    borders = _w("w:tblBorders", tbl_pr)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _w(f"w:{side}", borders, **BORDER)
    _w("w:tblLayout", tbl_pr, type="fixed")
    margins = _w("w:tblCellMar", tbl_pr)
    for side in ("left", "right"):
        _w(f"w:{side}", margins, w=CELL_MARGIN_TWIPS, type="dxa")
    _w("w:tblLook", tbl_pr, val="0000", firstRow=1 if table and table["header"] else 0, lastRow=0,
       firstColumn=0, lastColumn=0, noHBand=1, noVBand=1)  # fmt: skip
    grid = _w("w:tblGrid", tbl)
    column_width = width_twips // columns
    for _column in range(columns):
        _w("w:gridCol", grid, w=column_width)
    for number, row in enumerate(rows):
        is_header = bool(table and table["header"] and number == 0)
        tr = _w("w:tr", tbl)
        tr_pr = _w("w:trPr", tr)
        _w("w:cantSplit", tr_pr)
        if is_header:
            _w("w:tblHeader", tr_pr)
        for text in row:
            tc = _w("w:tc", tr)
            tc_pr = _w("w:tcPr", tc)
            _w("w:tcW", tc_pr, w=column_width, type="dxa")
            _w("w:vAlign", tc_pr, val="center")
            for line in text.split("\n"):
                tc.append(_cell_paragraph(line, fonts, size, is_header, mark_placeholders))
    return tbl


def _cell_paragraph(line, fonts, size, bold, mark_placeholders):
    p = _w("w:p")
    ppr = _w("w:pPr", p)
    # Single line spacing, no indent: a cell's text is not on the body's 28.95 pt grid.
    _w("w:spacing", ppr, before=0, beforeLines=0, after=0, afterLines=0, line=240, lineRule="auto")
    _w("w:ind", ppr, left=0, leftChars=0, right=0, rightChars=0, firstLine=0, firstLineChars=0)
    _w("w:jc", ppr, val="center" if bold else "left")
    pieces = split_placeholders(line) if mark_placeholders else [(line, False)]
    for text, is_placeholder in pieces:
        if not text:
            continue
        r = _w("w:r", p)
        rpr = _w("w:rPr", r)
        latin = fonts["latin"]
        _w("w:rFonts", rpr, ascii=latin, hAnsi=latin, eastAsia=fonts["body"], cs=latin, hint="eastAsia")
        if bold:
            _w("w:b", rpr)
            _w("w:bCs", rpr)
        if is_placeholder:
            _w("w:highlight", rpr, val="yellow")
        _w("w:sz", rpr, val=size)
        _w("w:szCs", rpr, val=size)
        t = _w("w:t", r)
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return p


def add_docx_table(document_or_container, table, font_size_pt=16, mark_placeholders=False, limits=SECTION):
    """Append the table as a Word table to a python-docx Document (before its final section
    properties) or any block container (a cell, a header, a footer); returns the
    python-docx Table. Word wants a paragraph after a table in a cell, so one follows it there."""
    # Parsed again so that python-docx's element classes (CT_Tbl …) back the returned Table.
    tbl = parse_xml(etree.tostring(table_element(table, font_size_pt, mark_placeholders, limits=limits)))
    document = getattr(document_or_container, "element", None)
    body = getattr(document, "body", None)
    if body is not None:  # a Document
        parent = document_or_container._body
        sect_pr = body.find(qn("w:sectPr"))
        if sect_pr is not None:
            sect_pr.addprevious(tbl)
        else:
            body.append(tbl)
    else:
        parent = document_or_container
        element = document_or_container._element
        element.append(tbl)
        if element.tag == qn("w:tc"):
            element.append(_w("w:p"))
    return Table(tbl, parent)
