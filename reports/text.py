"""Text hygiene shared by every way text enters Huigao (forms, import, demo), and the one way
dates are written.

lxml refuses control characters, lone surrogates and U+FFFE/U+FFFF ("All strings must be
XML compatible"), so text is cleaned on the way in and once more on the way out. A field
holds either one line (one_line: titles, headings, leads, issuers, notes) or paragraphs
(text_block: preamble, intro, body, closing, pasted text); both start from clean_text.
"""

import datetime
import re

from django.utils import timezone

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(value):
    """Drop characters no DOCX can hold and normalise line ends to \\n."""
    if not value:
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", value)


def paragraphs(value):
    """Non-empty paragraphs of a newline-separated text, stripped."""
    return [line for line in text_block(value).split("\n") if line]


# In a str pattern \s is exactly str.isspace(); the regex counts in C, four times faster than a
# loop over the characters (every page shows counts).
_WHITESPACE = re.compile(r"\s")


def char_count(value):
    """Characters as an editor counts them for a length limit: no whitespace."""
    if not value:
        return 0
    return len(value) - len(_WHITESPACE.findall(value))


def one_line(value):
    """A heading, title or note: cleaned, on one line, runs of white space as one space."""
    return " ".join(clean_text(value).split())


def text_block(value):
    """Paragraphs, one a line: cleaned, each line stripped (an indent is layout: the DOCX indents
    every paragraph itself), no blank lines at either end."""
    return "\n".join(line.strip() for line in clean_text(value).split("\n")).strip("\n")


def chinese_date(value):
    """2025年6月9日, as official documents date (GB/T 9704 §7.3.5): Arabic numerals, no leading
    zeros, the year written out in full. A datetime is the local day; none is ""."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year}年{value.month}月{value.day}日"


def short_date(value, today=None):
    """6月9日 within the current year, 2025年6月9日 otherwise (lists show many dates, mostly this year's).
    `today`: the local date, where a list has it already (reading the time zone costs more than the date)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    if value.year == (today or timezone.localdate()).year:
        return f"{value.month}月{value.day}日"
    return chinese_date(value)


def minute_label(value, zone=None):
    """2026-12-02 09:48: a moment in local time (`zone`, where a list has it already), to the
    minute. Formatted without strftime, which costs more, hundreds of times a page."""
    local = value.astimezone(zone or timezone.get_current_timezone())
    return f"{local.year:04}-{local.month:02}-{local.day:02} {local.hour:02}:{local.minute:02}"


# Half-width punctuation with Chinese on one side is a typing slip: ， ： ； （ ） ！ ？
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}
CJK_AND_PUNCTUATION = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff“”‘’《》（）【】、，。；：！？"
HALF_WIDTH_IN_CHINESE = re.compile(rf"(?<=[{CJK_AND_PUNCTUATION}])[,:;!?()]|[,:;!?()](?=[{CJK_AND_PUNCTUATION}])")


def full_width_punctuation(text):
    """Half-width , : ; ( ) ! ? beside Chinese text as full-width; URLs, times, Latin text and
    numbers (3.5, 10:30, a, b) untouched."""
    if not text.isascii():
        return HALF_WIDTH_IN_CHINESE.sub(lambda m: FULL_WIDTH[m.group()], text)
    return text
