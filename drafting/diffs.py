"""Character-level differences between two texts of a section.

Chinese has no spaces between words, so a word diff would mark whole sentences: the unit is
the character. difflib's autojunk would treat frequent characters (的, 。) as junk and give
absurd matches on long texts, so it is off.
"""

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from reports.numbering import measure_ordinal


def char_sides(old, new):
    """Two lists of (fragment, changed): the old text with its removals marked, the new with its insertions."""
    old, new = old or "", new or ""
    left, right = [], []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            left.append((old[i1:i2], False))
            right.append((new[j1:j2], False))
            continue
        if i2 > i1:
            left.append((old[i1:i2], True))
        if j2 > j1:
            right.append((new[j1:j2], True))
    return left, right


@dataclass
class Row:
    """One line of a side-by-side comparison: a heading, the intro or a measure."""

    kind: str
    old_label: str = ""
    new_label: str = ""
    old: list = field(default_factory=list)
    new: list = field(default_factory=list)
    changed: bool = False


def _row(kind, old_label, old_text, new_label, new_text):
    left, right = char_sides(old_text, new_text)
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
    """Rows comparing two snapshots: heading, intro, then measure by measure."""
    rows = [_row("heading", "", old.heading, "", new.heading), _row("intro", "", old.intro, "", new.intro)]
    for old_pair, new_pair in _pair_measures(old.measures, new.measures):
        old_label = measure_ordinal(old_pair[0]) if old_pair else ""
        new_label = measure_ordinal(new_pair[0]) if new_pair else ""
        rows.append(
            _row(
                "measure",
                old_label,
                old_pair[1].text if old_pair else "",
                new_label,
                new_pair[1].text if new_pair else "",
            )
        )
    return rows


def count_changes(rows):
    return sum(1 for row in rows if row.changed)
