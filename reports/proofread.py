"""Proofreading as a careful 公文 proofreader does it, offline, with rules anyone can read.

Each rule has a code, a severity, a short explanation citing its source (GB/T 15834-2011 标点
符号用法, GB/T 15835-2011 出版物上数字用法, GB/T 9704-2012 党政机关公文格式) and, where a fix
is safe, the replacement. `check_report` walks the report's texts once (title, addressee,
preamble, every heading, intro and measure, closing, issuer, date) and adds the rules that
compare texts with each other (mixed number forms, the same figure with two values); it is
linear in the report's size. `apply_fix` changes only the span a finding names.

The rules read text, never the database: the sign-off gate (reports.gate), which the models
import, uses them, and reports.proofreading reads what they check from the database.
"""

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from reports import tables
from reports.numbering import chinese_numeral, numbered_measures
from reports.placeholders import find_placeholders
from reports.text import FULL_WIDTH, HALF_WIDTH_IN_CHINESE, char_count

ERROR, WARNING, HINT = "error", "warning", "hint"
SEVERITY_LABELS = {ERROR: _("Error"), WARNING: _("Warning"), HINT: _("Hint")}


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    explanation: str  # what the rule checks and its source, in the user's language


RULES = {
    rule.code: rule
    for rule in [
        Rule("P001", WARNING, _("Half-width punctuation in Chinese text: use ，：；（）！？ (GB/T 15834-2011, 3.1).")),
        Rule(
            "P002", WARNING, _("Doubled or mixed punctuation: one mark where one belongs (GB/T 15834-2011, 4.1–4.4).")
        ),
        Rule("P003", ERROR, _("An unpaired quotation mark or bracket (GB/T 15834-2011, 4.6, 4.8–4.9).")),
        Rule("P004", HINT, _("The 顿号 joins words in a series; between clauses use a comma (GB/T 15834-2011, 4.3).")),
        Rule("P005", WARNING, _("A heading on its own line takes no full stop (GB/T 9704-2012, 7.3.3).")),
        Rule("P006", WARNING, _("The ellipsis is …… and the dash is —— (GB/T 15834-2011, 4.11, 4.12).")),
        Rule("N001", WARNING, _("Years written in two forms in one report (GB/T 15835-2011, 4.1).")),
        Rule("N002", HINT, _("Percentages written both as 百分之 and % in one report (GB/T 15835-2011, 5.1).")),
        Rule("N003", WARNING, _("A range of numbers: 3—5 or 3至5, not 3~5 or 3-5 (GB/T 15834-2011, 4.13).")),
        Rule(
            "N004", WARNING, _("No thousands separators in Chinese text: 12345, not 12,345 (GB/T 15835-2011, 5.1.3).")
        ),
        Rule(
            "N005", HINT, _("Approximate numbers written both as 十余 and 10余 in one report (GB/T 15835-2011, 4.2).")
        ),
        Rule(
            "N006",
            WARNING,
            _("Dates without leading zeros: 2025年6月9日 (GB/T 15835-2011, 5.2; GB/T 9704-2012, 7.3.5)."),
        ),
        Rule(
            "S001",
            WARNING,
            _("The numbering ladder is 一、→（一）→1.→（1）: no level skipped (GB/T 9704-2012, 7.3.3)."),
        ),
        Rule("S002", WARNING, _("一是、二是… in order within a paragraph, none skipped or repeated.")),
        Rule("S003", WARNING, _("The section is over its length limit.")),
        Rule("S004", ERROR, _("A placeholder (X, ×××) still stands for a fact to fill in.")),
        Rule("S005", WARNING, _("Numbers are derived: do not type 一、 or （一） in a heading.")),
        Rule("W001", WARNING, _("The office's wording list has a standard form for this.")),
        Rule("W002", WARNING, _("A repeated character, usually a typing slip.")),
        Rule("F001", WARNING, _("The same figure is quoted with different values in two places.")),
    ]
}


@dataclass
class Finding:
    code: str
    where: str  # "标题", "一、…", the section's label and heading
    field: str  # what the text is: title, heading, intro, measure-<pk>, closing …
    start: int
    end: int
    text: str  # what was found
    message: str
    fix: str | None = None  # the replacement for text[start:end], when safe
    section_id: int | None = None
    also: list = field(default_factory=list)  # for cross-text rules: the other places

    @property
    def rule(self):
        return RULES[self.code]

    @property
    def severity(self):
        return self.rule.severity


def apply_fix(text, finding):
    """The text with the finding's span replaced by its fix; unchanged if the span moved."""
    if finding.fix is None or text[finding.start : finding.end] != finding.text:
        return text
    return text[: finding.start] + finding.fix + text[finding.end :]


def apply_fixes(text, findings):
    """Every safe fix of one text's findings, from the end so earlier spans stay in place."""
    for finding in sorted((f for f in findings if f.fix is not None), key=lambda f: f.start, reverse=True):
        text = apply_fix(text, finding)
    return text


# ------------------------------------------------------------------ rules on one text

CJK = "\u3400-\u4dbf\u4e00-\u9fff"
REPEATED_MARK = re.compile(r"([，。；：、！？])\1+")
COMMA_BEFORE_STOP = re.compile(r"[，、；：]+(?=[。！？])")
COMMA_AFTER_STOP = re.compile(r"(?<=[。！？])[，、；：]+")
PAIRS = (("“", "”"), ("‘", "’"), ("（", "）"), ("《", "》"), ("【", "】"), ("〔", "〕"))
SERIES_COMMA = re.compile("([^，。；：！？、]{10,})、([^，。；：！？、]{10,})")
WRONG_ELLIPSIS = re.compile(r"\.{3,}|。{3,}|…{3,}|(?<!…)…(?!…)")
WRONG_DASH = re.compile(rf"(?<=[{CJK}])(?:--+|—(?!—)|－+)(?=[{CJK}])")
# A range between two numbers; not dates (2025-01-02), times, phone numbers or codes.
RANGE = re.compile(
    r"(?<![\d\-./:])(\d+(?:\.\d+)?)\s*[~～\-－]\s*(\d+(?:\.\d+)?)(?=\s*[%％万亿千百个项家人次倍年月日天元吨亩户名])"
)
THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:[,，]\d{3})+(?![\d])")
LEADING_ZERO_DATE = re.compile(r"(\d{4})年0?(\d{1,2})月0?(\d{1,2})日")
REPEATED = re.compile("([的了地得在和与及对把被将于为])\\1")
ORDINAL = re.compile("([一二三四五六七八九十]{1,3})是")
LABEL_AT_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,3}[.．、](?!\d)|[（(]\d{1,3}[）)])"
)
YEAR_DIGITS = re.compile(r"(?<!\d)(?:19|20)\d{2}年")
YEAR_CHINESE = re.compile("[〇○零一二][〇○零一二三四五六七八九]{3}年")
PERCENT_WORDS = re.compile("百分之[零一二三四五六七八九十百点]+")
PERCENT_SIGN = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s*[%％]")
ABOUT_CHINESE = re.compile("[一二三四五六七八九十百千]+余")
ABOUT_DIGITS = re.compile(r"\d+余")
# A figure: a short noun phrase, an optional verb, a number and its unit.
FIGURE = re.compile(
    rf"([{CJK}]{{2,10}}?)(?:达到|达|为|是|共计|共|累计|完成|实现|增长|下降|提高到|提升至|降至)(\d+(?:\.\d+)?)\s*"
    r"(%|％|亿元|万元|元|个百分点|个|项|家|人次|人|次|亩|户|公里|千米|吨|套|座|场|件)"
)
PUNCT_BETWEEN = re.compile("[，。；：！？、]")


def _finding(code, place, match_or_span, text, message, fix=None, **extra):
    if isinstance(match_or_span, tuple):
        start, end = match_or_span
    else:
        start, end = match_or_span.span()
    return Finding(code, place.where, place.field, start, end, text[start:end], message, fix, place.section_id, **extra)


class Place(NamedTuple):
    """Where a text stands: shown with each finding (a tuple: thousands are made per report)."""

    where: str
    field: str
    section_id: int | None = None
    level: int = 0
    is_heading: bool = False


def placeholder_findings(text, place):
    return [
        _finding("S004", place, (p.start, p.end), text, _("The placeholder “%(found)s”.") % {"found": p.text})
        for p in find_placeholders(text)
    ]


def check_text(text, place, wording=()):
    """The findings of the rules that look at one text alone."""
    if not text:
        return []
    found = []
    found += _half_width(text, place)
    for pattern, keep in ((REPEATED_MARK, True), (COMMA_BEFORE_STOP, False), (COMMA_AFTER_STOP, False)):
        for m in pattern.finditer(text):
            fix = m.group()[0] if keep else ""
            found.append(
                _finding("P002", place, m, text, _("“%(marks)s”: one mark is enough.") % {"marks": m.group()}, fix)
            )
    found += _unpaired(text, place)
    for m in SERIES_COMMA.finditer(text) if "、" in text else ():
        start = m.start(2) - 1
        found.append(_finding("P004", place, (start, start + 1), text, _("A 顿号 between two clauses.")))
    if place.is_heading and text.endswith("。"):
        found.append(_finding("P005", place, (len(text) - 1, len(text)), text, _("The heading ends with 。."), ""))
    if place.is_heading and LABEL_AT_START.match(text):
        m = LABEL_AT_START.match(text)
        found.append(_finding("S005", place, m, text, _("The heading starts with a typed number."), ""))
    for m in WRONG_ELLIPSIS.finditer(text) if ("." in text or "…" in text or "。。" in text) else ():
        found.append(_finding("P006", place, m, text, _("“%(found)s” for an ellipsis.") % {"found": m.group()}, "……"))
    for m in WRONG_DASH.finditer(text) if ("-" in text or "—" in text or "－" in text) else ():
        found.append(_finding("P006", place, m, text, _("“%(found)s” for a dash.") % {"found": m.group()}, "——"))
    for m in RANGE.finditer(text) if ("~" in text or "～" in text or "-" in text or "－" in text) else ():
        fix = f"{m.group(1)}—{m.group(2)}"
        found.append(_finding("N003", place, m, text, _("The range “%(found)s”.") % {"found": m.group()}, fix))
    for m in THOUSANDS.finditer(text) if ("," in text or "，" in text) else ():
        fix = re.sub("[,，]", "", m.group())
        found.append(_finding("N004", place, m, text, _("“%(found)s” with separators.") % {"found": m.group()}, fix))
    for m in LEADING_ZERO_DATE.finditer(text) if "年" in text else ():
        fix = f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日"
        if fix != m.group():
            found.append(_finding("N006", place, m, text, _("The date “%(found)s”.") % {"found": m.group()}, fix))
    if "是" in text:
        found += _ordinals(text, place)
    found += placeholder_findings(text, place)
    for m in REPEATED.finditer(text):
        found.append(_finding("W002", place, m, text, _("“%(found)s”.") % {"found": m.group()}, m.group(1)))
    for wrong, right in wording:
        start = text.find(wrong)
        while start != -1:
            found.append(
                _finding(
                    "W001",
                    place,
                    (start, start + len(wrong)),
                    text,
                    _("“%(wrong)s” → “%(right)s”.") % {"wrong": wrong, "right": right},
                    right,
                )
            )
            start = text.find(wrong, start + len(wrong))
    return found


BRACKETS = re.compile("[“”‘’（）《》【】〔〕]")
OPENING = {closing: opening for opening, closing in PAIRS}


def _unpaired(text, place):
    found = []
    open_at = {opening: [] for opening, _closing in PAIRS}
    for m in BRACKETS.finditer(text):
        ch = m.group()
        if ch in open_at:
            open_at[ch].append(m.start())
        elif open_at[OPENING[ch]]:
            open_at[OPENING[ch]].pop()
        else:
            message = _("“%(mark)s” without its opening mark.") % {"mark": ch}
            found.append(_finding("P003", place, m, text, message))
    for opening, positions in open_at.items():
        for position in positions:
            message = _("“%(mark)s” without its closing mark.") % {"mark": opening}
            found.append(_finding("P003", place, (position, position + 1), text, message))
    return found


def _ordinals(text, place):
    """一是, 二是 … must count on within a paragraph. A 一是 inside a list opens a list within it
    (重点抓两件事：一是…二是…), which the outer list's next ordinal closes; a skip or a repeat
    that fits no open list is flagged."""
    found = []
    for line_start, line in _paragraph_spans(text):
        lists = []  # the next ordinal each open list expects, outermost first
        for m in ORDINAL.finditer(line):
            before = line[m.start() - 1] if m.start() else ""
            if before and before not in "。；;：:，,\n ）)　":
                continue  # 是 inside a word: 十二是 read from 二, or 就是
            try:
                n = _numeral(m.group(1))
            except ValueError:
                continue
            if n == 1:
                lists.append(2)
                continue
            fits = next((i for i in range(len(lists) - 1, -1, -1) if lists[i] == n), None)
            if fits is not None:
                del lists[fits + 1 :]
                lists[fits] = n + 1
                continue
            if lists:
                expected = f"{chinese_numeral(lists[-1])}是"
                message = _("“%(found)s” where “%(expected)s” comes next.") % {"found": m.group(), "expected": expected}
                found.append(_finding("S002", place, (line_start + m.start(), line_start + m.end()), text, message))
                lists[-1] = n + 1
    return found


def _half_width(text, place):
    """Half-width marks beside Chinese; a mark beside another that is converted counts too
    (（一）! becomes （一）！), so the text is read again until nothing more changes."""
    if text.isascii():
        return []
    positions, current = set(), text
    for _pass in range(3):
        more = {m.start() for m in HALF_WIDTH_IN_CHINESE.finditer(current)} - positions
        if not more:
            break
        positions |= more
        current = "".join(FULL_WIDTH[ch] if i in positions else ch for i, ch in enumerate(text))
    return [
        _finding(
            "P001",
            place,
            (i, i + 1),
            text,
            _("Half-width “%(mark)s” in Chinese text.") % {"mark": text[i]},
            FULL_WIDTH[text[i]],
        )
        for i in sorted(positions)
    ]


_NUMERALS = {chinese_numeral(n): n for n in range(1, 100)}


def _numeral(token):
    if token not in _NUMERALS:
        raise ValueError(token)
    return _NUMERALS[token]


def _paragraph_spans(text):
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


# ------------------------------------------------------------------ the whole report


@dataclass
class Proofreading:
    findings: list
    pages: int  # the page estimate at 22 lines of 28 characters
    page_limit: int | None = None

    def counts(self):
        by_section = defaultdict(lambda: {ERROR: 0, WARNING: 0, HINT: 0})
        for finding in self.findings:
            by_section[finding.section_id][finding.severity] += 1
        return by_section

    @property
    def over_page_limit(self):
        return bool(self.page_limit and self.pages > self.page_limit)


def head_texts(report):
    """(Place, text) of the texts before the sections: title, addressee, preamble."""
    yield Place("标题", "title"), report.title
    yield Place("主送机关", "addressee"), report.addressee
    yield Place("导语", "preamble"), report.preamble


def tail_texts(report):
    """(Place, text) of the texts after the sections: closing, issuer, date."""
    yield Place("结束语", "closing"), report.closing
    yield Place("署名", "issuer"), report.issuer
    yield Place("成文日期", "date"), report.issued_on_display


def report_texts(report, outline, measures_of):
    """(Place, text) for every text of the report, in reading order."""
    yield from head_texts(report)
    for section in outline:
        yield from section_texts(section, measures_of.get(section.pk, ()))
    yield from tail_texts(report)


def section_texts(section, measures, names=None, level=None):
    """(Place, text) for a section's heading, intro and measures (lead, then body, then a table's
    cells), in reading order, at the section's level unless `level` is given.

    `names(part)` names each place, `part` being "heading", "intro" or a measure's ordinal; by
    default the section's label and heading, as the whole report's proofreading lists them."""
    level = section.level if level is None else level
    if names is None:
        where = f"{section.label}{section.heading}"

        def names(part):
            return where if part in ("heading", "intro") else f"{where} · {part}"

    yield Place(names("heading"), "heading", section.pk, level, True), section.heading
    yield Place(names("intro"), "intro", section.pk, level), section.intro
    for measure in numbered_measures(measures):
        where = names(measure.ordinal)
        yield Place(where, f"measure-{measure.pk}", section.pk, level), measure.lead
        yield Place(where, f"measure-{measure.pk}-body", section.pk, level), measure.body
        if getattr(measure, "table", None):
            # Only placeholders are looked for in a table: its cells are not sentences.
            place = Place(names(measure.ordinal or "表格"), f"measure-{measure.pk}-table", section.pk, level)
            yield place, tables.table_text(measure.table)


def check_section(section, measures, wording=(), char_limit=None, names=None):
    """The findings of the rules that look at one section's own text: each text alone, the
    numbering ladder of its intro and its length limit. The rules that compare texts across the
    report (mixed number forms, one figure with two values) need the whole report: check_report."""
    reading = Reading(wording)
    for place, text in section_texts(section, measures, names):
        reading.read(place, text)
    return reading.findings + _over_limit(section, measures, char_limit, names)


def _over_limit(section, measures, limit, names=None):
    if not limit:
        return []
    chars = section_length(section.intro, measures)
    if chars <= limit:
        return []
    return [length_finding(section, chars, limit, names("intro") if names else None)]


# What the rules comparing texts across the report collect, by name: (character the text must
# hold, pattern). N001, N002 and N005 flag the first form wherever the second also occurs.
COMPARED_FORMS = (
    ("years_digits", "年", YEAR_DIGITS),
    ("years_chinese", "年", YEAR_CHINESE),
    ("percent_words", "百分之", PERCENT_WORDS),
    ("percent_signs", "%", PERCENT_SIGN),
    ("percent_signs", "％", PERCENT_SIGN),
    ("about_cn", "余", ABOUT_CHINESE),
    ("about_digits", "余", ABOUT_DIGITS),
)
MIXED_FORMS = (
    ("N001", "years_chinese", "years_digits"),
    ("N002", "percent_words", "percent_signs"),
    ("N005", "about_cn", "about_digits"),
)


class Reading:
    """Texts read in order: the findings of the rules on one text, the lines they take, and
    what the rules comparing texts collect (the forms of COMPARED_FORMS, the figures)."""

    def __init__(self, wording=()):
        self.wording = wording
        self.findings = []
        self.lines = 0
        self.forms = {name: [] for name, _needed, _pattern in COMPARED_FORMS}
        self.figures = defaultdict(list)  # {(noun, unit): [(place, match, text, value), …]}

    def read(self, place, text):
        if not text:
            return
        if place.field.endswith("-table"):
            # Only placeholders are looked for in a table: its cells are not sentences.
            self.findings += placeholder_findings(text, place)
            return
        self.findings += check_text(text, place, self.wording)
        self.findings += _ladder(text, place)
        self.lines += text_lines(text, place)
        # Each pattern is searched only in texts holding the character it needs.
        for name, needed, pattern in COMPARED_FORMS:
            if needed in text:
                self.forms[name].extend((place, m, text) for m in pattern.finditer(text))
        if not text.isalpha():
            for m in FIGURE.finditer(text):
                self.figures[(m.group(1)[-6:], m.group(3))].append((place, m, text, m.group(2)))


def check_report(report, outline, measures_of, wording=(), page_limit=None, char_limits=None):
    """Every finding in the report, in reading order, and its page estimate.

    `char_limits` ({section pk: limit}) for an outline of rows without their assignments (the
    board's); by default each section's assignment is asked."""
    reading = Reading(wording)
    for place, text in report_texts(report, outline, measures_of):
        reading.read(place, text)
    findings = reading.findings
    messages = {
        "N001": _("Years in figures elsewhere in the report (e.g. “%(other)s”)."),
        "N002": _("Percentages with %% elsewhere in the report (e.g. “%(other)s”)."),
        "N005": _("Approximate numbers in figures elsewhere (e.g. “%(other)s”)."),
    }
    for code, flagged, other in MIXED_FORMS:
        findings += _mixed(code, reading.forms[flagged], reading.forms[other], messages[code])
    findings += _figures(reading.figures)
    for section in outline:
        if char_limits is not None:
            limit = char_limits.get(section.pk)
        else:
            limit = section.assignment.char_limit if section.has_assignment else None
        if limit:
            chars = section_length(section.intro, measures_of.get(section.pk, ()))
            if chars > limit:
                findings.append(length_finding(section, chars, limit))
    return Proofreading(findings, page_estimate(reading.lines), page_limit)


def section_length(intro, measures):
    """The characters the length limit counts, as the editor and the board count them
    (reports.tallies.counts): intro, measures and tables' cells, white space not counted."""
    texts = [intro, *(m.lead + m.body for m in measures)]
    texts += tables.measure_cells(measures)
    return sum(char_count(text) for text in texts)


def length_finding(section, chars, limit, where=None):
    where = where or f"{section.label}{section.heading}"
    message = _("%(chars)d characters, over the limit of %(limit)d.") % {"chars": chars, "limit": limit}
    return Finding("S003", where, "intro", 0, 0, "", message, None, section.pk)


def page_estimate(lines):
    """Pages at 22 lines a page, the title's blank line and the signature's counted."""
    return max(1, math.ceil((lines + 2) / 22))


def _ladder(text, place):
    """A paragraph of body text that starts with a label two levels below its section."""
    if place.is_heading or place.field not in ("intro",):
        return []
    found = []
    for start, line in _paragraph_spans(text):
        m = LABEL_AT_START.match(line)
        if not m:
            continue
        label = m.group().strip()
        level = (
            1
            if label.endswith("、") and not label[0].isdigit()
            else 2
            if label.startswith(("（", "(")) and not label[1].isdigit()
            else 3
            if label[0].isdigit()
            else 4
        )
        if level > place.level + 1:
            found.append(
                _finding(
                    "S001",
                    place,
                    (start + m.start(), start + m.end()),
                    text,
                    _("“%(label)s” under a level-%(level)d section skips a level.")
                    % {"label": label, "level": place.level},
                )
            )
    return found


def _mixed(code, minority_side, other_side, message):
    if not minority_side or not other_side:
        return []
    other = other_side[0][1].group()
    return [_finding(code, place, m, text, message % {"other": other}) for place, m, text in minority_side]


def _figures(figures):
    found = []
    for quotes in figures.values():
        values = {value for _place, _m, _text, value in quotes}
        places = {place.section_id for place, _m, _text, _value in quotes}
        if len(values) < 2 or len(places) < 2:
            continue
        first = quotes[0]
        for place, m, text, value in quotes:
            if value == first[3]:
                continue
            message = _("“%(found)s” here, but “%(other)s” in %(where)s.") % {
                "found": m.group(),
                "other": first[1].group(),
                "where": first[0].where,
            }
            found.append(_finding("F001", place, m, text, message, also=[(first[0].where, first[1].group())]))
    return found


def text_lines(text, place):
    """Lines the text takes at 28 characters a line (the first line indented two)."""
    lines = 0
    for paragraph in text.split("\n"):
        half = len(paragraph.encode("ascii", "ignore"))  # Latin letters and digits take half a character
        width = len(paragraph) - half / 2 + (0 if place.field == "title" else 2)
        lines += max(1, math.ceil(width / (20 if place.field == "title" else 28)))
    return lines
