"""A report's attachments (附件): their numbers, their tables as text, adding, moving, saving, deleting.

A table is stored as {"header": bool, "rows": [[str, …], …]}: rows of strings, all of one
width, the first a header row when "header" is true. Sections' tables use the same shape. In
the browser a table is edited as tab-separated text, one row a line, which is what Excel and
WPS put on the clipboard.
"""

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from reports.models import Attachment, Report
from reports.text import clean_text

MAX_ATTACHMENTS = 50
MAX_ROWS = 500
MAX_COLUMNS = 20
MAX_CELL = 1000


class AttachmentError(Exception):
    """A change the attachments do not allow; the message says why, in the user's language."""


def numbers(count):
    """Each attachment's number as printed: 1, 2 … or none for a single one (7.3.4, 7.4)."""
    if count == 1:
        return [""]
    return [str(number) for number in range(1, count + 1)]


def labels(count):
    """The mark at the top of each attachment's first page: 附件1, 附件2 … or 附件 alone."""
    return [f"附件{number}" for number in numbers(count)]


def parse_table(text):
    """Tab-separated text (one row a line) as the table's rows, padded to one width; [] if empty.

    Raises ValueError with a message for the user when the table is too large."""
    lines = clean_text(text).split("\n")
    # Blank lines at either end are the paste's leftovers; a blank line inside is an empty row.
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    if len(lines) > MAX_ROWS:
        raise ValueError(_("A table holds at most %(max)d rows.") % {"max": MAX_ROWS})
    rows = [[cell.strip() for cell in line.split("\t")] for line in lines]
    width = max((len(row) for row in rows), default=0)
    if width > MAX_COLUMNS:
        raise ValueError(_("A table holds at most %(max)d columns.") % {"max": MAX_COLUMNS})
    if any(len(cell) > MAX_CELL for row in rows for cell in row):
        raise ValueError(_("A table cell holds at most %(max)d characters.") % {"max": MAX_CELL})
    return [row + [""] * (width - len(row)) for row in rows]


def table_text(table):
    """A stored table as the editor's tab-separated text."""
    if not table:
        return ""
    return "\n".join("\t".join(row) for row in table.get("rows", ()))


def table_rows(table):
    """A stored table's rows, cleaned for printing; [] when there is none."""
    if not table:
        return []
    return [[clean_text(str(cell)).replace("\n", " ") for cell in row] for row in table.get("rows", ()) if row]


def add(report, title, body, table):
    with transaction.atomic():
        Report.objects.select_for_update().filter(pk=report.pk).first()
        existing = Attachment.objects.filter(report=report)
        if existing.count() >= MAX_ATTACHMENTS:
            raise AttachmentError(_("A report has at most %(max)d attachments.") % {"max": MAX_ATTACHMENTS})
        last = existing.aggregate(Max("position"))["position__max"]
        return Attachment.objects.create(
            report=report, title=title, body=body, table=table, position=0 if last is None else last + 1
        )


def save(attachment, version, title, body, table):
    """Save the attachment's text unless someone else saved it since `version` was read."""
    updated = Attachment.objects.filter(pk=attachment.pk, version=version).update(
        title=title, body=body, table=table, version=F("version") + 1
    )
    if not updated:
        raise AttachmentError(
            _("Someone else changed this attachment meanwhile. Your text is kept below: compare and save again.")
        )
    attachment.refresh_from_db()


@transaction.atomic
def move(attachment, direction):
    siblings = list(Attachment.objects.select_for_update().filter(report_id=attachment.report_id))
    index = next(i for i, a in enumerate(siblings) if a.pk == attachment.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(siblings):
        raise AttachmentError(_("The attachment cannot move that way."))
    siblings[index], siblings[target] = siblings[target], siblings[index]
    _renumber(siblings)


@transaction.atomic
def delete(attachment):
    attachment.delete()
    _renumber(list(Attachment.objects.select_for_update().filter(report_id=attachment.report_id)))


def _renumber(siblings):
    changed = []
    for position, attachment in enumerate(siblings):
        if attachment.position != position:
            attachment.position = position
            changed.append(attachment)
    Attachment.objects.bulk_update(changed, ["position"])
