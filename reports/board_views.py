"""The coordinator's board: every section of a report with its department, state, deadline and
what still needs doing; reminders (催办); finalising and reopening; a CSV of the board.

Accept and return post to drafting:section-action (the same transition methods), with
`next` pointing back here. The board costs the same few queries whatever the report's size.
"""

import csv
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from reports import access, exporting, gate, proofread, tallies
from reports.docx_export import filename_stem
from reports.models import (
    Assignment,
    CoSignature,
    ReportAction,
    Section,
    WordingRule,
    measures_by_section,
)
from reports.permissions import SectionPermissions
from reports.placeholders import count_placeholders
from reports.states import SIGNED_STATES, AssignmentState, TransitionAction, state_labels
from reports.text import chinese_date, minute_label
from reports.view_helpers import local_next, problem_rows, show_refusal

# The board's "due soon": a deadline within this many days (Assignment.is_due_soon's default).
DUE_SOON_DAYS = 3
# The finalising card lists this many of the problems, then says how many more there are.
LISTED_PROBLEMS = 20


@dataclass
class Board:
    rows: list  # a plain dict a section, in reading order
    problems: list  # the first problems that keep the report from being final, in reading order
    problem_count: int  # all of them
    departments: list
    pages: int  # the page estimate


def board_rows(report):
    """Every section of the report in reading order as a plain row (a dict), the report's
    problems (placeholders, empty measures) and its proofreading (counts per row, the page
    estimate): four queries (outline with the sections' tallies, co-departments, the office's
    wording list, the measures of the first sections with problems), whatever the size.

    The figures of each section's text come from its tally (reports/tallies.py); only the report's
    own texts are read here.
    """
    today = timezone.localdate()
    outline, departments = tallies.numbered_outline(
        report,
        "updated_at",
        "assignment__deadline",
        "assignment__last_reminded_on",
        "assignment__signed_hash",
        "assignment__confirmed_hash",
        "assignment__char_limit",
        "assignment__logged_at",
        "assignment__return_note",
    )
    wording = WordingRule.objects.in_use()
    tally = tallies.of_outline(outline, wording)
    findings_in, pages = tallies.report_proofreading(
        report,
        outline,
        tally,
        wording,
        {section.pk: section.values["assignment__char_limit"] for section in outline},
    )
    placeholders_in = {
        section.pk: count_placeholders(section.heading) + tally[section.pk]["placeholders"] for section in outline
    }
    problems, problem_count = _problems(report, outline, tally, placeholders_in)
    # 会签 progress: (co-signed, co-departments) per section, one query for the report.
    cosigning = {}
    for section_id, signed_at in CoSignature.objects.filter(assignment__section__report=report).values_list(
        "assignment__section_id", "signed_at"
    ):
        done, total = cosigning.get(section_id, (0, 0))
        cosigning[section_id] = (done + (signed_at is not None), total + 1)

    labels = state_labels()
    # The board opens for the report's coordinators only (access.get_report_for_coordinator), so
    # what the permissions object allows on each row depends on nothing but the row's state and
    # whether the report is final: it is asked once per state, not once per row.
    per_state = {}
    for state in AssignmentState.values:
        moves, can_remind = SectionPermissions.coordinator_actions(state, report.is_final)
        per_state[state] = {
            "state": state,
            "state_label": labels[state],
            "can_accept": TransitionAction.ACCEPT in moves,
            "can_return": TransitionAction.RETURN in moves,
            "can_remind": can_remind,
        }
    per_department = {
        pk: {"department_id": pk, "department": department.display_name, "department_name": department.name}
        for pk, department in departments.items()
    }
    deadline_labels = {}  # a report has few deadlines: each written once
    rows = []
    zone = timezone.get_current_timezone()  # once, not a thread-local lookup a row
    # The rows' links under two URLs reversed once a page: sections/<pk>/review/ and
    # sections/<pk>/action/<action>/, and the board's remind/<pk>/.
    sections_url = reverse("drafting:sections")
    board_url = reverse("reports:report-board", args=[report.pk])
    for section in outline:
        v = section.values
        pk = section.pk
        updated, logged = v["updated_at"], v["assignment__logged_at"]
        last_activity = max(updated, logged) if updated and logged else updated or logged
        row = {
            "pk": pk,
            "review_url": f"{sections_url}{pk}/review/",
            "level": section.level,
            "label": section.label,
            "heading": section.heading,
            "assigned": section.state is not None,
            "last_activity": last_activity,
            "last_activity_label": minute_label(last_activity, zone) if last_activity else "",
            "placeholders": placeholders_in[pk],
            "empty_measures": tally[pk]["empty_measures"],
            "empty_measures_label": ngettext("%(n)s empty measure", "%(n)s empty measures", empty) % {"n": empty}
            if (empty := tally[pk]["empty_measures"])
            else "",
            "proof_errors": findings_in[pk][proofread.ERROR],
            "proof_warnings": findings_in[pk][proofread.WARNING],
        }
        if row["assigned"]:
            state, deadline = section.state, v["assignment__deadline"]
            if deadline not in deadline_labels:
                deadline_labels[deadline] = chinese_date(deadline)
            signed_hash = v["assignment__signed_hash"]
            now = tally[pk]["fingerprint"] if state in SIGNED_STATES and signed_hash else ""
            changed = bool(now and now != signed_hash)
            cosigned, cosign_total = cosigning.get(pk, (0, 0))
            row.update(per_state[state])
            row.update(per_department[v["assignment__department_id"]])
            row.update(
                deadline=deadline,
                deadline_label=deadline_labels[deadline],
                overdue=Assignment.overdue_on(deadline, state, today),
                due_soon=Assignment.due_soon_on(deadline, state, today, DUE_SOON_DAYS),
                actions_url=f"{sections_url}{pk}/action/",
                remind_url=f"{board_url}remind/{pk}/",
                reminded_today=v["assignment__last_reminded_on"] == today,
                # The signed text pinned by the sign-off, compared with the text now (签发后改动),
                # and, where the report asks for it, whether the signer has yet to confirm it.
                changed_after_sign_off=changed,
                awaits_confirmation=changed and report.reconfirm_changes and now != v["assignment__confirmed_hash"],
                return_note=v["assignment__return_note"] or "",
                cosigned=cosigned,
                cosign_total=cosign_total,
            )
        rows.append(row)
    return Board(rows, problems, problem_count, sorted(departments.values(), key=lambda d: (d.position, d.pk)), pages)


def _problems(report, outline, tally, placeholders_in):
    """The first LISTED_PROBLEMS problems in reading order and how many there are: the tallies
    say which sections have any, and only those sections' texts are read for the messages."""
    head, tail = gate.head_problems(report), gate.tail_problems(report)
    counts = {section.pk: placeholders_in[section.pk] + tally[section.pk]["empty_measures"] for section in outline}
    listed, wanted = head[:LISTED_PROBLEMS], []
    shown = len(listed)
    for section in outline:
        if shown >= LISTED_PROBLEMS:
            break
        if counts[section.pk]:
            wanted.append(section)
            shown += counts[section.pk]
    measures = measures_by_section(wanted)
    for section in wanted:
        listed += gate.section_problems(section, measures.get(section.pk, ()), prefix=gate.section_prefix(section))
    listed += tail
    return listed[:LISTED_PROBLEMS], len(head) + sum(counts.values()) + len(tail)


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
    board = board_rows(report)
    rows, departments = board.rows, board.departments
    state, department_id = _filters(request, departments)
    assigned = [row for row in rows if row["assigned"]]
    per_state = dict.fromkeys(AssignmentState.values, 0)
    for row in assigned:
        per_state[row["state"]] += 1
    labels = state_labels()
    counts = [{"state": value, "label": labels[value], "count": count} for value, count in per_state.items()]
    accepted = per_state[AssignmentState.ACCEPTED]
    not_accepted = len(assigned) - accepted
    awaiting_confirmation = sum(1 for row in assigned if row["awaits_confirmation"])
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
            "problems": problem_rows(report, board.problems, section_page="drafting:section-review"),
            "more_problems": board.problem_count - len(board.problems),
            "awaiting_confirmation_count": awaiting_confirmation,
            "ready_to_finalise": not not_accepted and not awaiting_confirmation and not board.problem_count,
            "departments": departments,
            "state": state,
            "department_id": department_id,
            **_latest_events(report),
            "pages": board.pages,
            "page_limit": report.page_limit,
            "over_page_limit": bool(report.page_limit and board.pages > report.page_limit),
            "next": request.get_full_path(),
            "pdf_unavailable": exporting.pdf_unavailable_reason(),
        },
    )


# The board's report log shows the latest events: every export adds one, so a busy report's
# whole log would grow the page without end.
BOARD_EVENTS = 20


def _latest_events(report):
    """The latest BOARD_EVENTS of the report's log as plain rows (time, who, what, comment),
    oldest first, and whether there are earlier ones."""
    latest = list(
        report.events.order_by("-created_at", "-pk").values(
            "created_at", "action", "comment", "actor__username", "actor__first_name", "actor__last_name"
        )[: BOARD_EVENTS + 1]
    )
    labels = {value: str(label) for value, label in ReportAction.choices}
    zone = timezone.get_current_timezone()
    rows = [
        {
            "when": minute_label(event["created_at"], zone),
            # As User.get_full_name() says it, the user name where there is none.
            "actor": f"{event['actor__first_name']} {event['actor__last_name']}".strip() or event["actor__username"]
            if event["actor__username"]
            else "",
            "action": labels.get(event["action"], event["action"]),
            "comment": event["comment"],
        }
        for event in latest[:BOARD_EVENTS][::-1]
    ]
    return {"events": rows, "earlier_events": len(latest) > BOARD_EVENTS, "events_shown": BOARD_EVENTS}


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
    board = board_rows(report)
    rows, departments = board.rows, board.departments
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
