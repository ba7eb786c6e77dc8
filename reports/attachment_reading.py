"""Reading the 附件 of an imported document: the 附件说明 under the body, the 附注 under the
date, and the attachments after the signature (GB/T 9704 7.3.4, 7.3.6, 7.4, 8.2).

    下一步，我们将……                      <- the body ends
    附件：1. 典型经验材料                   <- 附件说明 (ATTACHMENT_NOTE): derived again on export
          2. 重点项目进度表
    中共X县委办公室                         <- issuer, date
    2025年12月18日
    （联系人：张某，联系电话：1234567）     <- 附注 (ANNOTATION)
    附件1                                   <- the mark (ATTACHMENT): starts an attachment
    典型经验材料                            <- its title (ATTACHMENT_TITLE)
    ……                                      <- its text and tables (ATTACHMENT_BODY)

    抄送：…。 / 印发机关 2025年12月20日印发  <- the 版记 (IMPRINT), a table in an exported DOCX

`mark_roles` gives those lines their roles before the signature and the body are read;
`Attachments` collects them back in the assembly, following whatever roles the user chose.
An attachment starts only where a mark follows the date or the 附件说明, so a line 附件1 in
the running text stays text.
"""

import datetime
import re

from reports import tables
from reports.parsed import LineRole, ParsedAttachment

NOTE_FIRST = re.compile(r"附件\s*[：:]\s*(?:(\d{1,2})\s*[.．、]\s*)?(\S.*)")
NOTE_NEXT = re.compile(r"(\d{1,2})\s*[.．、]\s*(\S.*)")
# 附件 / 附件1 alone, or 附件1：标题 with the title on the same line.
MARK = re.compile(r"附件\s*(\d{1,2})?|附件\s*(\d{1,2})\s*[：:]\s*(\S.*)")
ANNOTATION = re.compile(r"[（(][^（）()]{2,}[）)]")
TITLE_MAX = 200


def is_mark(text):
    return MARK.fullmatch(text) is not None


def mark_title(text):
    """The title written on the mark's own line (附件1：标题), or ""."""
    match = MARK.fullmatch(text)
    return (match.group(3) or "").strip() if match else ""


def note_items(lines):
    """The 附件说明 at the end of `lines` (the body's lines, the signature taken off) as the
    lines it takes, or []: 附件：1. … then 2. … 3. … in sequence to the end, or 附件：标题 alone."""
    for start in range(len(lines) - 1, max(-1, len(lines) - 52), -1):
        first = NOTE_FIRST.fullmatch(lines[start].text)
        if first is None:
            continue
        rest = lines[start + 1 :]
        if first.group(1) is None:
            return lines[start:] if not rest else []
        expected = int(first.group(1)) + 1
        for line in rest:
            match = NOTE_NEXT.fullmatch(line.text)
            if match is None or int(match.group(1)) != expected:
                return []
            expected += 1
        return lines[start:]
    return []


def note_titles(texts):
    """The titles a 附件说明's lines list, in order (a line the user marked as one is a title)."""
    titles = []
    for text in texts:
        match = NOTE_FIRST.fullmatch(text) or NOTE_NEXT.fullmatch(text)
        titles.append((match.group(2) if match else text).strip())
    return titles


def mark_roles(lines, body, is_date):
    """Give the 版记's, the attachments' and the 附注's lines their roles, in place. `lines` are
    all the lines (tables included), `body` the kept text lines after the title and the
    addressee, `is_date(text)` tells a line that is only a date. Returns `body` without the
    lines given a role here."""
    imprint = {id(line) for line in _mark_imprint(lines)}
    body = [line for line in body if id(line) not in imprint]
    start = _first_attachment(body, is_date)
    if start is not None:
        first = body[start]
        in_attachments = False
        title_paragraph = None
        for line in lines:
            in_attachments = in_attachments or line is first
            if not in_attachments or line.role in (LineRole.NOISE, LineRole.IMPRINT):
                continue
            if line.table is None and is_mark(line.text):
                line.role = LineRole.ATTACHMENT
                # The title is the next line, and every line of that paragraph (a DOCX title's
                # lines of sense are manual line breaks in one paragraph).
                title_paragraph = None if mark_title(line.text) else NEXT
            elif line.table is None and title_paragraph in (NEXT, line.number):
                line.role = LineRole.ATTACHMENT_TITLE
                title_paragraph = line.number
            else:
                line.role = LineRole.ATTACHMENT_BODY
                title_paragraph = None
        body = body[:start]
    # The 附注: a line in parentheses under the date.
    if len(body) >= 2 and ANNOTATION.fullmatch(body[-1].text) and is_date(body[-2].text):
        body[-1].role = LineRole.ANNOTATION
        body = body[:-1]
    return body


NEXT = object()  # the line after an attachment's mark is its title


def mark_note(body):
    """The 附件说明 at the end of the body (the signature taken off): its lines get their role
    and leave the body."""
    note = note_items(body)
    for line in note:
        line.role = LineRole.ATTACHMENT_NOTE
    return body[: len(body) - len(note)]


def _first_attachment(body, is_date):
    """The index of the mark that starts the attachments: after the date or the 附件说明, with
    a title after it (or on its line)."""
    seen_end = False
    for index, line in enumerate(body):
        if is_mark(line.text) and seen_end and (index + 1 < len(body) or mark_title(line.text)):
            return index
        if is_date(line.text) or NOTE_FIRST.fullmatch(line.text):
            seen_end = True
    return None


# The 版记 (7.5): 抄送：…。 and 印发机关 with 2025年12月20日印发, as a table (the export's) or lines.
CC = re.compile(r"抄\s*送\s*[：:]\s*(\S.*?)[。.]?")
PRINTED = re.compile(r"(?:(\S.*?)\s+)?(\d{4})年(\d{1,2})月(\d{1,2})日\s*印发")


def _mark_imprint(lines):
    """The 版记 at the very end of the lines: they get the role IMPRINT. Returns them."""
    found = []
    for line in reversed(lines):
        if line.role == LineRole.NOISE:
            continue
        texts = [cell for row in line.table["rows"] for cell in row if cell] if line.table else [line.text]
        if not texts or not all(CC.fullmatch(t) or PRINTED.fullmatch(t) or _beside_date(t, texts) for t in texts):
            break
        line.role = LineRole.IMPRINT
        found.append(line)
    # 抄送 alone is not a 版记: the 印发 line makes it one.
    if not any(imprint_fields([line]).get("printed_on") for line in found):
        for line in found:
            line.role = LineRole.BODY if line.table is None else LineRole.TABLE
        return []
    return found


def _beside_date(text, texts):
    # The 印发机关 in its own cell, in the table whose other cell is the 印发日期.
    return len(text) <= 100 and any(PRINTED.fullmatch(other) for other in texts)


def imprint_fields(lines):
    """{"cc", "printed_by", "printed_on"} as the 版记's lines give them."""

    fields = {}
    for line in lines:
        texts = [cell for row in line.table["rows"] for cell in row if cell] if line.table else [line.text]
        for index, text in enumerate(texts):
            if match := CC.fullmatch(text):
                fields["cc"] = match.group(1).strip()
            elif match := PRINTED.fullmatch(text):
                year, month, day = (int(g) for g in match.group(2, 3, 4))
                try:
                    fields["printed_on"] = datetime.date(year, month, day)
                except ValueError:
                    continue
                by = match.group(1) or (texts[index - 1] if index and not CC.fullmatch(texts[index - 1]) else "")
                if by:
                    fields["printed_by"] = by.strip()
    return fields


class Attachments:
    """The attachments the assembly collects from the lines' roles, in order."""

    def __init__(self):
        self.items = []
        self.note = []  # the 附件说明's texts
        self.previous = None  # the role of the last line added

    def add_line(self, role, text, table=None):
        previous, self.previous = self.previous, role
        if role == LineRole.ATTACHMENT_NOTE:
            self.note.append(text)
        elif role == LineRole.ATTACHMENT:
            self.items.append(ParsedAttachment(title=mark_title(text)))
        elif role == LineRole.ATTACHMENT_TITLE:
            # A title's lines follow its mark or one another; a title anywhere else starts an attachment.
            if not self.items or previous not in (LineRole.ATTACHMENT, LineRole.ATTACHMENT_TITLE):
                self.items.append(ParsedAttachment())
            self.items[-1].title += text
        elif role == LineRole.ATTACHMENT_BODY:
            if not self.items:
                self.items.append(ParsedAttachment())
            current = self.items[-1]
            if table is None:
                current.body.append(text)
            elif current.table is None:
                current.table = table
            else:  # an attachment holds one table: a second one is kept as its lines
                current.body.extend(tables.table_lines(table))

    def finished(self):
        """The attachments, each with a title (the 附件说明's, else 附件N when none was read);
        the 附件说明's titles alone when the attachments themselves are not in the document."""
        titles = note_titles(self.note)
        if not self.items:
            return [ParsedAttachment(title=title[:TITLE_MAX]) for title in titles]
        for number, item in enumerate(self.items, start=1):
            if not item.title.strip():
                item.title = titles[number - 1] if number <= len(titles) else f"附件{number}"
            item.title = item.title[:TITLE_MAX]
        return self.items
