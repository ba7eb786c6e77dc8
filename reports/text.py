"""Text hygiene shared by every way text enters Huigao (forms, import, demo).

lxml refuses control characters, lone surrogates and U+FFFE/U+FFFF ("All strings must be
XML compatible"), so text is cleaned on the way in and once more on the way out.
"""

import re

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(value):
    """Drop characters no DOCX can hold and normalise line ends to \\n."""
    if not value:
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", value)


def paragraphs(value):
    """Non-empty paragraphs of a newline-separated text, stripped."""
    return [line.strip() for line in clean_text(value).split("\n") if line.strip()]


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
