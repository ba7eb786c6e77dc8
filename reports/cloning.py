"""A new period from last period's report: the same outline and assignments, dates moved on."""

import datetime
import re

from django.db import transaction
from django.utils.translation import gettext as _

from reports import carried, content
from reports.models import Assignment, Attachment, Report, ReportAction, ReportEvent
from reports.numbering import numbered_measures


def next_period_title(title):
    """The title with every year moved on by one (2025年度 → 2026年度): a suggestion to edit."""
    return re.sub(r"(?<!\d)(19|20)(\d{2})(?=年)", lambda m: str(int(m.group()) + 1), title)


def clone_report(source, user, *, title, shift_days=0, copy_content=True, mark_figures=False):
    """Copy source into a new report led by the same department, every section in draft.

    copy_content: the intro texts and measures come along as a starting draft; otherwise
    the new report has the same headings with empty sections for this period's text.
    mark_figures: every figure in the copied measures waits to be checked (reports.carried).
    The attachments come along in order (with copy_content their text and tables; otherwise their
    titles and tables' header rows, as the sections keep their headings), and so do the 附注,
    主送机关 and the 版记's 抄送 and 印发机关; the 成文日期 and 印发日期 belong to the new period
    and stay empty.
    Assignment deadlines (and the report's own) move by shift_days. A constant number of
    queries, whatever the report's size.
    """
    shift = datetime.timedelta(days=shift_days)
    sections = source.outline(measures=copy_content)
    with transaction.atomic():
        report = Report.objects.create(
            title=title,
            preamble=source.preamble if copy_content else "",
            closing=source.closing if copy_content else "",
            addressee=source.addressee,
            issuer=source.issuer,
            annotation=source.annotation,
            cc=source.cc,
            printed_by=source.printed_by,
            lead_department_id=source.lead_department_id,
            deadline=_shifted(source.deadline, shift),
            measure_layout=source.measure_layout,
            bold_measure_leads=source.bold_measure_leads,
            table_font_size=source.table_font_size,
            created_by=user,
        )
        Attachment.objects.bulk_create(
            Attachment(
                report=report,
                position=position,
                title=old.title,
                body=old.body if copy_content else "",
                table=old.table if copy_content else _header_only(old.table),
            )
            for position, old in enumerate(source.attachments.all())
        )
        created = content.create_sections(report, _tree(sections, copy_content), user)
        assignments = [
            Assignment(
                section=section,
                department_id=old.assignment.department_id,
                deadline=_shifted(old.assignment.deadline, shift),
                char_limit=old.assignment.char_limit,
                state=Assignment.State.DRAFT,
            )
            for node, section in created
            if (old := node.source).has_assignment
        ]
        Assignment.objects.bulk_create(assignments)
        if copy_content and mark_figures:
            carried.mark_report(report)
        ReportEvent.objects.create(
            report=report,
            actor=user,
            action=ReportAction.CLONE,
            comment=_("New period from report %(pk)s “%(title)s”; deadlines moved by %(days)s days; %(content)s.")
            % {
                "pk": source.pk,
                "title": source.title,
                "days": shift_days,
                "content": _("content copied as a draft") if copy_content else _("empty sections"),
            },
        )
    return report


def _tree(outline, copy_content):
    """The numbered outline as NewSection nodes, each carrying the section it copies."""
    nodes = {}
    roots = []
    for section in outline:  # parents come before their children
        node = content.NewSection(
            heading=section.heading,
            intro=section.intro if copy_content else "",
            measures=[(m.lead, m.body, m.pk, m.table) for m in numbered_measures(section.measures.all())]
            if copy_content
            else [],
            children=[],
            source=section,
            previous=section.pk,
        )
        nodes[section.pk] = node
        (nodes[section.parent_id].children if section.parent_id else roots).append(node)
    return roots


def _header_only(table):
    """A table's header row alone (the columns to fill in this period), or None."""
    if not table or not table.get("header") or not table.get("rows") or not any(table["rows"][0]):
        return None
    return {"header": True, "rows": table["rows"][:1]}


def _shifted(day, shift):
    if day is None:
        return None
    try:
        return day + shift
    except OverflowError:
        return day
