"""Texts split at their placeholders (X月X日, ×××) and at the figures a clone carried over from
last period that are still to be checked (reports.carried), for the templates to mark them.

drafting/_marked.html writes each `before` and then its mark in a <mark>, and the tail last:
one loop turn per mark, and none for the many texts without one. A pair's third item says
whether the mark is a carried figure rather than a placeholder.
"""

from dataclasses import dataclass

from reports.carried import marked_numbers
from reports.placeholders import PLACEHOLDER_RE


@dataclass(frozen=True, slots=True)
class Marked:
    pairs: tuple  # (text before, mark, is a carried figure) for each mark, in order
    tail: str

    @property
    def placeholders(self):
        return sum(1 for _before, _mark, carried in self.pairs if not carried)

    @property
    def carried(self):
        return sum(1 for _before, _mark, carried in self.pairs if carried)


def marked(text, carried_keys=()):
    text = text or ""
    spans = [(match.start(), match.end(), False) for match in PLACEHOLDER_RE.finditer(text)]
    if carried_keys:
        spans = sorted(spans + [(n.start, n.end, True) for n in marked_numbers(text, carried_keys)])
    pairs, last = [], 0
    for start, end, carried in spans:
        if start < last:  # a figure inside a placeholder's span cannot be: never overlap
            continue
        pairs.append((text[last:start], text[start:end], carried))
        last = end
    return Marked(tuple(pairs), text[last:])


def marked_table(table):
    """A table (reports/tables.py's format) with every cell marked: {"header": [cells] or None,
    "rows": [[cells]]} for drafting/_table.html; None for no table."""
    if not table:
        return None
    rows = [[marked(cell) for cell in row] for row in table["rows"]]
    return {"header": rows[0] if table["header"] else None, "rows": rows[1:] if table["header"] else rows}
