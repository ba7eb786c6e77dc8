"""Import a report from a .docx, a .txt or pasted text.

One parser for all three inputs, in four steps, each of which the import preview shows:

1. Lines: every paragraph of the input (a DOCX's list numbering resolved into the labels a
   reader sees, a manual line break starting a new line, a report flattened into one line by a
   document-sharing site split again at its labels when their sequence is unambiguous).
2. Debris: whole lines of web pages (breadcrumbs, datelines, counters, share widgets, related
   articles, advertising) and pieces of lines (paywall markers, advertising brackets) go, each
   removal named by the rule that made it (settings.HUIGAO_DEBRIS_RULES and
   HUIGAO_NOISE_PATTERNS); half-width punctuation in Chinese text becomes full-width.
3. Roles: each line gets the role a careful reader would give it — title, addressee (主送机关),
   heading of level 1–4, measures, body text, closing, issuer, date, or removed.
4. Assembly: the lines and their roles become a ParsedReport (title, preamble, the outline with
   intros and measures, closing, signature).

The user may change any role (or keep a removed line) in the preview: `ParsedReport.lines`
carries the lines, `reassemble` builds the report again from the roles the user chose, and
nothing is created before `create_report`. Everything travels between requests as plain JSON.
Nothing uploaded is ever stored: bytes are read in memory and discarded.

Nothing is dropped but the debris, the labels and ordinals (which are derived again on export)
and the 。 or ： that ends a run-in heading. Every failure is an ImportFailed with a message in
Chinese; nothing else escapes the parser, whatever the input (a property test holds it to that).
Each step is linear in the size of the input.
"""

import codecs
import datetime
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reports import attachment_reading, content, numbering, tables
from reports.attachments import MAX_ATTACHMENTS
from reports.docx_reading import DocxUnreadable, docx_paragraphs
from reports.models import Attachment, MeasureLayout, Report, ReportAction, ReportEvent, Section
from reports.parsed import HEADING_ROLES, ROLE_OF_LEVEL, Line, LineRole, ParsedReport, ParsedSection, Removal
from reports.splitting import ordinal_at, split_lead, split_measures, starts_with_ordinal
from reports.text import clean_text, full_width_punctuation, one_line

TITLE_MAX = Report._meta.get_field("title").max_length
HEADING_MAX = Section._meta.get_field("heading").max_length
ADDRESSEE_MAX = Report._meta.get_field("addressee").max_length
ATTACHMENT_TITLE_MAX = Attachment._meta.get_field("title").max_length
ISSUER_MAX = 40

CN_DIGITS = "零一二三四五六七八九十百千"
# A heading's label, by level: 一、 / （一） / 1. / （1）. 1、 is common in the wild for level 3,
# and so is a stray 、 or ． after the brackets: (一)、.
HEADING_PATTERNS = [
    (1, re.compile(f"([{CN_DIGITS}]{{1,8}})、")),
    (2, re.compile(f"[（(]([{CN_DIGITS}]{{1,8}})[）)][、．.]?")),
    (3, re.compile(r"(\d{1,4})(?:[.．](?!\d)|、)")),
    (4, re.compile(r"[（(](\d{1,4})[）)][、．.]?")),
]
# A run-in heading ends at its first full stop or colon; the rest of the paragraph is text.
HEADING_END = re.compile("[。！？!?：:]")
# A heading followed by its text after a space: 二、压实工作责任，确保任务落地 今年以来，我局…
HEADING_GAP = re.compile("[ \u3000\t]+")
HEADING_GAP_MAX = 40
PLACEHOLDER_DIGIT = "XxＸｘ×"
YEAR = rf"\d{{4}}|[〇○零一二三四五六七八九]{{4}}|\d{{2}}[{PLACEHOLDER_DIGIT}]{{2}}|[{PLACEHOLDER_DIGIT}]{{4}}"
DAY = rf"\d{{1,2}}|[{PLACEHOLDER_DIGIT}{CN_DIGITS}]{{1,3}}"
DATE = re.compile(rf"({YEAR})\s*年\s*({DAY})\s*月\s*({DAY})\s*日")
ISSUER_SUFFIXES = (
    "办公室", "委员会", "常委会", "人民政府", "政府", "党委", "党组", "县委", "市委", "区委", "委", "局", "厅",
    "部", "办", "处", "科", "室", "院", "所", "中心", "小组", "领导小组", "街道", "镇", "乡", "公司", "集团",
    "协会", "会",
)  # fmt: skip
CLOSING_STARTS = (
    "下一步", "下步", "下阶段", "下一阶段", "今后", "此外", "接下来", "我们将", "特此报告", "以上", "总之", "综上",
    "总的来看", "总的来说", "妥否", "专此报告", "专此", "特此",
)  # fmt: skip
CLOSING_ENDS = ("特此报告。", "特此报告", "专此报告。", "妥否，请批示。", "请审阅。", "请审议。")
# A line that reads like a title: 关于…的报告 / …情况 / …总结 / …汇报 / 自查报告 …
TITLE_LIKE = re.compile(
    r"^(?:关于)?[^。；;！!？?：:]{2,80}?"
    r"(?:报告|情况|总结|汇报|自查报告|述职报告|调研报告|工作要点|实施方案|方案|意见|请示|通知|讲话|发言|计划|总结报告)$"
)
ADDRESSEE = re.compile(r"^[^。，,；;！!？?\s]{2,60}[：:]$")
# The longest line a debris rule removes whole.
DEBRIS_MAX = 150
# How far into the text the title is looked for: web copies put a few lines of debris first.
TITLE_WINDOW = 12
# A line this long with labels of one level in sequence was flattened by a sharing site.
FLATTENED_MIN = 150
# Labels of a flattened report stand at least this far apart (一、二、三级 is an enumeration).
FLATTENED_GAP = 8


class ImportFailed(ValidationError):
    """The input cannot be imported; the message says why, in the user's language."""


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
        try:
            paragraphs = docx_paragraphs(data)
        except DocxUnreadable as error:
            raise ImportFailed(str(error), code=error.code) from error
        parsed = parse_paragraphs(paragraphs)
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


# Step 1: lines -------------------------------------------------------------------------------


def _normalise_space(line):
    # Indents typed as spaces or ideographic spaces are layout, not text.
    return line.strip(" \t\u3000\u00a0\ufeff")


def unflatten(text):
    """A report flattened into one line, split again before each label of an unambiguous
    sequence (一、 … 二、 … each found once, in order), level by level; other text is left whole."""
    if len(text) < FLATTENED_MIN:
        return [text]
    pieces = [text]
    for labels in (_level1_labels, _level2_labels):
        split = []
        for piece in pieces:
            split.extend(_split_at_sequence(piece, labels))
        pieces = split
    return pieces


def _level1_labels(n):
    return f"{numbering.chinese_numeral(n)}、"


def _level2_labels(n):
    return f"（{numbering.chinese_numeral(n)}）"


def _find_label(text, label, start):
    """The next `label` at or after `start` that is not the end of a longer one (一、 in 十一、)."""
    position = text.find(label, start)
    while position > 0 and text[position - 1] in CN_DIGITS:
        position = text.find(label, position + 1)
    return position


def _split_at_sequence(text, label_of):
    cuts, start, n = [], 0, 1
    while n <= numbering.MAX_NUMBER:
        label = label_of(n)
        position = _find_label(text, label, start)
        if position == -1:
            break
        # Unambiguous only: a label that stands twice could be quoted text.
        if _find_label(text, label, position + 1) != -1:
            return [text]
        if cuts and position - cuts[-1] < FLATTENED_GAP:
            return [text]
        cuts.append(position)
        start, n = position + len(label), n + 1
    if len(cuts) < 2:
        return [text]
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    return [piece for piece in (p.strip() for p in pieces) if piece]


def _split_signature(text):
    """The date at the very end of a flattened line, as a line of its own."""
    matches = list(DATE.finditer(text))
    if not matches or matches[-1].end() < len(text.rstrip()) or matches[-1].start() == 0:
        return [text]
    return [text[: matches[-1].start()].rstrip(), matches[-1].group()]


def _split_heading_from_measures(piece):
    """一、主要工作一是…二是…, flattened: the heading stands before its 一是 with no punctuation."""
    if _heading_of(piece) is None:
        return [piece]
    first = piece.find("一是", 0, HEADING_GAP_MAX + 6)
    if first <= 0 or HEADING_END.search(piece, 0, first):
        return [piece]
    return [piece[:first], piece[first:]]


TITLE_ENDINGS = (
    "的报告",
    "的总结",
    "的汇报",
    "工作总结",
    "自查报告",
    "述职报告",
    "调研报告",
    "情况报告",
    "报告",
    "总结",
)


def _split_title(text):
    """The title at the start of a flattened line (关于…的报告今年以来…), as a line of its own."""
    for ending in TITLE_ENDINGS:
        end = text.find(ending, 0, TITLE_MAX)
        if end > 0:
            title = text[: end + len(ending)]
            if not re.search("[。；;！!？?：:]", title) and text[len(title) :].strip():
                return [title, text[len(title) :]]
    return [text]


# Step 2: debris and punctuation ---------------------------------------------------------------


def _debris_rules():
    return [(name, re.compile(pattern)) for name, pattern in settings.HUIGAO_DEBRIS_RULES]


def _noise_patterns():
    return [re.compile(pattern) for pattern in settings.HUIGAO_NOISE_PATTERNS]


def _remove_pieces(text, patterns, number):
    removed = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            if match.group().strip():
                removed.append(Removal(number, match.group().strip(), "inline"))
        text = pattern.sub("", text)
    return text, removed


def read_lines(raw_paragraphs):
    """Step 1 and 2: the input's lines, debris removed (as lines with the role NOISE) and
    punctuation converted; also the pieces cut out of kept lines."""
    rules = _debris_rules()
    patterns = _noise_patterns()
    lines, pieces = [], []
    for number, paragraph in enumerate(raw_paragraphs, start=1):
        if isinstance(paragraph, dict):  # a table of a DOCX
            lines.append(Line(number, table_summary(paragraph), LineRole.TABLE, table=paragraph))
            continue
        # A manual line break inside a DOCX paragraph separates paragraphs just as well.
        for part in clean_text(paragraph).split("\n"):
            for text in _flat_pieces(_normalise_space(part)):
                # Debris is a short line: a long paragraph that mentions 来源： is text.
                rule = len(text) <= DEBRIS_MAX and next((name for name, pattern in rules if pattern.search(text)), "")
                if rule:
                    lines.append(Line(number, text, LineRole.NOISE, rule))
                    continue
                text, found = _remove_pieces(text, patterns, number)
                pieces.extend(found)
                text = _normalise_space(text)
                if not text:
                    continue
                converted = full_width_punctuation(text)
                lines.append(Line(number, converted, LineRole.BODY, original=text if converted != text else ""))
    return lines, pieces


def table_summary(table):
    """A table as one line of the import preview: its size and first row."""
    rows = table["rows"]
    return _("[Table: %(rows)d rows, %(columns)d columns] %(first)s") % {
        "rows": len(rows),
        "columns": len(rows[0]),
        "first": " | ".join(one_line(cell) for cell in rows[0])[:200],
    }


def _flat_pieces(text):
    if not text:
        return []
    pieces = unflatten(text)
    if len(pieces) > 1:
        pieces = [*_split_title(pieces[0]), *pieces[1:-1], *_split_signature(pieces[-1])]
        pieces = [part for piece in pieces for part in _split_heading_from_measures(piece)]
    return [_normalise_space(piece) for piece in pieces if _normalise_space(piece)]


# Step 3: roles ------------------------------------------------------------------------------


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


def _looks_like_title(text):
    return len(text) <= TITLE_MAX and TITLE_LIKE.match(text) is not None and _heading_of(text) is None


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
        text = paragraph[match.end() :].lstrip(" \t\u3000、")
        heading, rest = split_run_in_heading(text)
        if not heading or len(heading) > HEADING_MAX:
            continue
        return level, number, heading, rest.strip()
    return None


def _strip_label(text):
    """A line the user made a heading: its label (if any) is derived again, so it goes."""
    for _level, pattern in HEADING_PATTERNS:
        match = pattern.match(text)
        if match is not None:
            return text[match.end() :].lstrip(" \t\u3000、")
    return text


def split_run_in_heading(text):
    """ "在…方面。一是…" → ("在…方面", "一是…"): the heading is the first sentence or clause,
    or what stands before a space when a long text follows it."""
    end = HEADING_END.search(text)
    cut = end.start() if end else len(text)
    gap = HEADING_GAP.search(text, 0, min(cut, HEADING_GAP_MAX + 1))
    # Only a sentence after the space is the heading's text: 强化 组织 领导 is one heading.
    if gap is not None and gap.start() >= 4 and _reads_as_text(text[gap.end() :]):
        return text[: gap.start()].strip(), text[gap.end() :].strip()
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


def _reads_as_text(text):
    text = text.strip()
    return len(text) >= 20 or (len(text) >= 6 and text.endswith(("。", "！", "？")))


def _has_run_in_measures(text, first):
    """一是 opening a sentence after an intro sentence, with 二是 after it: 主要做了以下工作。一是…；
    二是…。 After a colon (会议要求：一是…；二是…) the list is part of the intro's sentence."""
    start = ordinal_at(text, first)
    if start <= 0 or text[:start].rstrip(" \t\u3000")[-1:] not in "。！？!?":
        return False
    return ordinal_at(text, first + 1, start) != -1


def assign_roles(lines):
    """Step 3: give every kept line its role, in place (debris keeps NOISE)."""
    # Tables keep their role: the roles of the text around them are read from the text alone.
    kept = [line for line in lines if line.role != LineRole.NOISE and line.table is None]
    if not kept:
        return
    _find_title(kept)
    body = [line for line in kept if line.role not in (LineRole.NOISE, LineRole.TITLE, LineRole.ADDRESSEE)]
    # After the signature: the 附注, the attachments and the 版记.
    body = attachment_reading.mark_roles(lines, body, lambda text: _match_date(text) is not None)
    # The signature block: the date last, the issuer just above it.
    if body and _match_date(body[-1].text):
        body[-1].role = LineRole.DATE
        body.pop()
    if body and _looks_like_issuer(body[-1].text):
        body[-1].role = LineRole.ISSUER
        body.pop()
    body = attachment_reading.mark_note(body)
    _walk_body(body)


def _find_title(kept):
    window = []
    for line in kept[:TITLE_WINDOW]:
        if _heading_of(line.text) is not None or starts_with_ordinal(line.text):
            break
        window.append(line)
    title_at = next((i for i, line in enumerate(window) if _looks_like_title(line.text)), None)
    if title_at is not None:
        for line in window[:title_at]:
            line.role, line.rule = LineRole.NOISE, "before_title"
        title = window[title_at]
        title.role = LineRole.TITLE
        rest = kept[kept.index(title) + 1 :]
        for line in rest[:3]:
            if line.text == title.text or (title.text in line.text and len(line.text) <= len(title.text) + 6):
                line.role, line.rule = LineRole.NOISE, "repeated_title"
        after = [line for line in rest if line.role != LineRole.NOISE]
    else:
        first = kept[0]
        if ADDRESSEE.match(first.text) or _heading_of(first.text) is not None or starts_with_ordinal(first.text):
            after = kept
        elif len(first.text) <= TITLE_MAX and not first.text.endswith(("。", "；", ";")):
            first.role = LineRole.TITLE
            after = kept[1:]
        else:
            after = kept
    if after and ADDRESSEE.match(after[0].text) and len(after[0].text) <= ADDRESSEE_MAX:
        after[0].role = LineRole.ADDRESSEE


class _Tracker:
    """The numbering seen so far, to tell a heading from a label quoted in running text."""

    def __init__(self):
        self.stack = []  # open headings: [style, {style: last number among its children}]
        self.top = {}  # {style: last number} at the top level
        self.last = {}  # {style: last number anywhere}: numbering continued across parents

    def accepts(self, style, number):
        depth = len(self.stack)
        while depth and self.stack[depth - 1][0] >= style:
            depth -= 1
        counts = self.stack[depth - 1][1] if depth else self.top
        if style in counts:
            return number == counts[style] + 1
        # The first of its kind under this parent: 1, or the next of a numbering that runs on
        # across parents (1. 2. under （一）, then 3. under （二）).
        return number == 1 or (style >= 3 and number == self.last.get(style, 0) + 1)

    def open(self, style, number):
        depth = len(self.stack)
        while depth and self.stack[depth - 1][0] >= style:
            depth -= 1
        del self.stack[depth:]
        (self.stack[depth - 1][1] if depth else self.top)[style] = number
        self.stack.append([style, {}])
        self.last[style] = number
        # Deeper numbering restarts under a new parent unless it runs on (tracked in `last`).


def _walk_body(body):
    tracker = _Tracker()
    next_ordinal = 1
    in_section = False
    events = []  # (line, kind) with kind heading | measure | text | preamble
    for line in body:
        heading = _heading_of(line.text)
        if heading is not None:
            style, number, _text, rest = heading
            if tracker.accepts(style, number):
                tracker.open(style, number)
                line.role = ROLE_OF_LEVEL[style]
                in_section = True
                next_ordinal = 1 + _measures_in(rest, 1)
                events.append((line, "heading"))
                continue
        if not in_section:
            line.role = LineRole.BODY
            events.append((line, "preamble"))
            continue
        if starts_with_ordinal(line.text, next_ordinal) or _has_run_in_measures(line.text, next_ordinal):
            line.role = LineRole.MEASURE
            next_ordinal += _measures_in(line.text, next_ordinal)
            events.append((line, "measure"))
        else:
            line.role = LineRole.BODY
            events.append((line, "text"))
    _mark_closing(events)


def _measures_in(text, first):
    return len(split_measures(text, first=first).measures) if text else 0


def _mark_closing(events):
    """The closing: text after the last heading or measure. After measures such text cannot be
    the section's intro (which comes first), so all of it closes the report; after a heading it
    closes the report from the first paragraph that reads like a closing."""
    last_structural = max((i for i, (_line, kind) in enumerate(events) if kind in ("heading", "measure")), default=-1)
    if last_structural < 0:
        return
    after_measures = events[last_structural][1] == "measure"
    for line, _kind in events[last_structural + 1 :]:
        if after_measures or line.text.startswith(CLOSING_STARTS) or line.text.endswith(CLOSING_ENDS):
            after_measures = True  # everything from here on closes the report
            line.role = LineRole.CLOSING


# Step 4: assembly -----------------------------------------------------------------------------


def assemble(lines, punctuation=True, pieces=()):
    """The report the lines and their roles describe (the user's corrections included)."""
    parsed = ParsedReport(lines=lines, pieces_removed=list(pieces), punctuation_converted=punctuation)
    stack = []
    multi = single = 0
    titles, addressees, imprint = [], [], []
    attachments = attachment_reading.Attachments()
    for line in lines:
        text = line.text if punctuation or not line.original else line.original
        role = line.role
        if role in ATTACHMENT_ROLES:
            attachments.add_line(role, text, line.table)
        elif role == LineRole.IMPRINT:
            imprint.append(line)
        elif line.table is not None and role != LineRole.NOISE:
            # A table stays a table whatever role the user picks, unless they remove it; one
            # larger than a section's table can be is kept as its lines.
            table = _section_table(line.table)
            if stack and table:
                stack[-1].measures.append(["", "", table])
            elif stack:
                stack[-1].intro.extend(tables.table_lines(line.table))
            else:
                parsed.preamble.extend(tables.table_lines(line.table))
        elif role == LineRole.ANNOTATION:
            parsed.annotation = "".join(filter(None, [parsed.annotation, text]))
        elif role == LineRole.NOISE:
            parsed.removed.append(Removal(line.number, line.text, line.rule))
        elif role == LineRole.TITLE:
            titles.append(text)
        elif role == LineRole.ADDRESSEE:
            addressees.append(text)
        elif role in HEADING_ROLES:
            style = HEADING_ROLES[role]
            found = _heading_of(text)
            heading, rest = (found[2], found[3]) if found else split_run_in_heading(_strip_label(text))
            if len(heading) > HEADING_MAX:
                heading, rest = heading[:HEADING_MAX], heading[HEADING_MAX:] + rest
            while stack and stack[-1].style >= style:
                stack.pop()
            section = ParsedSection(heading=heading or text[:HEADING_MAX], style=style)
            (stack[-1].children if stack else parsed.sections).append(section)
            stack.append(section)
            if rest:
                multi, single = _add_text(section, rest, multi, single)
        elif role == LineRole.MEASURE and stack:
            multi, single = _add_measures(stack[-1], text, multi, single, force=True)
        elif role in (LineRole.BODY, LineRole.MEASURE, LineRole.TABLE):
            if stack:
                multi, single = _add_text(stack[-1], text, multi, single)
            else:
                parsed.preamble.append(text)
        elif role == LineRole.CLOSING:
            parsed.closing.append(text)
        elif role == LineRole.ISSUER:
            parsed.issuer = " ".join(filter(None, [parsed.issuer, text]))[:ISSUER_MAX]
        elif role == LineRole.DATE:
            parsed.date_text, parsed.issued_on = _match_date(text) or (text[:40], None)
    parsed.attachments = attachments.finished()
    fields = attachment_reading.imprint_fields(imprint)
    parsed.cc, parsed.printed_by = fields.get("cc", ""), fields.get("printed_by", "")
    parsed.printed_on = fields.get("printed_on")
    parsed.removed = _in_order(parsed.removed + parsed.pieces_removed)
    parsed.title = "".join(titles)
    parsed.addressee = "、".join(a.rstrip("：:") for a in addressees) + ("：" if addressees else "")
    parsed.measure_layout = MeasureLayout.RUN_IN if multi > single else MeasureLayout.PARAGRAPHS
    return parsed


ATTACHMENT_ROLES = (LineRole.ATTACHMENT_NOTE, LineRole.ATTACHMENT, LineRole.ATTACHMENT_TITLE, LineRole.ATTACHMENT_BODY)


def _section_table(table):
    try:
        return tables.normalise(table)
    except tables.TableError:
        return None


def _in_order(removals):
    return sorted(removals, key=lambda r: r.paragraph)


def _numbered(section):
    """How many of the section's measures take an ordinal (a table alone takes none)."""
    return sum(1 for measure in section.measures if len(measure) < 3)


def _add_text(section, text, multi, single):
    """Text under a heading: measures when it opens with the next ordinal (or runs them in
    after an intro sentence), else a paragraph of the section's intro."""
    first = _numbered(section) + 1
    if starts_with_ordinal(text, first) or _has_run_in_measures(text, first):
        return _add_measures(section, text, multi, single)
    section.intro.append(text)
    return multi, single


def _add_measures(section, text, multi, single, force=False):
    first = _numbered(section) + 1
    split = split_measures(text, first=first)
    if not split.measures:
        if not force:
            section.intro.append(text)
            return multi, single
        # The user says it is a measure: the whole line is one.
        section.measures.append(list(split_lead(text)))
        return multi, single + 1
    if split.intro:
        section.intro.append(split.intro)
    section.measures.extend([lead, body] for lead, body in split.measures)
    if len(split.measures) > 1:
        return multi + 1, single
    return multi, single + 1


def parse_paragraphs(raw_paragraphs):
    """Paragraphs (as read from any input) → ParsedReport."""
    lines, pieces = read_lines(raw_paragraphs)
    if not any(line.role != LineRole.NOISE for line in lines):
        if lines or pieces:
            raise ImportFailed(_("Nothing is left to import once the advertising text is removed."), code="empty")
        raise ImportFailed(_("The content is empty."), code="empty")
    assign_roles(lines)
    return assemble(lines, pieces=pieces)


def reassemble(parsed, roles, punctuation=True):
    """The report again, with the roles the user chose ({line index: role}); unknown roles and
    indexes are ignored."""
    lines = [Line(**vars(line)) for line in parsed.lines]
    for index, role in roles.items():
        if 0 <= index < len(lines) and role in LineRole.values:
            lines[index].role = role
    again = assemble(lines, punctuation=punctuation, pieces=parsed.pieces_removed)
    again.source_name = parsed.source_name
    return again


# Creating the report -----------------------------------------------------------------------


def create_report(parsed, lead_department, user=None, title=None):
    """Write a ParsedReport as a new Report, in one transaction, and log the import."""
    actor = user if user is not None and user.is_authenticated else None
    title = one_line(title or parsed.title)[:TITLE_MAX]
    if not title:
        raise ImportFailed(_("The report has no title: give it one."), code="no_title")
    with transaction.atomic():
        report = Report.objects.create(
            title=title,
            addressee=one_line(parsed.addressee)[:ADDRESSEE_MAX],
            preamble="\n".join(parsed.preamble),
            closing="\n".join(parsed.closing),
            issuer=one_line(parsed.issuer)[: Report._meta.get_field("issuer").max_length],
            issued_on=parsed.issued_on,
            issued_on_text="" if parsed.issued_on else parsed.date_text,
            annotation=one_line(parsed.annotation)[: Report._meta.get_field("annotation").max_length],
            cc=one_line(parsed.cc)[: Report._meta.get_field("cc").max_length],
            printed_by=one_line(parsed.printed_by)[: Report._meta.get_field("printed_by").max_length],
            printed_on=parsed.printed_on,
            measure_layout=parsed.measure_layout,
            lead_department=lead_department,
            created_by=actor,
        )
        content.create_sections(report, _new_sections(parsed.sections), actor)
        if len(parsed.attachments) > MAX_ATTACHMENTS:
            raise ImportFailed(
                _("A report has at most %(max)d attachments.") % {"max": MAX_ATTACHMENTS}, code="too_many_attachments"
            )
        Attachment.objects.bulk_create(
            Attachment(
                report=report,
                position=position,
                title=one_line(attachment.title)[:ATTACHMENT_TITLE_MAX] or f"附件{position + 1}",
                body="\n".join(attachment.body),
                table=attachment.table,
            )
            for position, attachment in enumerate(parsed.attachments)
        )
        noise = "；".join(r.text for r in parsed.removed)
        comment = _("Imported from %(source)s.") % {"source": parsed.source_name or _("pasted text")}
        if parsed.removed:
            comment += " " + _("Removed %(count)s pieces of noise: %(noise)s") % {
                "count": len(parsed.removed),
                "noise": noise,
            }
        ReportEvent.objects.create(report=report, actor=actor, action=ReportAction.IMPORT, comment=comment)
    return report


def _new_sections(parsed_sections):
    return [
        content.NewSection(
            heading=one_line(parsed.heading)[:HEADING_MAX],
            intro="\n".join(parsed.intro),
            measures=[(one_line(m[0])[:500], m[1], None, m[2] if len(m) > 2 else None) for m in parsed.measures],
            children=_new_sections(parsed.children),
        )
        for parsed in parsed_sections
    ]
