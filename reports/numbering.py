"""Numbers as Chinese official documents write them.

Users never type a number: every label is derived from position, so moving or deleting
a section or a measure renumbers the rest wherever the report is shown.
"""

from functools import cache

DIGITS = "零一二三四五六七八九"
MAX_NUMBER = 999
MAX_LEVEL = 4


@cache
def chinese_numeral(n):
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 101 → 一百零一, 110 → 一百一十."""
    if not 1 <= n <= MAX_NUMBER:
        raise ValueError(f"{n} is outside 1–{MAX_NUMBER}")
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    parts = []
    if hundreds:
        parts.append(DIGITS[hundreds] + "百")
        if tens:
            parts.append(DIGITS[tens] + "十")
        elif units:
            parts.append("零")
    elif tens:
        # Below one hundred, 10–19 are 十, 十一 … not 一十, 一十一.
        parts.append(("" if tens == 1 else DIGITS[tens]) + "十")
    if units:
        parts.append(DIGITS[units])
    return "".join(parts)


def parse_chinese_numeral(text):
    """The inverse of chinese_numeral; raises ValueError on anything it would not write."""
    for n in range(1, MAX_NUMBER + 1):
        if chinese_numeral(n) == text:
            return n
    raise ValueError(f"not a Chinese numeral: {text!r}")


@cache
def section_label(level, n):
    """一、 / （一） / 1. / （1） for levels 1–4 (GB/T 9704 §7.3.3)."""
    if level == 1:
        return f"{chinese_numeral(n)}、"
    if level == 2:
        return f"（{chinese_numeral(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"section level {level} is outside 1–{MAX_LEVEL}")


def measure_ordinal(n):
    """一是, 二是 … 十是, 十一是."""
    return f"{chinese_numeral(n)}是"


def number_tree(sections):
    """Annotate sections with level, number and label, and return them in reading order.

    `sections` is every section of one report (any order); each needs `pk`, `parent_id`
    and `position`. Gaps and ties in positions are allowed: rank among siblings decides
    (ties broken by pk), so the labels are always 1, 2, 3 … whatever is stored.
    """
    children = {}
    for section in sections:
        children.setdefault(section.parent_id, []).append(section)
    ordered = []

    def walk(parent_id, level, prefix):
        siblings = sorted(children.get(parent_id, ()), key=lambda s: (s.position, s.pk))
        for n, section in enumerate(siblings, start=1):
            section.level = level
            section.number = n
            section.label = section_label(min(level, MAX_LEVEL), n)
            section.path = (*prefix, n)
            ordered.append(section)
            walk(section.pk, level + 1, section.path)

    walk(None, 1, ())
    return ordered


def places_of(rows, wanted):
    """{pk: (path, label)} for the sections in `wanted` only, from (report_id, pk, parent_id,
    position) rows of one or more reports; paths (1, 2) … sort in reading order within a report.

    The dashboard shows a few sections of large reports: it ranks only the siblings on their way up.
    """
    parent_of = {}
    children = {}
    for report_id, pk, parent_id, position in rows:
        parent_of[pk] = (report_id, parent_id)
        children.setdefault((report_id, parent_id), []).append((position, pk))
    ranks = {}

    def rank(pk):
        if pk not in ranks:
            for n, (_position, sibling) in enumerate(sorted(children[parent_of[pk]]), start=1):
                ranks[sibling] = n
        return ranks[pk]

    places = {}
    for pk in wanted:
        if pk not in parent_of:
            continue
        path, node = [], pk
        while node is not None:
            path.append(rank(node))
            node = parent_of[node][1]
        path.reverse()
        places[pk] = (tuple(path), section_label(min(len(path), MAX_LEVEL), path[-1]))
    return places


def numbered_measures(measures):
    """Pair each measure with its ordinal (一是, 二是 …) by rank, whatever positions are stored."""
    ordered = sorted(measures, key=lambda m: (m.position, m.pk or 0))
    for n, measure in enumerate(ordered, start=1):
        measure.ordinal = measure_ordinal(n)
    return ordered
