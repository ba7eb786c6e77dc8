"""Numbers as Chinese official documents write them.

Users never type a number: every label is derived from position, so moving or deleting
a section or a measure renumbers the rest wherever the report is shown.
"""

from functools import cache

DIGITS = "零一二三四五六七八九"
# 9,999 sections at one level, or measures in one section: past that a document is not a report.
# Structures are refused before they grow past it (see reports.forms).
MAX_NUMBER = 9_999
MAX_LEVEL = 4
_UNITS = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))


@cache
def chinese_numeral(n):
    """The standard reading, as official documents number: 1 → 一, 10 → 十, 11 → 十一, 20 → 二十,
    101 → 一百零一, 110 → 一百一十, 1000 → 一千, 1001 → 一千零一, 1010 → 一千零一十, 1100 → 一千一百.

    Thousands are 一千 … 九千, with 二 as for the hundreds (二百, 二千), never the colloquial 两千.
    A run of zeros inside the number reads as one 零 and trailing zeros are silent. Only
    10–19 standing alone drop the 一 (十一, but 一百一十, 一千零一十).
    """
    if not 1 <= n <= MAX_NUMBER:
        raise ValueError(f"{n} is outside 1–{MAX_NUMBER}")
    parts, zero, rest = [], False, n
    for value, unit in _UNITS:
        digit, rest = divmod(rest, value)
        if not digit:
            zero = bool(parts)
            continue
        if zero:
            parts.append("零")
            zero = False
        parts.append(("" if digit == 1 and unit == "十" and not parts else DIGITS[digit]) + unit)
    return "".join(parts)


_UNIT_VALUES = {unit: value for value, unit in _UNITS if unit}


def parse_chinese_numeral(text):
    """The inverse of chinese_numeral; raises ValueError on anything it would not write.

    Read digit by unit, then written back: only the one canonical spelling of a number is
    accepted (not 一十, 两千, 一千零零一), as the importer needs to recognise labels.
    """
    if not isinstance(text, str) or not 0 < len(text) <= 8:
        raise ValueError(f"not a Chinese numeral: {text!r}")
    total, digit = 0, None
    for ch in text:
        if ch in _UNIT_VALUES:
            total += (1 if digit is None else digit) * _UNIT_VALUES[ch]
            digit = None
        elif (found := DIGITS.find(ch)) != -1:
            digit = found
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    total += digit or 0
    if not 1 <= total <= MAX_NUMBER or chinese_numeral(total) != text:
        raise ValueError(f"not a Chinese numeral: {text!r}")
    return total


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
    """一是, 二是 … 十是, 十一是 … 一千零一是."""
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
    """Pair each measure with its ordinal (一是, 二是 …) by rank, whatever positions are stored.
    A measure that is a table alone (no lead, no body) takes no ordinal ("")."""
    ordered = sorted(measures, key=lambda m: (m.position, m.pk or 0))
    n = 0
    for measure in ordered:
        if is_table_only(measure):
            measure.ordinal = ""
            continue
        n += 1
        measure.ordinal = measure_ordinal(n)
    return ordered


def is_table_only(measure):
    return bool(getattr(measure, "table", None)) and not (measure.lead or measure.body)
