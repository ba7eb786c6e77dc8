"""The report in reading order, paragraph by paragraph: the walk the DOCX export and the preview
share, so both show the same text, numbers and marks.

`write_report` calls `b.paragraph(kind, runs, left_chars=None)` for each paragraph.
Kinds: title, blank, addressee, body, heading1–4, pending (the 【待报送】 mark), measure, issuer,
date, annotation (附注), attachment_label (附件1, starting a new page), attachment_title. The
title's and an attachment title's one run holds its lines of sense (reports/titles.py) separated
by newlines; no other run holds a newline. Besides paragraphs: `b.attachment_note(items)` (the
附件说明, items of (number, title), number "" for a single attachment) and
`b.imprint(cc_line, printed_by, printed_line)` (the 版记, last, at the foot of an even page).
Runs are (text, bold) or (text, bold, role) with role "tag" (department and state), "changed"
(the same tag of a signed section whose text changed after sign-off: 签发后改动) or "pending".
A table, a measure's or an attachment's, is `b.table(table, limits)` (reports/tables.py's format
and the limits it was stored under, tables.SECTION or tables.ATTACHMENT): a
measure's follows its paragraph; a measure that is a table alone has no paragraph, and a table breaks a run-in paragraph of measures.
What a kind looks like is the builder's business (a Word style, an HTML element).
"""

import dataclasses
import math
from dataclasses import dataclass, field

from django.utils import translation

from reports import attachments, numbering, tables
from reports.lru import LRU
from reports.models import Department, MeasureLayout, Section, fingerprint, measures_by_section
from reports.numbering import numbered_measures
from reports.placeholders import split_placeholders
from reports.splitting import SENTENCE_END, join_measure
from reports.states import CHANGED_TAG, SIGNED_STATES, UNSENT_STATES, draft_tags
from reports.text import clean_text, paragraphs
from reports.titles import title_lines

DRAFT_HEADER = "征求意见稿"
UNDATED = "【成文日期待定】"
CHARS_PER_LINE = 28


@dataclass(slots=True)
class OutlineSection:
    """A section in reading order without a model instance (the walk, the board and
    gate.report_problems read pk, heading, intro and label): building thousands of Section,
    Assignment and Department instances cost more than everything else a large page does."""

    pk: int
    parent_id: int | None
    position: int
    heading: str
    intro: str
    state: str | None  # None: the coordinating office writes it
    department: Department | None
    values: dict = field(repr=False)  # the row as the query returned it, with any extra fields
    level: int = 0
    number: int = 0
    label: str = ""
    path: tuple = ()


_DEPARTMENT_FIELDS = (
    "assignment__department__name",
    "assignment__department__short_name",
    "assignment__department__position",
)
_OUTLINE_FIELDS = ("pk", "parent_id", "position", "heading", "intro", "assignment__state", "assignment__department_id")


def numbered_outline(report, *fields, **expressions):
    """Every section of the report as a numbered OutlineSection, in reading order, and the
    departments they are assigned to ({pk: Department}): one query, whatever the size.
    `fields` and `expressions` (as values() takes them) add values the caller reads from each
    section's .values."""
    rows = (
        Section.objects.filter(report=report)
        .order_by()  # number_tree ranks siblings itself
        .values(*_OUTLINE_FIELDS, *_DEPARTMENT_FIELDS, *fields, **expressions)
    )
    departments = {}
    sections = []
    for row in rows:
        department_id = row["assignment__department_id"]
        if department_id is not None and department_id not in departments:
            departments[department_id] = Department(
                pk=department_id,
                **{name.removeprefix("assignment__department__"): row[name] for name in _DEPARTMENT_FIELDS},
            )
        sections.append(
            OutlineSection(
                row["pk"],
                row["parent_id"],
                row["position"],
                row["heading"],
                row["intro"],
                row["assignment__state"],
                departments.get(department_id),
                row,
            )
        )
    return numbering.number_tree(sections), departments


def write_report(b, report, draft):
    """Walk the report in reading order, calling b.paragraph(kind, runs, …) for each paragraph."""
    b.paragraph("title", [("\n".join(title_lines(clean_text(report.title))), False)])
    b.paragraph("blank", [])
    addressee = addressee_line(report.addressee)
    if addressee:
        b.paragraph("addressee", [(addressee, False)])
    for text in paragraphs(report.preamble):
        b.paragraph("body", [(text, False)])

    bold_leads = report.bold_measure_leads
    run_in = report.measure_layout == MeasureLayout.RUN_IN
    lead_department = clean_text(report.lead_department.display_name)
    # One dict for the page: a translation per section would cost more than the section.
    tags = draft_tags()
    outline, _departments = numbered_outline(
        report, "assignment__signed_hash", "version", "tally__version", "tally__fingerprint"
    )
    layout = (bold_leads, run_in)
    # A section whose tally is up to date names its text by the tally's fingerprint; its body
    # walked before for that text and layout is replayed, and its measures are not read.
    texts, bodies = {}, {}
    for section in outline:
        v = section.values
        if v["tally__version"] == v["version"] and v["tally__fingerprint"]:
            texts[section.pk] = v["tally__fingerprint"]
            body = BODIES.get((v["tally__fingerprint"], layout))
            if body is not None:
                bodies[section.pk] = body
    unread = [section for section in outline if section.pk not in bodies]
    # Most of the report: one query naming the report beats hundreds of section ids.
    measures_of = measures_by_section(unread, carried=False, report=report if 2 * len(unread) > len(outline) else None)
    has_children = {s.parent_id for s in outline}
    for section in outline:
        kind = f"heading{min(section.level, numbering.MAX_LEVEL)}"
        runs = [(section.label + single_line(section.heading), False)]
        department = section.department
        who = clean_text(department.display_name) if department is not None else lead_department
        body = bodies.get(section.pk)
        if body is None:
            measures = measures_of.get(section.pk, ())
            body = _section_body(section, measures, bold_leads, run_in)
            if section.pk in texts:
                # Only a section with a tally up to date is looked up; the key is the fingerprint
                # of the text walked, in case it changed since the tally was read.
                BODIES.put((fingerprint(section, measures), layout), body)
        if draft and department is not None:
            if changed_after_sign_off(section, text=texts.get(section.pk), measures=measures_of.get(section.pk, ())):
                runs.append((f"〔{who}·{tags[section.state]}·{tags[CHANGED_TAG]}〕", False, "changed"))
            else:
                runs.append((f"〔{who}·{tags[section.state]}〕", False, "tag"))
        b.paragraph(kind, runs)

        if draft:
            empty = not body.has_text and section.pk not in has_children
            # 待报送 while the department has not signed it off: once signed, it has been sent in.
            pending = department is not None and section.state in UNSENT_STATES
            if empty or pending:
                b.paragraph("pending", [(f"【待报送：{who}】", False, "pending")])
        body.replay(b)

    for text in paragraphs(report.closing):
        b.paragraph("body", [(text, False)])
    items = attachment_items(report)
    if items:
        # 附件说明: one blank line under the body, then 附件：1. … (7.3.4).
        b.paragraph("blank", [])
        b.attachment_note([(item.number, item.title) for item in items])
    _write_signature(b, report, draft)
    annotation = single_line(report.annotation)
    if annotation:
        b.paragraph("annotation", [(annotation, False)])
    for item in items:
        # Each on a page of its own: 附件N at the top left, the title centred, the text as the body's (7.4, 8.2).
        b.paragraph("attachment_label", [(item.label, False)])
        b.paragraph("attachment_title", [("\n".join(title_lines(item.title)), False)])
        b.paragraph("blank", [])
        for text in paragraphs(item.body):
            b.paragraph("body", [(text, False)])
        if item.table:
            b.table(item.table, tables.ATTACHMENT)
    imprint = imprint_lines(report)
    if imprint:
        b.imprint(*imprint)


def changed_after_sign_off(section, measures=(), text=None):
    """Whether an outline section's text is no longer the one its department signed (the
    fingerprint its sign-off pinned), as Assignment.changed_since_sign_off says of a model.
    `text`: the text's fingerprint where its tally says it, else it is taken of `measures`."""
    signed_hash = section.values.get("assignment__signed_hash")
    if not (section.state in SIGNED_STATES and signed_hash):
        return False
    return (text or fingerprint(section, measures)) != signed_hash


@dataclass(slots=True, frozen=True)
class SectionBody:
    """A section's intro and measures as the walk's calls, to replay into a builder: what
    write_report hands over after the heading. Shared between walks (BODIES): builders read
    the calls' runs and tables, never change them."""

    has_text: bool  # an intro or measures: a section with neither is 待报送 in a draft
    calls: tuple

    def replay(self, builder):
        replay(self.calls, builder)


def _section_body(section, measures, bold_leads, run_in):
    b = Calls()
    intro = paragraphs(section.intro)
    measures = numbered_measures(measures)
    for text in intro:
        b.paragraph("body", [(text, False)])
    if run_in and measures:
        runs = []
        for measure in measures:
            if measure.ordinal:
                runs.extend(_measure_runs(measure, bold_leads))
                text = runs[-1][0]
                if text and text[-1] not in SENTENCE_END + "；;":
                    runs.append(("。", False))
            if measure.table:
                if runs:
                    b.paragraph("measure", runs)
                runs = []
                b.table(measure.table)
        if runs:
            b.paragraph("measure", runs)
    else:
        for measure in measures:
            if measure.ordinal:
                b.paragraph("measure", _measure_runs(measure, bold_leads))
            if measure.table:
                b.table(measure.table)
    return SectionBody(bool(intro or measures), tuple(b.calls))


# Section bodies walked before, by (the fingerprint of the section's text, the report's measure
# layout), of which a body is a function: the preview and the exports replay a body already
# walked for the same text instead of reading its measures and walking it again. Some twenty
# reports of 500 sections.
BODIES = LRU(10_000)


@dataclass(slots=True)
class AttachmentItem:
    number: str  # "" for a single attachment
    label: str  # 附件1, or 附件
    title: str
    body: str
    table: dict | None  # reports/tables.py's normal form


def attachment_items(report):
    """The report's attachments in order, numbered and cleaned for printing: one query."""
    rows = list(report.attachments.values_list("title", "body", "table"))
    numbers, labels = attachments.numbers(len(rows)), attachments.labels(len(rows))
    return [
        AttachmentItem(number, label, single_line(title), body, tables.normalise(table, tables.ATTACHMENT))
        for number, label, (title, body, table) in zip(numbers, labels, rows, strict=True)
    ]


def imprint_lines(report):
    """The 版记 as (抄送 line or "", 印发机关, 印发日期 line), or None without one (GB/T 9704 7.5)."""
    printed_by = single_line(report.printed_by)
    if not printed_by or report.printed_on is None:
        return None
    cc = single_line(report.cc).rstrip("。")
    cc_line = f"抄送：{cc}。" if cc else ""
    return cc_line, printed_by, f"{issued_on_text(report.printed_on)}印发"


def _measure_runs(measure, bold_leads):
    # Cleaned once here: join_measure only strips and adds a 。.
    lead, body = clean_text(measure.lead), clean_text(measure.body)
    text = _one_line(join_measure(lead, body))
    if not bold_leads:
        return [(measure.ordinal + text, False)]
    # join_measure(lead, "") is always a prefix of join_measure(lead, body).
    head = _one_line(join_measure(lead, ""))
    runs = [(measure.ordinal + head, True)]
    if text[len(head) :]:
        runs.append((text[len(head) :], False))
    return runs


def addressee_line(addressee):
    """The 主送机关 as printed: one line ending in a full-width colon (GB/T 9704 7.3.2)."""
    addressee = single_line(addressee).rstrip(":：")
    return f"{addressee}：" if addressee else ""


def issued_on_text(date):
    """2025年6月9日: Arabic numerals, no leading zeros."""
    return f"{date.year}年{date.month}月{date.day}日"


def text_width(text):
    """Width in characters of 16 pt: half-width (ASCII) characters count half."""
    return sum(0.5 if ord(ch) < 0x7F else 1 for ch in text)


# The text area is 156 mm = 442.2 pt: 27.6 characters of 16 pt (the 28th fits only condensed).
LINE_CHARS = 442.2 / 16
# Half-width digits are half a character in Times New Roman, but a deployment without it sets
# them in a fallback font: LibreOffice here sets them 0.78 of a character wide.
WIDEST_HALF_WIDTH = 0.8


def signature_indents(issuer, date_text):
    """Left indents (in characters) of the issuer and the date, per GB/T 9704 §7.3.5.2.

    The issuer stands 右空二字; the date starts two characters right of the issuer's start.
    A date that would then run past the issuer's right space stands 右空二字 itself and
    pushes the issuer left by as much. The date never wraps: its indent leaves room for it
    at its widest (digits in a fallback font), and the issuer moves left with it.
    """
    issuer_w, date_w = text_width(issuer), text_width(date_text)
    issuer_left = CHARS_PER_LINE - 2 - issuer_w
    if date_text and issuer_left + 2 + date_w > CHARS_PER_LINE - 2:
        issuer_left = CHARS_PER_LINE - 2 - date_w - 2
    if date_text:
        widest = sum(WIDEST_HALF_WIDTH if ord(ch) < 0x7F else 1 for ch in date_text)
        # In half characters, the preview's steps.
        latest_date = math.floor(2 * (LINE_CHARS - widest)) / 2
        issuer_left = min(issuer_left, latest_date - 2)
    return max(issuer_left, 0), max(issuer_left + 2, 0)


def _write_signature(b, report, draft):
    issuer = single_line(report.issuer)
    date_text = UNDATED if draft else ""
    if report.issued_on:
        date_text = issued_on_text(report.issued_on)
    elif report.issued_on_text:
        # A date still holding placeholders (2025年12月X日), kept as written.
        date_text = single_line(report.issued_on_text)
    if not issuer and not date_text:
        return
    issuer_left, date_left = signature_indents(issuer, date_text)
    b.paragraph("blank", [])  # one blank line after the text
    if issuer:
        b.paragraph("issuer", [(issuer, False)], left_chars=issuer_left)
    if date_text:
        b.paragraph("date", [(date_text, False)], left_chars=date_left)


def single_line(text):
    """A one-line text (title, heading, measure): clean, newlines become nothing."""
    return _one_line(clean_text(text))


def _one_line(clean):
    return clean.replace("\n", "").strip()


class _Blocks:
    """Collects the walk's paragraphs as plain blocks for the preview's template.

    Most of a report is paragraphs of one plain piece (no placeholder, not bold). A block is one
    paragraph that is not (a heading, a paragraph with a placeholder, the title …) followed by
    the plain ones up to the next block: its `bodies` and `measures`, which the template prints
    in a loop of their own, so a typical section is one step of the page's loop.

    A block has its kind, its pieces (text, bold, role, plain when it is neither, and the `mark`:
    the placeholder right after the text, if any), each text scanned for placeholders once, and
    the issuer's and date's left indent in half characters (a CSS class per step). A heading
    keeps its text, its 〔department·state〕 `tag` and the 【待报送】 mark that follows it
    (`pending`) apart when they hold no placeholder, so the template prints them without the
    pieces' loop.
    """

    def __init__(self):
        self.blocks = []

    def paragraph(self, kind, runs, left_chars=None):
        # The walk hands over clean text only; each is scanned once.
        splits = [split_placeholders(run[0]) for run in runs]
        if kind in PARAGRAPH_KINDS and len(runs) == 1 and not runs[0][1]:
            # Most of a report: one run, not bold, and plain unless it holds a placeholder.
            split = splits[0]
            if len(split) == 1 and not split[0][1]:
                self._plain(kind, split[0][0])
                return
        pieces = []
        tag = ""
        tag_changed = False
        for (_text, bold, *role), split in zip(runs, splits, strict=True):
            role = role[0] if role else ""
            if role in TAG_ROLES and len(split) == 1 and not split[0][1]:
                tag, tag_changed = split[0][0], role == "changed"
                continue
            piece = None
            for fragment, placeholder in split:
                if placeholder and piece is not None and not piece["mark"]:
                    piece["mark"] = fragment
                    continue
                text = "" if placeholder else fragment
                # An empty fragment before a placeholder needs no <strong> or <span> of its own.
                plain = not (text and (bold or role))
                piece = {
                    "text": text,
                    "bold": bold,
                    "role": role,
                    "plain": plain,
                    "mark": fragment if placeholder else "",
                }
                pieces.append(piece)
        if kind in ("title", "attachment_title"):
            # One line of pieces per line of sense, so the preview breaks where the DOCX does.
            self._append(kind, lines=_lines(pieces))
            return
        # One piece without a placeholder or bold: its role, if any, is its kind's (the pending mark).
        single = pieces[0] if len(pieces) == 1 else None
        text = single["text"] if single and not (single["mark"] or single["bold"]) else ""
        last = self.blocks[-1] if self.blocks else None
        if kind == "pending" and text and last is not None and last["heading"]:
            # Shown with its heading, which it always follows.
            last["pending"] = text
            return
        if text and kind in PARAGRAPH_KINDS:
            self._plain(kind, text)
            return
        self._append(kind, pieces=pieces, text=text, tag=tag, tag_changed=tag_changed, left_chars=left_chars)

    def table(self, table, limits=tables.SECTION):
        """A table block: its rows of cells, each cell's lines split for their placeholders."""
        table = tables.normalise(table, limits)
        if not table:
            return
        rows = [[[split_placeholders(line) for line in cell.split("\n")] for cell in row] for row in table["rows"]]
        block = self._append("table")
        block["header"] = rows[0] if table["header"] else None
        block["rows"] = rows[1:] if table["header"] else rows

    def attachment_note(self, items):
        self._append("attachment_note", items=[{"number": number, "title": title} for number, title in items])

    def imprint(self, cc_line, printed_by, printed_line):
        self._append("imprint", cc=cc_line, printed_by=printed_by, printed=printed_line)

    def _plain(self, kind, text):
        """A paragraph of one plain piece joins the block before it (a body only ahead of its measures)."""
        last = self.blocks[-1] if self.blocks else None
        if last is None or (kind == "body" and last["measures"]):
            last = self._append("run")
        (last["bodies"] if kind == "body" else last["measures"]).append(text)

    def _append(self, kind, pieces=(), text="", tag="", tag_changed=False, left_chars=None, lines=(), **extra):
        block = {
            "lines": lines,
            "kind": kind,  # "run": plain paragraphs with nothing before them in their block
            "heading": kind.startswith("heading"),
            # A body or measure paragraph that needs its pieces.
            "paragraph": kind in PARAGRAPH_KINDS,
            "pieces": pieces,
            "text": text,
            "tag": tag,
            "tag_changed": tag_changed,  # the tag says 签发后改动
            "pending": "",
            "indent_halves": None if left_chars is None else round(left_chars * 2),
            "bodies": [],
            "measures": [],
            **extra,
        }
        self.blocks.append(block)
        return block


def _lines(pieces):
    """Pieces split at their newlines into lines, each a dict of its pieces (the template's `block`)."""
    lines = [{"pieces": []}]
    for piece in pieces:
        first, *rest = piece["text"].split("\n")
        lines[-1]["pieces"].append({**piece, "text": first, "mark": "" if rest else piece["mark"]})
        for number, text in enumerate(rest, 1):
            last = number == len(rest)
            lines.append({"pieces": [{**piece, "text": text, "mark": piece["mark"] if last else ""}]})
    return lines


# The roles of a heading's 〔department·state〕 tag.
TAG_ROLES = ("tag", "changed")
# The kinds the preview shows as a <p class="doc-{kind}"> of their own.
PARAGRAPH_KINDS = ("body", "measure")


def report_blocks(report, draft=True):
    """Every paragraph of the report as a block (a dict) for the preview, in reading order."""
    builder = _Blocks()
    write_report(builder, report, draft)
    return builder.blocks


class Calls:
    """A builder that keeps the calls it is handed (b.paragraph, b.table …), to replay them into another."""

    def __init__(self):
        self.calls = []

    def paragraph(self, *args, **kwargs):
        self.calls.append(("paragraph", args, kwargs))

    def table(self, table, limits=tables.SECTION):
        self.calls.append(("table", (table, limits), {}))

    def attachment_note(self, *args, **kwargs):
        self.calls.append(("attachment_note", args, kwargs))

    def imprint(self, *args, **kwargs):
        self.calls.append(("imprint", args, kwargs))

    def replay(self, builder):
        replay(self.calls, builder)


def replay(calls, builder):
    """Hand `calls` (a Calls' list) to another builder; another Calls just keeps them."""
    if isinstance(builder, Calls):
        builder.calls.extend(calls)
        return
    for name, args, kwargs in calls:
        getattr(builder, name)(*args, **kwargs)


class Walk(Calls):
    """The report walk's calls, kept: their fingerprint says whether the document would come
    out as before, and replayed into the DOCX builder they make the document without walking
    the report again."""

    def __init__(self, report, draft):
        super().__init__()
        with translation.override("zh-hans"):  # the tags' words, as build_document writes them
            write_report(self, report, draft)

    def shown(self):
        """The calls as plain values (lists, tuples, dicts, text, numbers) for the fingerprint."""
        return [
            (name, (args[0], dataclasses.astuple(args[1])), kwargs) if name == "table" else (name, args, kwargs)
            for name, args, kwargs in self.calls
        ]
