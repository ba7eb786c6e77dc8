"""Import a report from a .docx, a .txt or pasted text.

One parser for all three inputs: each becomes a list of paragraphs, the noise patterns of
settings.HUIGAO_NOISE_PATTERNS are removed (and listed), and the paragraphs are read as the
genre of DESIGN.md: title, preamble, sections at four levels, measures, closing, issuer, date.
`parse_*` only reads and returns a ParsedReport, which can be shown to the user and carried
between requests as plain JSON (to_dict / from_dict); `create_report` writes it in one
transaction. Nothing uploaded is ever stored: bytes are read in memory and discarded.

Where text goes when it fits no rule: before the first heading it is preamble; after a
heading it is that section's intro (a paragraph after the measures that does not continue
their numbering too, so in the model it comes before them); after the last measures it is
the closing. Nothing is dropped but the noise, the labels and ordinals (which are derived
again on export) and the 。 or ： that ends a run-in heading.

Every failure is an ImportFailed (a ValidationError) with a message in Chinese; nothing else
escapes the parser, whatever the input (a property test holds it to that).
"""

import codecs
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from lxml import etree

from reports import content, numbering
from reports.models import MeasureLayout, Report, ReportAction, ReportEvent, Section
from reports.splitting import ordinal_at, split_measures, starts_with_ordinal
from reports.text import clean_text, one_line

TITLE_MAX = Report._meta.get_field("title").max_length
HEADING_MAX = Section._meta.get_field("heading").max_length
ISSUER_MAX = 40

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

CN_DIGITS = "零一二三四五六七八九十百千"
# A heading's label, by level: 一、 / （一） / 1. / （1）. 1、 is common in the wild for level 3.
HEADING_PATTERNS = [
    (1, re.compile(f"([{CN_DIGITS}]{{1,8}})、")),
    (2, re.compile(f"[（(]([{CN_DIGITS}]{{1,8}})[）)]")),
    (3, re.compile(r"(\d{1,3})(?:[.．](?!\d)|、)")),
    (4, re.compile(r"[（(](\d{1,3})[）)]")),
]
# A run-in heading ends at its first full stop or colon; the rest of the paragraph is text.
HEADING_END = re.compile("[。！？!?：:]")
PLACEHOLDER_DIGIT = "XxＸｘ×"
DATE = re.compile(
    rf"(\d{{4}}|[〇○零一二三四五六七八九]{{4}})\s*年\s*(\d{{1,2}}|[{PLACEHOLDER_DIGIT}{CN_DIGITS}]{{1,3}})\s*月"
    rf"\s*(\d{{1,2}}|[{PLACEHOLDER_DIGIT}{CN_DIGITS}]{{1,3}})\s*日"
)
ISSUER_SUFFIXES = (
    "办公室",
    "委员会",
    "常委会",
    "人民政府",
    "政府",
    "党委",
    "党组",
    "县委",
    "市委",
    "区委",
    "委",
    "局",
    "厅",
    "部",
    "办",
    "处",
    "科",
    "室",
    "院",
    "所",
    "中心",
    "小组",
    "领导小组",
    "街道",
    "镇",
    "乡",
    "公司",
    "集团",
    "协会",
    "会",
)
CLOSING_STARTS = ("下一步", "下步", "下阶段", "下一阶段", "今后", "此外", "接下来", "我们将", "特此报告", "以上")


class ImportFailed(ValidationError):
    """The input cannot be imported; the message says why, in the user's language."""


@dataclass
class ParsedSection:
    heading: str
    intro: list = field(default_factory=list)  # paragraphs
    measures: list = field(default_factory=list)  # [[lead, body], …]
    children: list = field(default_factory=list)
    # The label style found in the text (1 一、 … 4 （1）); the tree depth decides the export's.
    style: int = 1

    def to_dict(self):
        return {
            "heading": self.heading,
            "intro": list(self.intro),
            "measures": [list(m) for m in self.measures],
            "children": [child.to_dict() for child in self.children],
            "style": self.style,
        }

    @classmethod
    def from_dict(cls, data):
        return cls(
            heading=str(data["heading"]),
            intro=[str(p) for p in data.get("intro", [])],
            measures=[[str(lead), str(body)] for lead, body in data.get("measures", [])],
            children=[cls.from_dict(child) for child in data.get("children", [])],
            style=int(data.get("style", 1)),
        )


@dataclass
class Removal:
    paragraph: int  # 1-based, as the user counts paragraphs in the source
    text: str


@dataclass
class ParsedReport:
    title: str = ""
    preamble: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    closing: list = field(default_factory=list)
    issuer: str = ""
    date_text: str = ""
    issued_on: datetime.date | None = None
    measure_layout: str = MeasureLayout.PARAGRAPHS
    removed: list = field(default_factory=list)  # [Removal, …] in source order
    source_name: str = ""

    def outline(self):
        """(depth, label, heading, measure count) for every section in reading order."""
        rows = []

        def walk(sections, depth):
            for n, section in enumerate(sections, start=1):
                label = numbering.section_label(min(depth, numbering.MAX_LEVEL), n)
                rows.append(
                    {
                        "level": depth,
                        "label": label,
                        "heading": section.heading,
                        "measures": len(section.measures),
                        "intro_paragraphs": len(section.intro),
                    }
                )
                walk(section.children, depth + 1)

        walk(self.sections, 1)
        return rows

    def count_sections(self):
        return len(self.outline())

    def count_measures(self):
        return sum(row["measures"] for row in self.outline())

    def to_dict(self):
        return {
            "title": self.title,
            "preamble": list(self.preamble),
            "sections": [s.to_dict() for s in self.sections],
            "closing": list(self.closing),
            "issuer": self.issuer,
            "date_text": self.date_text,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "measure_layout": str(self.measure_layout),
            "removed": [{"paragraph": r.paragraph, "text": r.text} for r in self.removed],
            "source_name": self.source_name,
        }

    @classmethod
    def from_dict(cls, data):
        return cls(
            title=str(data["title"]),
            preamble=[str(p) for p in data.get("preamble", [])],
            sections=[ParsedSection.from_dict(s) for s in data.get("sections", [])],
            closing=[str(p) for p in data.get("closing", [])],
            issuer=str(data.get("issuer", "")),
            date_text=str(data.get("date_text", "")),
            issued_on=datetime.date.fromisoformat(data["issued_on"]) if data.get("issued_on") else None,
            measure_layout=data.get("measure_layout", MeasureLayout.PARAGRAPHS),
            removed=[Removal(int(r["paragraph"]), str(r["text"])) for r in data.get("removed", [])],
            source_name=str(data.get("source_name", "")),
        )


# Reading the inputs -------------------------------------------------------------------


def parse_file(name, data):
    """A file's bytes → ParsedReport. The kind is decided by content first, then by name."""
    name = name or ""
    if len(data) > settings.HUIGAO_IMPORT_MAX_BYTES:
        raise ImportFailed(
            _("The file is too large (%(size)s MB); at most %(limit)s MB can be imported.")
            % {"size": f"{len(data) / 1024 / 1024:.1f}", "limit": settings.HUIGAO_IMPORT_MAX_BYTES // 1024 // 1024},
            code="too_large",
        )
    if not data.strip():
        raise ImportFailed(_("The file is empty."), code="empty")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFailed(
            _("This is an old Word (.doc) file. Save it as .docx in Word or WPS and import that."), code="doc"
        )
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        parsed = parse_paragraphs(docx_paragraphs(data))
    elif name.lower().endswith(".docx"):
        raise ImportFailed(_("This file is not a valid DOCX document."), code="not_docx")
    elif _looks_binary_bytes(data):
        raise ImportFailed(_("The content is not text (it looks like a binary file)."), code="binary")
    else:
        parsed = parse_text(decode_text(data))
    parsed.source_name = name[:200]
    return parsed


def parse_text(text):
    """Pasted or decoded text → ParsedReport: one paragraph a line."""
    text = text or ""
    if len(text) > settings.HUIGAO_IMPORT_MAX_CHARS:
        raise ImportFailed(
            _("The text is too long: at most %(limit)s characters can be imported.")
            % {"limit": settings.HUIGAO_IMPORT_MAX_CHARS},
            code="too_long",
        )
    if _looks_binary(text):
        raise ImportFailed(_("The content is not text (it looks like a binary file)."), code="binary")
    return parse_paragraphs(clean_text(text).split("\n"))


def decode_text(data):
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    if data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed(
        _("The file's encoding is not recognised: save it as UTF-8 or GBK text, or import the DOCX."),
        code="encoding",
    )


def _looks_binary_bytes(data):
    # UTF-16 is the one text encoding full of NULs; it always starts with its BOM here.
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    sample = data[:100_000]
    control = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\x0c")
    return b"\x00" in sample or control * 50 > len(sample)


def _looks_binary(text):
    # Any NUL, or more than 1 in 50 characters being control or unassigned codepoints.
    if "\x00" in text:
        return True
    sample = text[:100_000]
    if not sample:
        return False
    odd = sum(1 for ch in sample if ch not in "\n\r\t" and unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs"))
    return odd * 50 > len(sample)


def docx_paragraphs(data):
    """The text of every paragraph of a DOCX body, in reading order, read defensively.

    A DOCX is a zip: the members' declared sizes are checked before anything is inflated
    (zip bombs), the main part is read with a hard cap whatever the header says, and the XML
    parser resolves no entities and fetches nothing.
    """
    not_docx = ImportFailed(_("This file is not a valid DOCX document."), code="not_docx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise not_docx from exc
    limit = settings.HUIGAO_IMPORT_MAX_UNZIPPED_BYTES
    declared = sum(member.file_size for member in members)
    too_big = ImportFailed(
        _("The DOCX file unpacks to more than %(limit)s MB; it cannot be imported.") % {"limit": limit // 1024 // 1024},
        code="zip_bomb",
    )
    if len(members) > 2000 or declared > limit:
        raise too_big
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > settings.HUIGAO_IMPORT_MAX_ZIP_RATIO:
            raise too_big
    try:
        with archive.open("word/document.xml") as part:
            xml = part.read(limit + 1)
    except KeyError as exc:
        raise not_docx from exc
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError, RuntimeError) as exc:
        raise not_docx from exc
    if len(xml) > limit:
        raise too_big
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(xml, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise not_docx from exc
    body = root.find(f"{W}body")
    if body is None:
        raise not_docx
    return [_paragraph_text(p) for p in body.iter(f"{W}p") if not _in_fallback(p)]


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


# Noise -------------------------------------------------------------------------------------


def _noise_patterns():
    return [re.compile(pattern) for pattern in settings.HUIGAO_NOISE_PATTERNS]


def remove_noise(paragraphs):
    """Paragraphs without the settings' noise patterns, and a Removal for every match.

    Patterns apply to one paragraph at a time, in the settings' order; a paragraph left
    empty is dropped.
    """
    patterns = _noise_patterns()
    kept, removed = [], []
    for number, paragraph in enumerate(paragraphs, start=1):
        for pattern in patterns:
            for match in pattern.finditer(paragraph):
                if match.group().strip():
                    removed.append(Removal(number, match.group().strip()))
            paragraph = pattern.sub("", paragraph)
        kept.append(paragraph)
    return kept, removed


# The parser --------------------------------------------------------------------------------


def parse_paragraphs(raw_paragraphs):
    """Paragraphs (as read from any input) → ParsedReport."""
    lines = []
    for paragraph in raw_paragraphs:
        # A manual line break inside a DOCX paragraph separates paragraphs just as well.
        lines.extend(clean_text(paragraph).split("\n"))
    lines, removed = remove_noise(lines)
    paragraphs = [_normalise_space(line) for line in lines]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        if removed:
            raise ImportFailed(_("Nothing is left to import once the advertising text is removed."), code="empty")
        raise ImportFailed(_("The content is empty."), code="empty")

    parsed = ParsedReport(removed=removed)
    body = paragraphs[1:]
    # The signature block: the date last, the issuer just above it.
    if body and (date := _match_date(body[-1])):
        parsed.date_text, parsed.issued_on = date
        body.pop()
    if body and _looks_like_issuer(body[-1]):
        parsed.issuer = body.pop()

    title = paragraphs[0]
    if _heading_of(title) is not None or starts_with_ordinal(title):
        raise ImportFailed(_("The first paragraph must be the report's title, not a heading."), code="no_title")
    _read_body(parsed, body)
    if not parsed.sections:
        raise ImportFailed(
            _(
                "No section headings were found (一、 / （一） / 1. / （1） at the start of a paragraph), "
                "so the text has no structure to import. Check that each heading starts its own paragraph."
            ),
            code="no_structure",
        )
    if len(title) > TITLE_MAX:
        raise ImportFailed(
            _("The first paragraph is too long to be a title (at most %(limit)s characters).") % {"limit": TITLE_MAX},
            code="no_title",
        )
    parsed.title = title
    return parsed


def _normalise_space(line):
    # Indents typed as spaces or ideographic spaces are layout, not text.
    return line.strip(" \t\u3000\u00a0\ufeff")


def _match_date(paragraph):
    """(date text, datetime.date or None) when the paragraph is only a date."""
    match = DATE.fullmatch(paragraph)
    if match is None:
        return None
    year, month, day = match.groups()
    issued_on = None
    if year.isdigit() and month.isdigit() and day.isdigit():
        try:
            issued_on = datetime.date(int(year), int(month), int(day))
        except ValueError:
            issued_on = None
    return re.sub(r"\s", "", paragraph), issued_on


def _looks_like_issuer(paragraph):
    if len(paragraph) > ISSUER_MAX or _heading_of(paragraph) is not None or starts_with_ordinal(paragraph):
        return False
    if re.search("[。，,；;：:！？!?]", paragraph):
        return False
    return paragraph.endswith(ISSUER_SUFFIXES)


def _heading_of(paragraph):
    """(style level, number, heading, rest) when the paragraph starts with a section label."""
    for level, pattern in HEADING_PATTERNS:
        match = pattern.match(paragraph)
        if match is None:
            continue
        token = match.group(1)
        if level in (1, 2):
            try:
                number = numbering.parse_chinese_numeral(token)
            except ValueError:
                continue
        else:
            number = int(token)
        text = paragraph[match.end() :].lstrip(" \t\u3000")
        heading, rest = _split_run_in_heading(text)
        if not heading or len(heading) > HEADING_MAX:
            continue
        return level, number, heading, rest.strip()
    return None


def _split_run_in_heading(text):
    """ "在…方面。一是…" → ("在…方面", "一是…"): the heading is the first sentence or clause."""
    end = HEADING_END.search(text)
    cut = end.start() if end else len(text)
    # Only a heading-long window is searched: a longer heading is refused anyway, and
    # searching a huge paragraph for 一是 at every 是 would be quadratic.
    first_measure = ordinal_at(text[: min(cut, HEADING_MAX + 1)], 1)
    if 0 < first_measure < cut:
        return text[:first_measure].rstrip("，,；; "), text[first_measure:].strip()
    if end is None:
        return text.strip(), ""
    # 。 and ： only separate the heading from its text; ！ and ？ belong to the heading.
    heading = text[:cut] if end.group() in "。：:" else text[: end.end()]
    return heading.strip(), text[end.end() :].strip()


def _read_body(parsed, body):
    """Walk the paragraphs between the title and the signature, filling parsed in place."""
    stack = []  # the open sections, outermost first
    # What each paragraph became, to find the closing once the structure is known.
    events = []  # (kind, section, text) with kind in heading | measure | text
    multi, single = 0, 0

    for paragraph in body:
        heading = _heading_of(paragraph)
        if heading is not None:
            style, number, text, rest = heading
            depth = len(stack)
            while depth and stack[depth - 1].style >= style:
                depth -= 1
            siblings = stack[depth - 1].children if depth else parsed.sections
            # A label only opens a section when it is the next number of its kind in its
            # list; otherwise (一、 quoted in running text, a list restarting) it is text.
            if number == sum(1 for s in siblings if s.style == style) + 1:
                del stack[depth:]
                section = ParsedSection(heading=text, style=style)
                siblings.append(section)
                stack.append(section)
                events.append(("heading", section, None))
                if rest:
                    paragraph = rest
                else:
                    continue
        current = stack[-1] if stack else None
        if current is None:
            events.append(("preamble", None, paragraph))
            continue
        next_ordinal = len(current.measures) + 1
        if starts_with_ordinal(paragraph, next_ordinal):
            split = split_measures(paragraph, first=next_ordinal)
            if split.intro:
                events.append(("text", current, split.intro))
            current.measures.extend([lead, body_text] for lead, body_text in split.measures)
            events.append(("measure", current, None))
            if len(split.measures) > 1:
                multi += 1
            else:
                single += 1
        else:
            events.append(("text", current, paragraph))

    # The closing: text after the last heading or measure. After measures, such text cannot
    # be the section's intro (which comes first), so all of it closes the report; after a
    # heading, it closes the report from the first paragraph that reads like a closing.
    last_structural = max((i for i, (kind, _s, _t) in enumerate(events) if kind != "text"), default=-1)
    tail = events[last_structural + 1 :]
    closing_from = None
    if tail and last_structural >= 0:
        after_measures = events[last_structural][0] == "measure"
        for i, (_kind, _section, text) in enumerate(tail):
            if after_measures or text.startswith(CLOSING_STARTS):
                closing_from = last_structural + 1 + i
                break
    for i, (kind, section, text) in enumerate(events):
        if kind == "preamble":
            parsed.preamble.append(text)
        elif kind == "text":
            if closing_from is not None and i >= closing_from:
                parsed.closing.append(text)
            else:
                section.intro.append(text)
    parsed.measure_layout = MeasureLayout.RUN_IN if multi > single else MeasureLayout.PARAGRAPHS


# Creating the report -----------------------------------------------------------------------


def create_report(parsed, lead_department, user=None):
    """Write a ParsedReport as a new Report, in one transaction, and log the import."""
    with transaction.atomic():
        report = Report.objects.create(
            title=one_line(parsed.title)[:TITLE_MAX],
            preamble="\n".join(parsed.preamble),
            closing="\n".join(parsed.closing),
            issuer=one_line(parsed.issuer)[: Report._meta.get_field("issuer").max_length],
            issued_on=parsed.issued_on,
            issued_on_text="" if parsed.issued_on else parsed.date_text,
            measure_layout=parsed.measure_layout,
            lead_department=lead_department,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        content.create_sections(report, _new_sections(parsed.sections), report.created_by)
        noise = "；".join(r.text for r in parsed.removed)
        comment = _("Imported from %(source)s.") % {"source": parsed.source_name or _("pasted text")}
        if parsed.removed:
            comment += " " + _("Removed %(count)s pieces of noise: %(noise)s") % {
                "count": len(parsed.removed),
                "noise": noise,
            }
        ReportEvent.objects.create(
            report=report,
            actor=user if user is not None and user.is_authenticated else None,
            action=ReportAction.IMPORT,
            comment=comment,
        )
    return report


def _new_sections(parsed_sections):
    return [
        content.NewSection(
            heading=one_line(parsed.heading)[:HEADING_MAX],
            intro="\n".join(parsed.intro),
            measures=[(one_line(lead)[:500], body) for lead, body in parsed.measures],
            children=_new_sections(parsed.children),
        )
        for parsed in parsed_sections
    ]
