"""The report as HTML blocks for the preview page, walked exactly as the DOCX export walks it."""

from dataclasses import dataclass, field

from reports.docx_export import write_report
from reports.placeholders import split_placeholders
from reports.text import clean_text


@dataclass
class Piece:
    text: str
    bold: bool = False
    placeholder: bool = False
    role: str = ""


@dataclass
class Block:
    kind: str  # title, blank, body, heading1–4, measure, pending, issuer, date
    pieces: list = field(default_factory=list)
    section: object = None
    # Left indent of the issuer and the date, in half characters (a CSS class per step).
    indent_halves: int | None = None


class _HtmlBuilder:
    def __init__(self):
        self.blocks = []

    def paragraph(self, style_id, runs, left_chars=None, kind="body", section=None):
        block = Block(kind=kind, section=section)
        if left_chars is not None:
            block.indent_halves = round(left_chars * 2)
        for text, bold, *role in runs:
            text = clean_text(text)
            for piece, is_placeholder in split_placeholders(text):
                block.pieces.append(Piece(piece, bold, is_placeholder, role[0] if role else ""))
        self.blocks.append(block)


def report_blocks(report, draft=True):
    """Every paragraph of the report as a Block, placeholders split out for highlighting."""
    builder = _HtmlBuilder()
    write_report(builder, report, draft)
    return builder.blocks
