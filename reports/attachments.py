"""A report's attachments (附件): their numbers, adding, moving, saving, deleting.

An attachment's table is a table as reports/tables.py defines it (the format, the
tab-separated text the browser edits, the Word table), within tables.ATTACHMENT's limits.
"""

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from reports.models import Attachment, Report
from reports.outline_edit import renumber

MAX_ATTACHMENTS = 50


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
    renumber(siblings)


@transaction.atomic
def delete(attachment):
    attachment.delete()
    renumber(list(Attachment.objects.select_for_update().filter(report_id=attachment.report_id)))
