"""Placeholders for facts still to be filled in: X月X日, X项, X%, “X”, ×××.

A placeholder is a run of X, Ｘ or × standing alone among Chinese characters, digits and
punctuation. It is never part of a Latin word: APP, Xbox, XML and X-ray are text.
"""

import re
from dataclasses import dataclass

# Latin letters (half- and full-width) and digits glued to an X on the left make a code or
# a word (APP, 3X is still a placeholder: 20XX年), so only letters block a match.
_GLUE = r"[A-Za-zＡ-Ｚａ-ｚ_\-]"
# A run of X/Ｘ or of × with nothing of _GLUE either side. The pattern opens with the run's first
# character and looks back past it, not with the look-behind: the regex engine then skips to the
# next X at C speed instead of trying the look-behind at every character of the text.
PLACEHOLDER_RE = re.compile(
    r"[XＸ×]"
    rf"(?:(?<=[XＸ])(?<!{_GLUE}[XＸ])[XＸ]*|(?<=×)(?<!{_GLUE}×)×*)"
    rf"(?!{_GLUE})"
)


@dataclass(frozen=True)
class Placeholder:
    start: int
    end: int
    text: str

    def context(self, source, width=8):
        """A few characters either side, to show the user where it stands."""
        before = source[max(0, self.start - width) : self.start]
        after = source[self.end : self.end + width]
        return before, self.text, after


def find_placeholders(text):
    """Every placeholder in `text`, with its position, in order."""
    if not text:
        return []
    return [Placeholder(m.start(), m.end(), m.group()) for m in PLACEHOLDER_RE.finditer(text)]


def _may_hold_one(text):
    """Whether the text holds a character a placeholder is made of: most texts have none, and
    `in` says so faster than the regex."""
    return "X" in text or "Ｘ" in text or "×" in text


def count_placeholders(text):
    return len(PLACEHOLDER_RE.findall(text)) if text and _may_hold_one(text) else 0


def has_placeholders(text):
    return bool(text) and _may_hold_one(text) and PLACEHOLDER_RE.search(text) is not None


# The same pattern as one group: re.split then returns text and placeholders alternately, in one pass.
_SPLIT_RE = re.compile(f"({PLACEHOLDER_RE.pattern})")


def split_placeholders(text):
    """Split text into (fragment, is_placeholder) pairs, for highlighting."""
    if not text:
        return []
    if not _may_hold_one(text):
        return [(text, False)]
    # Odd places hold the placeholders; empty fragments (at the ends, between two) are dropped.
    return [(part, n % 2 == 1) for n, part in enumerate(_SPLIT_RE.split(text)) if part]
