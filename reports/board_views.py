"""The coordinator's board: every section of a report with its department, state, deadline and
what still needs doing; reminders (催办); finalising and reopening; a CSV of the board.

Accept and return post to drafting:section-action (the same transition methods), with
`next` pointing back here. The board costs the same few queries whatever the report's size.
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports import access, gate, numbering
from reports.board_render import rows_html
from reports.models import AssignmentState, Section, measures_by_section
from reports.placeholders import count_placeholders
from reports.states import REMINDABLE_STATES
from reports.view_helpers import local_next, show_refusal


class Row:
    """One line of the board: a section, its assignment (or None) and what is left to do."""

    def __init__(self, section, measures, today):
        self.section = section
        self.assignment = section.assignment if section.has_assignment else None
        self.placeholders = (
            count_placeholders(section.heading)
            + count_placeholders(section.intro)
            + sum(count_placeholders(m.lead) + count_placeholders(m.body) for m in measures)
        )
        self.empty_measures = sum(1 for m in measures if not (m.lead.strip() or m.body.strip()))
        self.overdue = bool(self.assignment and self.assignment.is_overdue(today))
        self.due_soon = bool(self.assignment and not self.overdue and self.assignment.is_due_soon(today=today))
        times = [t for t in (section.updated_at, section.last_transition_at) if t]
        self.last_activity = max(times) if times else None
        self.can_remind = bool(self.assignment and self.assignment.state in REMINDABLE_STATES)
        self.reminded_today = bool(self.assignment and self.assignment.last_reminded_on == today)


def board_rows(report):
    """Every section in reading order, its measures ({section pk: [MeasureRow]}) and its row data:
    two queries, whatever the size."""
    sections = (
        Section.objects.filter(report=report)
        .select_related("assignment__department")
        .annotate(last_transition_at=Max("assignment__transitions__created_at"))
    )
    outline = numbering.number_tree(list(sections))
    measures = measures_by_section(outline)
    today = timezone.localdate()
    return outline, measures, [Row(section, measures.get(section.pk, ()), today) for section in outline]


def _filters(request, rows):
    """The state and department chosen in the query string; unknown values are ignored."""
    state = request.GET.get("state", "")
    if state not in AssignmentState.values:
        state = ""
    departments = {}
    for row in rows:
        if row.assignment:
            departments[row.assignment.department_id] = row.assignment.department
    # Matched as text: int() fails on "²" and on thousands of digits, both of which are isdigit().
    department_id = {str(pk): pk for pk in departments}.get(request.GET.get("department", ""))
    return state, department_id, sorted(departments.values(), key=lambda d: (d.position, d.pk))


def _filtered(rows, state, department_id):
    if not state and department_id is None:
        return rows
    return [
        row
        for row in rows
        if row.assignment
        and (not state or row.assignment.state == state)
        and (department_id is None or row.assignment.department_id == department_id)
    ]


def report_board(request, pk):
    report = access.get_report_for_coordinator(request, pk)
    outline, measures, rows = board_rows(report)
    state, department_id, departments = _filters(request, rows)
    assigned = [row for row in rows if row.assignment]
    counts = [
        {
            "state": value,
            "label": label,
            "count": sum(1 for row in assigned if row.assignment.state == value),
        }
        for value, label in AssignmentState.choices
    ]
    accepted = sum(1 for row in assigned if row.assignment.state == AssignmentState.ACCEPTED)
    not_accepted = len(assigned) - accepted
    problems = gate.report_problems(report, outline, measures)
    shown = _filtered(rows, state, department_id)
    next_url = request.get_full_path()
    return render(
        request,
        "reports/board.html",
        {
            "report": report,
            "rows": shown,
            "rows_html": rows_html(shown, report, next_url, get_token(request)),
            "counts": counts,
            "assigned_count": len(assigned),
            "accepted_count": accepted,
            "overdue_count": sum(1 for row in assigned if row.overdue),
            "not_accepted_count": not_accepted,
            "problems": problems,
            "ready_to_finalise": not not_accepted and not problems,
            "departments": departments,
            "state": state,
            "department_id": department_id,
            "events": report.events.select_related("actor"),
            "next": next_url,
        },
    )


def report_board_csv(request, pk):
    """The board as CSV: UTF-8 with a byte-order mark, so Excel shows the Chinese."""
    report = access.get_report_for_coordinator(request, pk)
    rows = board_rows(report)[2]
    state, department_id, _departments = _filters(request, rows)
    filename = "{}-{}-{}.csv".format(report.title, _("progress"), timezone.localdate().strftime("%Y%m%d"))
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Number"),
            _("Heading"),
            _("Department"),
            _("State"),
            _("Deadline"),
            _("Overdue"),
            _("Last activity"),
            _("Placeholders"),
            _("Empty measures"),
        ]
    )
    for row in _filtered(rows, state, department_id):
        assignment = row.assignment
        writer.writerow(
            [
                row.section.label,
                row.section.heading,
                assignment.department.name if assignment else _("Coordinating office"),
                assignment.get_state_display() if assignment else "",
                assignment.deadline.isoformat() if assignment and assignment.deadline else "",
                _("yes") if row.overdue else "",
                timezone.localtime(row.last_activity).strftime("%Y-%m-%d %H:%M") if row.last_activity else "",
                row.placeholders,
                row.empty_measures,
            ]
        )
    return response


def _back_to_board(request, report):
    return redirect(local_next(request, reverse("reports:report-board", args=[report.pk])))


@require_POST
def board_remind(request, pk, section_pk):
    report = access.get_report_for_coordinator(request, pk)
    section = get_object_or_404(Section.objects.select_related("assignment__department"), pk=section_pk, report=report)
    if not section.has_assignment:
        messages.error(request, _("This section is written by the coordinating office: there is no one to remind."))
        return _back_to_board(request, report)
    try:
        sent = section.assignment.remind(request.user)
    except (PermissionDenied, ValidationError) as error:
        show_refusal(request, error)
    else:
        if sent:
            messages.success(
                request,
                _("A reminder went to %(department)s.") % {"department": section.assignment.department.display_name},
            )
        else:
            messages.info(
                request,
                _("%(department)s was already reminded today.")
                % {"department": section.assignment.department.display_name},
            )
    return _back_to_board(request, report)


@require_POST
def report_finalise(request, pk):
    report = access.get_report_for_coordinator(request, pk)
    try:
        report.finalise(request.user)
    except (PermissionDenied, ValidationError) as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The report is final. It is read-only until a coordinator reopens it."))
    return _back_to_board(request, report)


@require_POST
def report_reopen(request, pk):
    report = access.get_report_for_coordinator(request, pk)
    try:
        report.reopen(request.user, request.POST.get("reason", ""))
    except (PermissionDenied, ValidationError) as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The report is reopened."))
    return _back_to_board(request, report)
