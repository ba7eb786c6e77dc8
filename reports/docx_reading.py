"""Reading the paragraphs of a DOCX for the importer, as a reader sees them.

A DOCX is a zip: the members' declared sizes are checked before anything is inflated (zip
bombs), each part is read with a hard cap whatever its header says, and the XML parser resolves
no entities and fetches nothing. Many clerks type headings with Word's automatic numbering, so
一、 / （一） / 1. exist only in numbering.xml: the numbering is resolved here (abstract
numbers, level overrides, start values, restarts, numbering inherited from a paragraph style)
into the labels a reader sees, and put in front of the paragraph's text like a typed label.
"""

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from reports import tables
from reports.numbering import chinese_numeral

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
MAX_MEMBERS = 2000


class DocxUnreadable(ValueError):
    """Not a DOCX, or one that unpacks to more than the import allows; the message says which."""

    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


def docx_paragraphs(data):
    """Every paragraph of a DOCX body in reading order, list labels included, as its text; a
    table as a table (reports/tables.py's format) in its place.

    A table of one cell is a box drawn around text, and a table past the limits of a table
    cannot be kept as one: their paragraphs are read as paragraphs, as is a table in a table.
    """
    archive = _open(data)
    root = _xml(archive, "word/document.xml", required=True)
    body = root.find(f"{W}body")
    if body is None:
        raise _not_docx()
    numbering = Numbering(_xml(archive, "word/numbering.xml"), _xml(archive, "word/styles.xml"))
    paragraphs = []
    read_whole = set()  # the tables read as tables: their paragraphs are in them
    for element in body.iter(f"{W}p", f"{W}tbl"):
        if _in_fallback(element) or any(ancestor in read_whole for ancestor in element.iterancestors(f"{W}tbl")):
            continue
        if element.tag == f"{W}tbl":
            table = _table(element)
            if table is not None:
                read_whole.add(element)
                paragraphs.append(table)
            continue
        text = _paragraph_text(element)
        label = numbering.label_of(element) if text.strip() else ""
        paragraphs.append(label + text)
    return paragraphs


def _cells(row):
    """A row's cells (inside content controls too), each as often as the grid columns it spans."""
    cells = []
    for cell in row.iter(f"{W}tc"):
        if next(cell.iterancestors(f"{W}tr"), None) is not row:
            continue  # a cell of a table inside this cell
        span = max(1, min(_int(_val(cell.find(f"{W}tcPr/{W}gridSpan")), 1), tables.ATTACHMENT.columns + 1))
        merged = cell.find(f"{W}tcPr/{W}vMerge")
        continued = merged is not None and _val(merged) in (None, "continue")
        text = "" if continued else "\n".join(_paragraph_text(p) for p in cell.iter(f"{W}p"))
        cells.append(text)
        cells.extend([""] * (span - 1))
    return cells


def _table(tbl):
    """A w:tbl as a table, or None when it is a box around text or too large to be a table."""
    rows = [row for row in tbl.iter(f"{W}tr") if next(row.iterancestors(f"{W}tbl"), None) is tbl]
    # An attachment's table may be larger than a section's: the importer decides where it goes.
    if len(rows) > tables.ATTACHMENT.rows:
        return None
    cells = [_cells(row) for row in rows]
    if sum(len(row) for row in cells) <= 1:
        return None
    header = rows[0].find(f"{W}trPr/{W}tblHeader") is not None and _val(rows[0].find(f"{W}trPr/{W}tblHeader")) not in (
        "0",
        "false",
    )
    try:
        return tables.normalise({"header": header or _bold_row(rows[0]), "rows": cells}, tables.ATTACHMENT)
    except tables.TableError:
        return None


def _bold_row(row):
    """A first row whose every piece of text is bold reads as a header row."""
    runs = [run for run in row.iter(f"{W}r") if "".join(t.text or "" for t in run.iter(f"{W}t")).strip()]
    return bool(runs) and all(
        (bold := run.find(f"{W}rPr/{W}b")) is not None and _val(bold) not in ("0", "false") for run in runs
    )


def _not_docx():
    return DocxUnreadable(_("This file is not a valid DOCX document."), "not_docx")


def _too_big():
    limit = settings.HUIGAO_IMPORT_MAX_UNZIPPED_BYTES
    return DocxUnreadable(
        _("The DOCX file unpacks to more than %(limit)s MB; it cannot be imported.") % {"limit": limit // 1024 // 1024},
        "zip_bomb",
    )


def _open(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise _not_docx() from exc
    if len(members) > MAX_MEMBERS or sum(member.file_size for member in members) > (
        settings.HUIGAO_IMPORT_MAX_UNZIPPED_BYTES
    ):
        raise _too_big()
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > settings.HUIGAO_IMPORT_MAX_ZIP_RATIO:
            raise _too_big()
    return archive


def _xml(archive, name, required=False):
    """A part of the package as an lxml element (None for a missing optional part)."""
    limit = settings.HUIGAO_IMPORT_MAX_UNZIPPED_BYTES
    try:
        with archive.open(name) as part:
            xml = part.read(limit + 1)
    except KeyError as exc:
        if required:
            raise _not_docx() from exc
        return None
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError, RuntimeError) as exc:
        raise _not_docx() from exc
    if len(xml) > limit:
        raise _too_big()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(xml, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        if required:
            raise _not_docx() from exc
        return None  # a broken numbering or styles part costs the labels, not the import


def _in_fallback(element):
    # mc:Fallback repeats text boxes already read in mc:Choice.
    return any(ancestor.tag == MC_FALLBACK for ancestor in element.iterancestors())


def _paragraph_text(paragraph):
    parts = []
    for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}p"):
        if node is paragraph:
            continue
        # Text boxes nest whole paragraphs inside a run: those are read as paragraphs of their own.
        owner = next(node.iterancestors(f"{W}p"), None)
        if owner is not paragraph:
            continue
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}tab":
            parts.append("\t")
        elif node.tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
    return "".join(parts)


def _val(element, name="val"):
    return None if element is None else element.get(f"{W}{name}")


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# ---------------------------------------------------------------- numbering

FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
CHINESE_FORMATS = {
    "chineseCounting",
    "chineseCountingThousand",
    "taiwaneseCounting",
    "taiwaneseCountingThousand",
    "ideographTraditional",
    "japaneseCounting",
    "koreanCounting",
}


def format_number(n, fmt):
    """One level's number as Word writes it for a numFmt; "" for bullets and unknown formats."""
    if fmt in ("decimal", "decimalZero", None):
        return f"{n:02d}" if fmt == "decimalZero" and n < 10 else str(n)
    if fmt in CHINESE_FORMATS:
        return chinese_numeral(n) if n >= 1 else str(n)
    if fmt == "chineseLegalSimplified":
        return "".join(LEGAL_DIGITS[int(d)] for d in str(n)) if n < 10 else chinese_numeral(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(FULL_WIDTH_DIGITS)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return CIRCLED[n - 1] if 1 <= n <= len(CIRCLED) else str(n)
    if fmt in ("decimalEnclosedParen", "decimalEnclosedFullstop"):
        return str(n)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    return ""


def _roman(n):
    result = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):  # fmt: skip
        count, n = divmod(n, value)
        result.append(letters * count)
    return "".join(result)


class Numbering:
    """Word's list numbering of one document: which label each numbered paragraph shows.

    Counters follow Word: paragraphs of one list (one w:num, or every w:num of an abstract
    number that does not restart it) count on; a level's counter starts again after a
    paragraph of a higher level; a w:num with a start override starts its own count.
    """

    def __init__(self, numbering_root, styles_root):
        self.levels = {}  # abstractNumId → {ilvl: (numFmt, lvlText, start)}
        self.nums = {}  # numId → (abstractNumId, {ilvl: start override}, {ilvl: level override})
        self.style_numbering = {}  # styleId → (numId, ilvl)
        self.counters = {}
        if numbering_root is not None:
            self._read_numbering(numbering_root)
        if styles_root is not None:
            self._read_styles(styles_root)

    def _read_level(self, lvl):
        return (
            _val(lvl.find(f"{W}numFmt")),
            _val(lvl.find(f"{W}lvlText")),
            _int(_val(lvl.find(f"{W}start")), 1),
        )

    def _read_numbering(self, root):
        for abstract in root.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in abstract.iter(f"{W}lvl"):
                ilvl = _int(lvl.get(f"{W}ilvl"))
                if ilvl is not None:
                    levels[ilvl] = self._read_level(lvl)
            self.levels[abstract.get(f"{W}abstractNumId")] = levels
        for num in root.iter(f"{W}num"):
            starts, overrides = {}, {}
            for override in num.iter(f"{W}lvlOverride"):
                ilvl = _int(override.get(f"{W}ilvl"))
                if ilvl is None:
                    continue
                start = _int(_val(override.find(f"{W}startOverride")))
                if start is not None:
                    starts[ilvl] = start
                lvl = override.find(f"{W}lvl")
                if lvl is not None:
                    overrides[ilvl] = self._read_level(lvl)
            self.nums[num.get(f"{W}numId")] = (_val(num.find(f"{W}abstractNumId")), starts, overrides)

    def _read_styles(self, root):
        based_on, own = {}, {}
        for style in root.iter(f"{W}style"):
            style_id = style.get(f"{W}styleId")
            based_on[style_id] = _val(style.find(f"{W}basedOn"))
            num_pr = style.find(f"{W}pPr/{W}numPr")
            if num_pr is not None:
                own[style_id] = (_val(num_pr.find(f"{W}numId")), _int(_val(num_pr.find(f"{W}ilvl")), 0))
        for style_id in based_on:
            seen, current = set(), style_id
            while current and current not in own and current not in seen:
                seen.add(current)
                current = based_on.get(current)
            if current in own:
                self.style_numbering[style_id] = own[current]

    def _numbering_of(self, paragraph):
        ppr = paragraph.find(f"{W}pPr")
        num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
        style = _val(ppr.find(f"{W}pStyle")) if ppr is not None else None
        num_id, ilvl = self.style_numbering.get(style, (None, 0))
        if num_pr is not None:
            num_id = _val(num_pr.find(f"{W}numId")) or num_id
            ilvl = _int(_val(num_pr.find(f"{W}ilvl")), ilvl)
        return num_id, ilvl

    def label_of(self, paragraph):
        """The label Word shows before this paragraph ("一、", "（二）", "3."), or ""."""
        if not self.nums:
            return ""
        num_id, ilvl = self._numbering_of(paragraph)
        if num_id is None or num_id == "0" or num_id not in self.nums or not 0 <= ilvl <= 8:
            return ""
        abstract_id, starts, overrides = self.nums[num_id]
        levels = {**self.levels.get(abstract_id, {}), **overrides}
        if ilvl not in levels:
            return ""
        # A w:num that restarts a level counts on its own; others share their abstract number's count.
        key = ("num", num_id) if starts else ("abstract", abstract_id)
        counters = self.counters.setdefault(key, {})
        start = starts.get(ilvl, levels[ilvl][2])
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        fmt, text, _start = levels[ilvl]
        if not text or fmt in ("bullet", "none"):
            return ""
        label = text
        for level in range(ilvl + 1):
            level_fmt = levels.get(level, (None, None, 1))[0]
            value = counters.get(level, starts.get(level, levels.get(level, (None, None, 1))[2]))
            label = label.replace(f"%{level + 1}", format_number(value, level_fmt))
        return label
