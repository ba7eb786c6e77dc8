"""A new period from last period's report: the same outline and assignments, dates moved on."""

import datetime
import re

from django.db import transaction
from django.utils.translation import gettext as _

from reports.models import Assignment, Measure, Report, ReportAction, ReportEvent, Section


def next_period_title(title):
    """The title with every year moved on by one (2025年度 → 2026年度): a suggestion to edit."""
    return re.sub(r"(?<!\d)(19|20)(\d{2})(?=年)", lambda m: str(int(m.group()) + 1), title)


def clone_report(source, user, *, title, shift_days=0, copy_content=True):
    """Copy source into a new report led by the same department, every section in draft.

    copy_content: the intro texts and measures come along as a starting draft; otherwise
    the new report has the same headings with empty sections for this period's text.
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
            issuer=source.issuer,
            lead_department_id=source.lead_department_id,
            deadline=_shifted(source.deadline, shift),
            measure_layout=source.measure_layout,
            bold_measure_leads=source.bold_measure_leads,
            created_by=user,
        )
        copies = {}  # source section pk → new section
        # outline() lists parents before their children, so each level finds its parent made.
        by_depth = {}
        for section in sections:
            by_depth.setdefault(section.level, []).append(section)
        for level in sorted(by_depth):
            rows = [
                Section(
                    report=report,
                    parent=copies.get(section.parent_id),
                    position=section.number - 1,
                    heading=section.heading,
                    intro=section.intro if copy_content else "",
                    updated_by=user,
                )
                for section in by_depth[level]
            ]
            Section.objects.bulk_create(rows)
            copies.update((section.pk, row) for section, row in zip(by_depth[level], rows, strict=True))
        assignments, measures = [], []
        for section in sections:
            if section.has_assignment:
                old = section.assignment
                assignments.append(
                    Assignment(
                        section=copies[section.pk],
                        department_id=old.department_id,
                        deadline=_shifted(old.deadline, shift),
                        char_limit=old.char_limit,
                        state=Assignment.State.DRAFT,
                    )
                )
            if copy_content:
                measures.extend(
                    Measure(section=copies[section.pk], position=m.position, lead=m.lead, body=m.body)
                    for m in section.measures.all()
                )
        Assignment.objects.bulk_create(assignments)
        Measure.objects.bulk_create(measures)
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


def _shifted(day, shift):
    if day is None:
        return None
    try:
        return day + shift
    except OverflowError:
        return day
