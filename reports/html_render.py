"""The report as HTML blocks for the preview page, walked exactly as the DOCX export walks it."""

from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import mark_safe

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


# The preview of a 500-section report is some 50,000 pieces: built here in one pass rather than
# through an {% include %} per block, which cost two thirds of the page's time. The markup is the
# one reports/_preview_pieces.html used to produce.
def _pieces_html(pieces):
    parts = []
    for piece in pieces:
        text = escape(piece.text)
        if piece.placeholder:
            parts.append(f'<mark class="placeholder">{text}</mark>')
        elif piece.role == "tag":
            parts.append(f'<span class="doc-tag">{text}</span>')
        elif piece.role == "pending":
            parts.append(f'<span class="doc-pending-mark">{text}</span>')
        elif piece.bold:
            parts.append(f"<strong>{text}</strong>")
        else:
            parts.append(text)
    return "".join(parts)


def _block_html(block):
    kind = block.kind
    if kind == "title":
        return f'<h1 class="doc-title">{_pieces_html(block.pieces)}</h1>'
    if kind == "blank":
        return '<p class="doc-blank" aria-hidden="true">&nbsp;</p>'
    if kind.startswith("heading"):
        return f'<h2 class="doc-{escape(kind)}" data-testid="preview-heading">{_pieces_html(block.pieces)}</h2>'
    if kind in ("issuer", "date"):
        return (
            f'<p class="doc-sign doc-indent-h{block.indent_halves}" data-testid="preview-{kind}">'
            f"{_pieces_html(block.pieces)}</p>"
        )
    return f'<p class="doc-{escape(kind)}">{_pieces_html(block.pieces)}</p>'


def blocks_html(blocks):
    """The blocks as the preview's HTML, every text escaped."""
    return mark_safe("".join(f"\n  {_block_html(block)}\n  \n  " for block in blocks))
