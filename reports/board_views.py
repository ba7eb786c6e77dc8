"""The coordinator's board: every section of a report with its department, state, deadline and
what still needs doing; reminders (催办); finalising and reopening; a CSV of the board.

Accept and return post to drafting:section-action (the same transition methods), with
`next` pointing back here. The board costs the same few queries whatever the report's size.
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports import access, document, exporting, gate, proofread
from reports.docx_export import filename_stem
from reports.models import (
    Assignment,
    AssignmentTransition,
    CoSignature,
    Section,
    WordingRule,
    fingerprint,
    measures_by_section,
    return_note,
)
from reports.permissions import SectionPermissions
from reports.states import SIGNED_STATES, AssignmentState, TransitionAction, state_labels
from reports.text import chinese_date
from reports.view_helpers import local_next, problem_rows, show_refusal

# The board's "due soon": a deadline within this many days (Assignment.is_due_soon's default).
DUE_SOON_DAYS = 3


def board_rows(report):
    """Every section of the report in reading order as a plain row (a dict), the report's
    problems (placeholders, empty measures) and its proofreading (counts per row, the page
    estimate): four queries (outline, measures, co-departments, the office's wording list),
    whatever the size.

    Each text is scanned for placeholders once, by gate.report_problems; a section's
    placeholder count is its share of those problems less its empty measures (the only other
    kind of problem).
    """
    today = timezone.localdate()
    assignments = Assignment.objects.filter(section=OuterRef("pk"))
    outline, departments = document.numbered_outline(
        report,
        "updated_at",
        "assignment__deadline",
        "assignment__last_reminded_on",
        "assignment__signed_hash",
        "assignment__char_limit",
        last_transition_at=Subquery(
            AssignmentTransition.objects.filter(assignment__section=OuterRef("pk"))
            .order_by("-created_at")
            .values("created_at")[:1]
        ),
        return_note=return_note(assignment__section=OuterRef("pk")),
        # Overdue and due soon as the assignments' own filters say.
        overdue=Exists(assignments.overdue(today)),
        due_soon=Exists(assignments.due_within(DUE_SOON_DAYS, today)),
    )
    measures = measures_by_section(outline)
    problems = gate.report_problems(report, outline, measures)
    proofreading = proofread.check_report(
        report,
        outline,
        measures,
        WordingRule.objects.in_use(),
        report.page_limit,
        char_limits={section.pk: section.values["assignment__char_limit"] for section in outline},
    )
    findings_in = proofreading.counts()
    # 会签 progress: (co-signed, co-departments) per section, one query for the report.
    cosigning = {}
    for section_id, signed_at in CoSignature.objects.filter(assignment__section__report=report).values_list(
        "assignment__section_id", "signed_at"
    ):
        done, total = cosigning.get(section_id, (0, 0))
        cosigning[section_id] = (done + (signed_at is not None), total + 1)
    problems_in = {}
    for problem in problems:
        if problem.section is not None:
            problems_in[problem.section.pk] = problems_in.get(problem.section.pk, 0) + 1

    labels = state_labels()
    # The board opens for the report's coordinators only (access.get_report_for_coordinator), so
    # what the permissions object allows on each row depends on nothing but the row's state and
    # whether the report is final: it is asked once per state, not once per row.
    moves = {state: SectionPermissions.coordinator_actions(state, report.is_final) for state in AssignmentState.values}
    rows = []
    for section in outline:
        v = section.values
        pk = section.pk
        section_measures = measures.get(pk, ())
        empty = sum(1 for m in section_measures if not (m.lead.strip() or m.body.strip()))
        times = [t for t in (v["updated_at"], v["last_transition_at"]) if t]
        last_activity = max(times) if times else None
        row = {
            "pk": pk,
            "level": section.level,
            "label": section.label,
            "heading": section.heading,
            "url": reverse("drafting:section-review", args=[pk]),
            "assigned": section.state is not None,
            "last_activity": last_activity,
            "last_activity_label": timezone.localtime(last_activity).strftime("%Y-%m-%d %H:%M")
            if last_activity
            else "",
            "placeholders": problems_in.get(pk, 0) - empty,
            "empty_measures": empty,
            "proof_errors": findings_in[pk][proofread.ERROR] if pk in findings_in else 0,
            "proof_warnings": findings_in[pk][proofread.WARNING] if pk in findings_in else 0,
        }
        if row["assigned"]:
            state, deadline, department = section.state, v["assignment__deadline"], section.department
            row.update(
                state=state,
                state_label=labels[state],
                department_id=department.pk,
                department=department.display_name,
                department_name=department.name,
                deadline=deadline,
                deadline_label=chinese_date(deadline) if deadline else "",
                overdue=v["overdue"],
                due_soon=v["due_soon"],
                accept_url=reverse("drafting:section-action", args=[pk, "accept"])
                if TransitionAction.ACCEPT in moves[state][0]
                else "",
                return_url=reverse("drafting:section-action", args=[pk, "return"])
                if TransitionAction.RETURN in moves[state][0]
                else "",
                remind_url=reverse("reports:board-remind", args=[report.pk, pk]) if moves[state][1] else "",
                reminded_today=v["assignment__last_reminded_on"] == today,
                # The signed text pinned by the sign-off, compared with the text now (签发后改动).
                changed_after_sign_off=bool(
                    state in SIGNED_STATES
                    and v["assignment__signed_hash"]
                    and fingerprint(section, section_measures) != v["assignment__signed_hash"]
                ),
                return_note=v["return_note"] or "",
                cosigned=cosigning.get(pk, (0, 0))[0],
                cosign_total=cosigning.get(pk, (0, 0))[1],
            )
        rows.append(row)
    return rows, problems, sorted(departments.values(), key=lambda d: (d.position, d.pk)), proofreading


def _filters(request, departments):
    """The state and department chosen in the query string; unknown values are ignored."""
    state = request.GET.get("state", "")
    if state not in AssignmentState.values:
        state = ""
    # Matched as text: int() fails on "²" and on thousands of digits, both of which are isdigit().
    department_id = {str(d.pk): d.pk for d in departments}.get(request.GET.get("department", ""))
    return state, department_id


def _filtered(rows, state, department_id):
    if not state and department_id is None:
        return rows
    return [
        row
        for row in rows
        if row["assigned"]
        and (not state or row["state"] == state)
        and (department_id is None or row["department_id"] == department_id)
    ]


def report_board(request, pk):
    report = access.get_report_for_coordinator(request, pk)
    rows, problems, departments, proofreading = board_rows(report)
    state, department_id = _filters(request, departments)
    assigned = [row for row in rows if row["assigned"]]
    per_state = dict.fromkeys(AssignmentState.values, 0)
    for row in assigned:
        per_state[row["state"]] += 1
    labels = state_labels()
    counts = [{"state": value, "label": labels[value], "count": count} for value, count in per_state.items()]
    accepted = per_state[AssignmentState.ACCEPTED]
    not_accepted = len(assigned) - accepted
    return render(
        request,
        "reports/board.html",
        {
            "report": report,
            "rows": _filtered(rows, state, department_id),
            "counts": counts,
            "assigned_count": len(assigned),
            "accepted_count": accepted,
            "overdue_count": sum(1 for row in assigned if row["overdue"]),
            "not_accepted_count": not_accepted,
            # Each with the page where it is fixed: a section's review page, the report's form.
            "problems": problem_rows(report, problems, section_page="drafting:section-review"),
            "ready_to_finalise": not not_accepted and not problems,
            "departments": departments,
            "state": state,
            "department_id": department_id,
            "events": report.events.select_related("actor"),
            "pages": proofreading.pages,
            "page_limit": proofreading.page_limit,
            "over_page_limit": proofreading.over_page_limit,
            "next": request.get_full_path(),
            "pdf_unavailable": exporting.pdf_unavailable_reason(),
        },
    )


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A cell as text, with a leading single quote where a spreadsheet would read it as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_download(report, what):
    """A CSV download named for the report, `what` and today, and its writer: UTF-8 with a
    byte-order mark, so Excel shows the Chinese."""
    filename = "{}-{}-{}.csv".format(filename_stem(report.title), what, timezone.localdate().strftime("%Y%m%d"))
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )
    response.write("\ufeff")
    return response, csv.writer(response)


def report_board_csv(request, pk):
    """The board as CSV."""
    report = access.get_report_for_coordinator(request, pk)
    rows, _problems, departments, _proofreading = board_rows(report)
    state, department_id = _filters(request, departments)
    response, writer = csv_download(report, _("progress"))
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
    coordinating, yes = _("Coordinating office"), _("yes")
    for row in _filtered(rows, state, department_id):
        assigned = row["assigned"]
        cells = [
            row["label"],
            row["heading"],
            row["department_name"] if assigned else coordinating,
            row["state_label"] if assigned else "",
            row["deadline"].isoformat() if assigned and row["deadline"] else "",
            yes if assigned and row["overdue"] else "",
            row["last_activity_label"],
            row["placeholders"],
            row["empty_measures"],
        ]
        writer.writerow([csv_cell(cell) for cell in cells])
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
