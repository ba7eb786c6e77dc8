"""A long title broken into lines of sense (GB/T 9704-2012, 7.3.1): 梯形 or 菱形, never a line
of one or two characters, never inside a word the office writes as a unit.

Titles are set in 2号 (22 pt) in a 156 mm text area: 20 characters a line. A title that fits
stays on one line. Otherwise the breaks go where a reader pauses: before …情况的报告 or …的报告,
after the phrase that 关于 opens, before and after 《书名》, after 的 or a conjunction — chosen so
that the upper lines are at least as long as the lower ones (梯形), or the middle line is the
longest (菱形) for three lines. A user forces breaks by typing them (one line of the title per
line of the field); those are kept as they are.
"""

import itertools
import re

CHARS_PER_LINE = 20  # 2号 in 156 mm
MIN_LINE = 3  # never one or two characters alone

# Where a reader pauses, by preference: a break *before* these endings …
ENDINGS = ("工作情况的报告", "情况的报告", "工作的报告", "的报告", "的汇报", "的总结", "的意见", "的通知", "的请示",
           "情况报告", "工作报告", "自查报告", "工作总结", "实施方案")  # fmt: skip
# … before the phrase that ends the title (…工作落实情况的报告) …
PHRASE_STARTS = ("工作", "情况", "有关", "相关", "贯彻", "落实", "推进", "开展", "深入")
# … and a break *after* these.
AFTER = ("关于", "的", "和", "与", "及", "、", "》", "年度", "年", "”")
# Never broken inside: digits and numbers with their unit, book titles and quotations.
UNBROKEN = re.compile(r"\d+(?:\.\d+)?[年月日%％]?|《[^》]{1,30}》|“[^”]{1,30}”")


def width(text):
    """Width in characters of the title's size. Half-width characters count a little over half:
    the digits and Latin letters of Chinese fonts are proportional, most wider than half a
    character, and a title counted at exactly half could leave its last character alone on a
    line of its own once laid out."""
    return sum(0.6 if ord(ch) < 0x7F else 1 for ch in text)


def title_lines(title, chars_per_line=CHARS_PER_LINE):
    """The title's lines, as the DOCX and the preview set them."""
    forced = [line.strip() for line in (title or "").split("\n") if line.strip()]
    if len(forced) != 1:
        return forced
    title = forced[0]
    if width(title) <= chars_per_line:
        return [title]
    count = 2 if width(title) <= 2 * chars_per_line else 3
    best = _best(title, count, chars_per_line)
    if best is None and count == 2:
        best = _best(title, 3, chars_per_line)
    return best or _even(title, count)


def _scores(title):
    """{break position: how natural a pause it is}; positions inside a unit are absent."""
    blocked = set()
    for match in UNBROKEN.finditer(title):
        blocked.update(range(match.start() + 1, match.end()))
    score = {}
    for position in range(MIN_LINE, len(title) - MIN_LINE + 1):
        if position in blocked:
            continue
        before, after = title[:position], title[position:]
        if after in ENDINGS:
            value = 6
        elif after.startswith(PHRASE_STARTS) and after.endswith(ENDINGS):
            value = 5
        elif before.startswith("关于") and before.endswith(("的", "》", "”", "年度")):
            value = 4
        elif before.endswith(AFTER) or after.startswith(("《", "“", "关于")):
            value = 3
        else:
            value = 0
        score[position] = value
    return score


def _best(title, count, chars_per_line):
    """The most natural breaks into `count` lines that fit, of those whose last line is no
    longer than the first where any is: a pause is worth less than the title's shape, which
    gives way only where every break that keeps it would split a unit."""
    scores = _scores(title)
    best, best_cost = None, None
    for cuts in itertools.combinations(sorted(scores), count - 1):
        lines = [title[a:b] for a, b in zip((0, *cuts), (*cuts, len(title)), strict=True)]
        widths = [width(line) for line in lines]
        if max(widths) > chars_per_line or min(len(line) for line in lines) < MIN_LINE:
            continue
        cost = (widths[0] < widths[-1], -3 * sum(scores[cut] for cut in cuts) + _shape_cost(widths))
        if best_cost is None or cost < best_cost:
            best, best_cost = lines, cost
    return best


def _shape_cost(widths):
    """梯形: each line no longer than the one above; 菱形 (three lines): the middle longest."""
    if len(widths) == 2:
        upper, lower = widths
        return (0 if upper >= lower else 20 + 2 * (lower - upper)) + abs(upper - lower)
    first, middle, last = widths
    trapezoid = first >= middle >= last
    diamond = middle >= first and middle >= last
    return (0 if trapezoid or diamond else 20) + (max(widths) - min(widths))


def _even(title, count):
    """Without a natural pause: equal lengths, the upper ones longer."""
    size = -(-len(title) // count)
    return [title[i : i + size] for i in range(0, len(title), size)]
