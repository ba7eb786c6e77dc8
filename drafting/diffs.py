"""Word-level differences between two texts of a section, bounded in time and size.

Chinese has no spaces between words. Texts are aligned clause by clause first (a clause ends at
Chinese punctuation or a line end), then only the clauses that changed are compared word by
word, a word being a figure with its decimals and percent sign (12.5%), a Latin word, or one
character (`tokens`). The semantic clean-up then drops any kept word standing between two
changes, and a kept piece shorter than two characters between two changes joins them: a
rewritten clause reads as a rewrite instead of a few kept characters scattered through
strike-through, a changed figure is marked whole (12.5 → 13.2, not a kept 1), and the word pass
never sees more than one changed stretch at a time.

No dictionary segmenter (jieba): it takes over a second to load in every process, keeps no
more of the shared words than this rule does, and marks a changed figure inside a longer span.

Every comparison has a deadline (diff-match-patch's Diff_Timeout), stretches too long to
compare word by word are shown as changed whole, and texts past MAX_DIFF_CHARS only lose
their common beginning and end: no request does unbounded work, whatever is posted.
"""

import re
import time
from dataclasses import dataclass, field

from diff_match_patch import diff_match_patch

from reports.numbering import measure_ordinal

# Seconds one comparison (a whole page of rows shares one) may spend before the rest is coarse.
DIFF_SECONDS = 0.5
# Past this many characters a side, only the common beginning and end are found (linear).
MAX_DIFF_CHARS = 200_000
# A changed stretch longer than this a side is shown changed whole rather than compared by character.
MAX_BLOCK_CHARS = 5_000
CLAUSE_ENDS = "。；！？，、\n"
_CLAUSE = re.compile(f"[^{CLAUSE_ENDS}]*[{CLAUSE_ENDS}]|[^{CLAUSE_ENDS}]+")
# Inside a changed clause the unit is a word: a number with its decimals and percent sign
# (12.5%, 3,000), a Latin word, a run of white space, or else one character. A kept stretch
# shorter than this many characters between two changes is shown as part of the change.
MIN_KEPT_CHARS = 2
_WORD = re.compile(r"[0-9０-９]+(?:[.,．][0-9０-９]+)*[%％‰]?|[A-Za-zＡ-Ｚａ-ｚ]+|\s+|.", re.S)


class _BoundedMatcher(diff_match_patch):
    """diff-match-patch whose half-match speed-up is kept to short texts.

    The half-match looks for a quarter of the longer text in the shorter one and slices both at
    every hit: on periodic text (甲，乙，甲，乙…) that is quadratic and ignores the deadline.
    """

    def diff_halfMatch(self, text1, text2):
        if len(text1) + len(text2) > 2 * MAX_BLOCK_CHARS:
            return None
        return super().diff_halfMatch(text1, text2)


_MATCHER = _BoundedMatcher()
_MATCHER.Diff_Timeout = DIFF_SECONDS
EQUAL, DELETE, INSERT = diff_match_patch.DIFF_EQUAL, diff_match_patch.DIFF_DELETE, diff_match_patch.DIFF_INSERT


def tokens(text):
    """The words of a changed stretch; joined back they are the text."""
    return _WORD.findall(text)


def clauses(text):
    """The text cut after each clause's punctuation; joined back they are the text."""
    return _CLAUSE.findall(text)


def deadline_after(seconds=DIFF_SECONDS):
    """A deadline to share between the diffs of one page, in diff-match-patch's clock."""
    return time.time() + seconds


class _Sides:
    """The two lists char_sides returns, neighbours of the same kind merged (joined once, at the end)."""

    def __init__(self):
        self._left, self._right = [], []

    @staticmethod
    def _add(side, text, changed):
        if not text:
            return
        if side and side[-1][1] == changed:
            side[-1][0].append(text)
        else:
            side.append(([text], changed))

    def equal(self, text):
        self._add(self._left, text, False)
        self._add(self._right, text, False)

    def removed(self, text):
        self._add(self._left, text, True)

    def inserted(self, text):
        self._add(self._right, text, True)

    def apply(self, diffs):
        for op, text in diffs:
            if op == EQUAL:
                self.equal(text)
            elif op == DELETE:
                self.removed(text)
            else:
                self.inserted(text)

    def result(self):
        return tuple([("".join(pieces), changed) for pieces, changed in side] for side in (self._left, self._right))


def _coarse(sides, old, new):
    """Linear: the common beginning and end kept, everything between changed."""
    prefix = _MATCHER.diff_commonPrefix(old, new)
    suffix = _MATCHER.diff_commonSuffix(old[prefix:], new[prefix:])
    sides.equal(old[:prefix])
    sides.removed(old[prefix : len(old) - suffix])
    sides.inserted(new[prefix : len(new) - suffix])
    sides.equal(old[len(old) - suffix :])


def _stretch(old, new, deadline):
    """One run of changed clauses as (op, text) diffs, word by word when that is affordable."""
    codes, table = {}, []
    encoded_old, encoded_new = _encode(tokens(old), codes, table), _encode(tokens(new), codes, table)
    prefix = _MATCHER.diff_commonPrefix(encoded_old, encoded_new)
    suffix = _MATCHER.diff_commonSuffix(encoded_old[prefix:], encoded_new[prefix:])
    middle_old = encoded_old[prefix : len(encoded_old) - suffix]
    middle_new = encoded_new[prefix : len(encoded_new) - suffix]
    # A word is at least a character, so a word count bounds the work as a character count does.
    too_long = max(len(middle_old), len(middle_new)) > MAX_BLOCK_CHARS
    if too_long or time.time() > deadline or not (middle_old and middle_new):
        diffs = [
            (EQUAL, encoded_old[:prefix]),
            (DELETE, middle_old),
            (INSERT, middle_new),
            (EQUAL, encoded_old[len(encoded_old) - suffix :]),
        ]
    else:
        diffs = _MATCHER.diff_main(encoded_old, encoded_new, False, deadline)
        # Equalities no longer than the edits around them (one word kept in a rewritten clause) go.
        _MATCHER.diff_cleanupSemantic(diffs)
    return [(op, "".join(table[ord(code)] for code in text)) for op, text in diffs if text]


def _encode(words, codes, table):
    """Each distinct word as one character, so diff-match-patch compares words."""
    out = []
    for word in words:
        code = codes.get(word)
        if code is None:
            code = codes[word] = chr(len(table))
            table.append(word)
        out.append(code)
    return "".join(out)


def _fold_short_equalities(diffs):
    """A kept stretch shorter than MIN_KEPT_CHARS between two changes joins the change on both
    sides: a lone 县 or ， kept in mid-rewrite reads as noise, not as text that stayed.

    Within a changed stretch the semantic clean-up already drops every kept word between two
    changes; what is left are the short clauses kept between two stretches (a lone “，”).
    White space stays kept: a line break is the text's shape, not a word.
    """
    merged = []
    for op, text in diffs:
        if merged and merged[-1][0] == op == EQUAL:
            merged[-1] = (EQUAL, merged[-1][1] + text)
        elif text:
            merged.append((op, text))
    folded, removed, inserted = [], [], []
    for index, (op, text) in enumerate(merged):
        short = len(text) < MIN_KEPT_CHARS and not text.isspace()
        if op == EQUAL and short and 0 < index < len(merged) - 1:
            removed.append(text)
            inserted.append(text)
        elif op == DELETE:
            removed.append(text)
        elif op == INSERT:
            inserted.append(text)
        else:
            folded += [(DELETE, "".join(removed)), (INSERT, "".join(inserted)), (op, text)]
            removed, inserted = [], []
    folded += [(DELETE, "".join(removed)), (INSERT, "".join(inserted))]
    return [(op, text) for op, text in folded if text]


def _clause_diffs(old, new, deadline):
    """Clause-level (op, text) diffs: diff-match-patch's lines-to-chars trick on clauses.

    Each distinct clause becomes one character. Clauses found on one side only cannot match, so
    they are set aside before diffing, as GNU diff does with lines: a rewrite of thousands of
    clauses then costs no more than its few shared ones, instead of running into the deadline.
    """
    codes, table = {}, []

    def encode(text):
        out = []
        for clause in clauses(text):
            if clause not in codes:
                codes[clause] = chr(len(table))
                table.append(clause)
            out.append(codes[clause])
        return "".join(out)

    encoded_old, encoded_new = encode(old), encode(new)
    shared = set(encoded_old) & set(encoded_new)
    kept_old = [i for i, code in enumerate(encoded_old) if code in shared]
    kept_new = [j for j, code in enumerate(encoded_new) if code in shared]
    filtered = _MATCHER.diff_main(
        "".join(encoded_old[i] for i in kept_old), "".join(encoded_new[j] for j in kept_new), False, deadline
    )
    diffs, i, j, x, y = [], 0, 0, 0, 0
    for op, text in filtered:
        if op == EQUAL:
            for k in range(len(text)):
                # A matched clause, at its place in the full texts: what lies before it changed.
                at_old, at_new = kept_old[x + k], kept_new[y + k]
                diffs += [(DELETE, encoded_old[i:at_old]), (INSERT, encoded_new[j:at_new])]
                diffs.append((EQUAL, encoded_old[at_old]))
                i, j = at_old + 1, at_new + 1
        x += len(text) if op != INSERT else 0
        y += len(text) if op != DELETE else 0
    diffs += [(DELETE, encoded_old[i:]), (INSERT, encoded_new[j:])]
    return [(op, "".join(table[ord(code)] for code in text)) for op, text in diffs if text]


def char_sides(old, new, deadline=None):
    """Two lists of (fragment, changed): the old text with its removals marked, the new with its insertions.

    The unchanged fragments of both sides are the same text in the same order, and each side's
    fragments joined are exactly its text.
    """
    old, new = old or "", new or ""
    sides = _Sides()
    if old == new:
        sides.equal(old)
        return sides.result()
    if deadline is None:
        deadline = deadline_after()
    if max(len(old), len(new)) > MAX_DIFF_CHARS:
        _coarse(sides, old, new)
        return sides.result()
    diffs, removed, inserted = [], [], []
    for op, text in [*_clause_diffs(old, new, deadline), (EQUAL, "")]:
        if op == DELETE:
            removed.append(text)
        elif op == INSERT:
            inserted.append(text)
        else:
            if removed or inserted:
                diffs += _stretch("".join(removed), "".join(inserted), deadline)
                removed, inserted = [], []
            diffs.append((EQUAL, text))
    sides.apply(_fold_short_equalities(diffs))
    return sides.result()


@dataclass
class Row:
    """One line of a side-by-side comparison: a heading, the intro or a measure."""

    kind: str
    old_label: str = ""
    new_label: str = ""
    old: list = field(default_factory=list)
    new: list = field(default_factory=list)
    changed: bool = False


def _row(kind, old_label, old_text, new_label, new_text, deadline):
    left, right = char_sides(old_text, new_text, deadline)
    changed = old_text != new_text or old_label != new_label
    return Row(kind, old_label, new_label, left, right, changed)


def _pair_measures(old, new):
    """Measures matched by identity, so a moved measure is compared with itself.

    New measures without a counterpart pair up in order with old ones that disappeared
    (a rewrite through paste-split gives every measure a new id); the rest stand alone.
    """
    old_by_pk = {m.pk: (n, m) for n, m in enumerate(old, start=1) if m.pk is not None}
    new_pks = {m.pk for m in new if m.pk is not None}
    orphans = [(n, m) for n, m in enumerate(old, start=1) if m.pk is None or m.pk not in new_pks]
    pairs, unmatched_new = [], []
    for n, measure in enumerate(new, start=1):
        if measure.pk is not None and measure.pk in old_by_pk:
            pairs.append((old_by_pk[measure.pk], (n, measure)))
        else:
            pairs.append((None, (n, measure)))
            unmatched_new.append(len(pairs) - 1)
    for index, orphan in zip(unmatched_new, orphans, strict=False):
        pairs[index] = (orphan, pairs[index][1])
    used = {id(pair[0][1]) for pair in pairs if pair[0] is not None}
    pairs.extend((orphan, None) for orphan in orphans if id(orphan[1]) not in used)
    return pairs


def compare(old, new):
    """Rows comparing two snapshots: heading, intro, then measure by measure, within one deadline."""
    deadline = deadline_after()
    rows = [
        _row("heading", "", old.heading, "", new.heading, deadline),
        _row("intro", "", old.intro, "", new.intro, deadline),
    ]
    for old_pair, new_pair in _pair_measures(old.measures, new.measures):
        old_label = measure_ordinal(old_pair[0]) if old_pair else ""
        new_label = measure_ordinal(new_pair[0]) if new_pair else ""
        rows.append(
            _row(
                "measure",
                old_label,
                old_pair[1].compared_text if old_pair else "",
                new_label,
                new_pair[1].compared_text if new_pair else "",
                deadline,
            )
        )
    return rows


def count_changes(rows):
    return sum(1 for row in rows if row.changed)
