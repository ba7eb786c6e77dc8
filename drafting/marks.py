"""Texts split at their placeholders (X月X日, ×××), for the templates to mark them.

drafting/_marked.html writes each `before` and then its placeholder in a <mark>, and the tail
last: one loop turn per placeholder, and none for the many texts without one.
"""

from dataclasses import dataclass

from reports.placeholders import PLACEHOLDER_RE


@dataclass(frozen=True, slots=True)
class Marked:
    pairs: tuple  # (text before, placeholder) for each placeholder, in order
    tail: str

    @property
    def placeholders(self):
        return len(self.pairs)


def marked(text):
    text = text or ""
    pairs, last = [], 0
    for match in PLACEHOLDER_RE.finditer(text):
        pairs.append((text[last : match.start()], match.group()))
        last = match.end()
    return Marked(tuple(pairs), text[last:])


def marked_table(table):
    """A table (reports/tables.py's format) with every cell marked: {"header": [cells] or None,
    "rows": [[cells]]} for drafting/_table.html; None for no table."""
    if not table:
        return None
    rows = [[marked(cell) for cell in row] for row in table["rows"]]
    return {"header": rows[0] if table["header"] else None, "rows": rows[1:] if table["header"] else rows}
