"""Measures in running text: 一是…。二是…。 split into (lead, body) and joined back.

Shared by the editor's paste-split, the importer and every renderer, so that a measure reads
the same wherever it is shown and a text survives import → export unchanged.
"""

import re
from dataclasses import dataclass, field

from reports.numbering import MAX_NUMBER, chinese_numeral

# An ordinal only opens a measure at the start of the text or after a sentence, clause or
# line break: so 十二是 never counts as 二是, and 是 inside a word never splits.
BOUNDARY = "\n。；;！？!?：:，,”’）)】"
SENTENCE_END = "。！？!?"
LEAD_MAX = 200


@dataclass
class SplitText:
    intro: str = ""
    measures: list = field(default_factory=list)  # [(lead, body), …]


def ordinal_at(text, n, start=0):
    """Index of the ordinal n是 at a boundary at or after `start`, or -1 (always past MAX_NUMBER)."""
    if n > MAX_NUMBER:
        return -1
    ordinal = f"{chinese_numeral(n)}是"
    position = text.find(ordinal, start)
    while position != -1:
        # Look back past spaces without slicing: slicing made huge paragraphs quadratic.
        back = position - 1
        while back >= 0 and text[back] in " \t\u3000":
            back -= 1
        if back < 0 or text[back] in BOUNDARY:
            return position
        position = text.find(ordinal, position + 1)
    return -1


def starts_with_ordinal(text, n=1):
    return n <= MAX_NUMBER and text.lstrip(" \t\u3000").startswith(f"{chinese_numeral(n)}是")


def split_lead(text):
    """一个举措的文字 → (lead, body): the lead is the first sentence without its full stop.

    A first sentence too long to be a lead leaves the lead empty and all the text as body.
    """
    text = text.strip()
    match = re.search(f"[{SENTENCE_END}]", text)
    if match is None:
        return (text, "") if len(text) <= LEAD_MAX else ("", text)
    lead, end = text[: match.start()], match.end()
    if not lead or len(lead) > LEAD_MAX:
        return "", text
    if match.group() != "。":
        # A lead ending in ！ or ？ keeps its mark; only 。 is implied by the join.
        lead = text[:end]
    return lead, text[end:].strip()


def split_measures(text, first=1):
    """Split text at 一是, 二是 … (only at the expected next ordinal) into intro and measures.

    A nested 一是 inside measure 三 stays inside it, because after 三是 only 四是 opens a
    measure. Text before the first ordinal is the intro.
    """
    text = (text or "").strip()
    n = first
    start = ordinal_at(text, n)
    if start == -1:
        return SplitText(intro=text)
    result = SplitText(intro=text[:start].strip())
    while start != -1:
        body_start = start + len(chinese_numeral(n)) + 1
        following = ordinal_at(text, n + 1, body_start)
        chunk = text[body_start : following if following != -1 else len(text)]
        result.measures.append(split_lead(_trim_separator(chunk)))
        n, start = n + 1, following
    return result


def _trim_separator(chunk):
    """Drop the line break or the ；/， that only separated this measure from the next."""
    chunk = chunk.strip()
    return chunk[:-1].rstrip() if chunk.endswith(("；", ";", "，", ",")) else chunk


def join_measure(lead, body):
    """The measure's text after its ordinal: lead + 。 + body (no 。 after an empty lead)."""
    lead, body = (lead or "").strip(), (body or "").strip()
    if not lead:
        return body
    if lead[-1] in SENTENCE_END or lead[-1] in "；;":
        return lead + body
    return f"{lead}。{body}"
