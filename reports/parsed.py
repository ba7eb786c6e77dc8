"""What the importer reads a document into: its lines and their roles, and the report they
describe (title, outline, closing, signature), as plain data that travels between the import
preview's requests as JSON."""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy

from reports import numbering, tables
from reports.models import MeasureLayout


class LineRole(models.TextChoices):
    """What a line of the input is, as the import preview shows it and the user may change it."""

    TITLE = "title", gettext_lazy("Title")
    ADDRESSEE = "addressee", gettext_lazy("Addressee (主送机关)")
    HEADING1 = "heading1", gettext_lazy("Heading, level 1 (一、)")
    HEADING2 = "heading2", gettext_lazy("Heading, level 2 (（一）)")
    HEADING3 = "heading3", gettext_lazy("Heading, level 3 (1.)")
    HEADING4 = "heading4", gettext_lazy("Heading, level 4 (（1）)")
    MEASURE = "measure", gettext_lazy("Measures (一是…)")
    BODY = "body", gettext_lazy("Body text")
    CLOSING = "closing", gettext_lazy("Closing")
    ISSUER = "issuer", gettext_lazy("Issuer")
    DATE = "date", gettext_lazy("Date")
    TABLE = "table", gettext_lazy("Table")
    ATTACHMENT_NOTE = "attachment_note", gettext_lazy("List of attachments (附件说明)")
    ANNOTATION = "annotation", gettext_lazy("Annotation (附注)")
    ATTACHMENT = "attachment", gettext_lazy("Attachment (附件): its mark")
    ATTACHMENT_TITLE = "attachment_title", gettext_lazy("Attachment title")
    ATTACHMENT_BODY = "attachment_body", gettext_lazy("Attachment text")
    IMPRINT = "imprint", gettext_lazy("Imprint (版记)")
    NOISE = "noise", gettext_lazy("Removed")


HEADING_ROLES = {LineRole.HEADING1: 1, LineRole.HEADING2: 2, LineRole.HEADING3: 3, LineRole.HEADING4: 4}
ROLE_OF_LEVEL = {level: role for role, level in HEADING_ROLES.items()}

# Why a line went, by the name of the rule that removed it (HUIGAO_DEBRIS_RULES); a rule an
# operator adds without a description here is shown by its name.
RULE_DESCRIPTIONS = {
    "breadcrumb": gettext_lazy("a web page's navigation (breadcrumb)"),
    "dateline": gettext_lazy("a web page's date line"),
    "page_info": gettext_lazy("a web page's publication details (source, time, views, font size)"),
    "source_url": gettext_lazy("a source line with a web address"),
    "timestamp": gettext_lazy("a web page's time stamp"),
    "related": gettext_lazy("a list of related articles"),
    "share": gettext_lazy("share, print and close buttons"),
    "site_blurb": gettext_lazy("a website's note about its collection"),
    "site_views": gettext_lazy("a website's name and view count"),
    "advertising": gettext_lazy("advertising"),
    "before_title": gettext_lazy("web page text before the title"),
    "repeated_title": gettext_lazy("the title repeated"),
    "inline": gettext_lazy("advertising or a paywall marker inside the text"),
}


@dataclass
class Line:
    """One line of the input and the role it was given."""

    number: int  # the paragraph of the source it comes from, 1-based, as the user counts
    text: str  # after debris removal and punctuation
    role: str = LineRole.BODY
    rule: str = ""  # for a removed line: the rule that removed it
    original: str = ""  # the text as written, when its punctuation was converted
    table: dict | None = None  # a table of the source (reports/tables.py's format); `text` sums it up

    @property
    def why(self):
        return RULE_DESCRIPTIONS.get(self.rule, self.rule)

    def to_dict(self):
        data = {"n": self.number, "t": self.text, "r": str(self.role), "u": self.rule, "o": self.original}
        if self.table:
            data["tb"] = self.table
        return data

    @classmethod
    def from_dict(cls, data):
        role = str(data.get("r", LineRole.BODY))
        return cls(
            number=int(data["n"]),
            text=str(data["t"]),
            role=role if role in LineRole.values else LineRole.BODY,
            rule=str(data.get("u", "")),
            original=str(data.get("o", "")),
            # A table of an attachment may be larger than a section's: the assembly decides.
            table=_table(data.get("tb"), tables.ATTACHMENT),
        )


@dataclass
class ParsedSection:
    heading: str
    intro: list = field(default_factory=list)  # paragraphs
    measures: list = field(default_factory=list)  # [[lead, body], …]; a table alone is ["", "", table]
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
            measures=[
                [str(m[0]), str(m[1]), *([_table(m[2])] if len(m) > 2 and _table(m[2]) else [])]
                for m in data.get("measures", [])
            ],
            children=[cls.from_dict(child) for child in data.get("children", [])],
            style=int(data.get("style", 1)),
        )


def _table(data, limits=tables.SECTION):
    try:
        return tables.normalise(data, limits)
    except tables.TableError:
        return None


@dataclass
class ParsedAttachment:
    title: str = ""
    body: list = field(default_factory=list)  # paragraphs
    table: dict | None = None

    def to_dict(self):
        return {"title": self.title, "body": list(self.body), "table": self.table}

    @classmethod
    def from_dict(cls, data):
        return cls(
            title=str(data.get("title", "")),
            body=[str(p) for p in data.get("body", [])],
            table=_table(data.get("table"), tables.ATTACHMENT),
        )


@dataclass
class Removal:
    paragraph: int  # 1-based, as the user counts paragraphs in the source
    text: str
    rule: str = ""

    @property
    def why(self):
        return RULE_DESCRIPTIONS.get(self.rule, self.rule)


@dataclass
class ParsedReport:
    title: str = ""
    addressee: str = ""
    preamble: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    closing: list = field(default_factory=list)
    issuer: str = ""
    date_text: str = ""
    issued_on: datetime.date | None = None
    annotation: str = ""
    attachments: list = field(default_factory=list)  # [ParsedAttachment, …]
    cc: str = ""
    printed_by: str = ""
    printed_on: datetime.date | None = None
    measure_layout: str = MeasureLayout.PARAGRAPHS
    removed: list = field(default_factory=list)  # [Removal, …] in source order
    source_name: str = ""
    lines: list = field(default_factory=list)  # [Line, …]: what the preview lets the user correct
    pieces_removed: list = field(default_factory=list)  # [Removal, …] cut out of kept lines
    punctuation_converted: bool = True

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
                        "measures": sum(1 for measure in section.measures if len(measure) < 3),
                        "tables": sum(1 for measure in section.measures if len(measure) > 2),
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

    @property
    def punctuation_changes(self):
        return [line for line in self.lines if line.original and line.role != LineRole.NOISE]

    def to_dict(self):
        return {
            "title": self.title,
            "addressee": self.addressee,
            "preamble": list(self.preamble),
            "sections": [s.to_dict() for s in self.sections],
            "closing": list(self.closing),
            "issuer": self.issuer,
            "date_text": self.date_text,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "annotation": self.annotation,
            "attachments": [a.to_dict() for a in self.attachments],
            "cc": self.cc,
            "printed_by": self.printed_by,
            "printed_on": self.printed_on.isoformat() if self.printed_on else None,
            "measure_layout": str(self.measure_layout),
            "removed": [{"paragraph": r.paragraph, "text": r.text, "rule": r.rule} for r in self.removed],
            "source_name": self.source_name,
            "lines": [line.to_dict() for line in self.lines],
            "pieces_removed": [{"paragraph": r.paragraph, "text": r.text, "rule": r.rule} for r in self.pieces_removed],
            "punctuation_converted": self.punctuation_converted,
        }

    @classmethod
    def from_dict(cls, data):
        def removals(key):
            return [Removal(int(r["paragraph"]), str(r["text"]), str(r.get("rule", ""))) for r in data.get(key, [])]

        return cls(
            title=str(data["title"]),
            addressee=str(data.get("addressee", "")),
            preamble=[str(p) for p in data.get("preamble", [])],
            sections=[ParsedSection.from_dict(s) for s in data.get("sections", [])],
            closing=[str(p) for p in data.get("closing", [])],
            issuer=str(data.get("issuer", "")),
            date_text=str(data.get("date_text", "")),
            issued_on=datetime.date.fromisoformat(data["issued_on"]) if data.get("issued_on") else None,
            annotation=str(data.get("annotation", "")),
            attachments=[ParsedAttachment.from_dict(a) for a in data.get("attachments", [])],
            cc=str(data.get("cc", "")),
            printed_by=str(data.get("printed_by", "")),
            printed_on=datetime.date.fromisoformat(data["printed_on"]) if data.get("printed_on") else None,
            measure_layout=data.get("measure_layout", MeasureLayout.PARAGRAPHS),
            removed=removals("removed"),
            source_name=str(data.get("source_name", "")),
            lines=[Line.from_dict(line) for line in data.get("lines", [])],
            pieces_removed=removals("pieces_removed"),
            punctuation_converted=bool(data.get("punctuation_converted", True)),
        )
