"""The dashboard's table rows as HTML, built in Python.

The dashboard is the page everyone opens first and most often; through the template engine its
ten-odd rows cost more than the rest of the page. The markup is the one the row loop of
drafting/dashboard.html produced; every value from the database goes through escape().
"""

from html import escape

from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from reports.models import AssignmentState


def _row(row, coordinates, edit_url, words):
    assignment = row.assignment
    section = assignment.section
    link = row.action_url or row.is_member
    heading = f'<span class="section-label">{escape(row.label)}</span>{escape(section.heading)}'
    if link:
        heading = f'<a href="{edit_url.format(section.pk)}">{heading}</a>'
    department = f"<td>{escape(assignment.department.display_name)}</td>" if coordinates else ""
    if assignment.deadline:
        today = timezone.localdate()
        if assignment.is_overdue(today):
            css, note = "deadline-overdue", f" {words['overdue']}"
        elif assignment.is_due_soon(today=today):
            css, note = "deadline-soon", f" {words['due soon']}"
        else:
            css, note = "", ""
        deadline = (
            f'<span class="{css}" data-testid="deadline">'
            f"{assignment.deadline.month}月{assignment.deadline.day}日{note}</span>"
        )
    else:
        deadline = "—"
    editor = section.updated_by
    edited = f"{escape(editor.get_full_name() or editor.username)}<br>" if editor else ""
    if section.updated_at:
        at = timezone.localtime(section.updated_at)
        edited += f'<span class="text-body-secondary">{at.month}月{at.day}日 {at:%H:%M}</span>'
    else:
        edited += '<span class="text-body-secondary"></span>'
    limit = assignment.char_limit
    chars_class = " text-danger" if limit and row.chars > limit else ""
    chars = f"{row.chars} / {limit}" if limit else f"{row.chars}"
    if row.action_url:
        action = f'<a class="btn btn-sm btn-primary" href="{escape(row.action_url)}">{escape(str(row.action))}</a>'
    else:
        action = f'<span class="text-body-secondary small">{escape(str(row.action))}</span>'
    placeholders_class = " text-warning-emphasis fw-semibold" if row.placeholders else ""
    return (
        f'\n    <tr data-testid="section-row" data-section="{section.pk}">\n'
        f"      <td>{heading}</td>\n"
        f"      {department}\n"
        f'      <td><span class="badge text-bg-light state-{escape(assignment.state)}">'
        f"{words['states'].get(assignment.state, escape(assignment.state))}</span></td>\n"
        f"      <td>{deadline}</td>\n"
        f'      <td class="small">{edited}</td>\n'
        f'      <td class="text-end{placeholders_class}" data-testid="placeholders">{row.placeholders}</td>\n'
        f'      <td class="text-end{chars_class}" data-testid="chars">{chars}</td>\n'
        f'      <td data-testid="next-action">{action}</td>\n'
        "    </tr>\n    "
    )


def rows_html(rows, coordinates, edit_url):
    """The <tbody> rows of one report's table on the dashboard; `edit_url` has '{}' for the pk."""
    words = {
        "overdue": escape(gettext("overdue")),
        "due soon": escape(gettext("due soon")),
        # Once per table: get_state_display() hashes every lazy label, translating each, per row.
        "states": {value: escape(str(label)) for value, label in AssignmentState.choices},
    }
    # Every value in the rows was escaped above.
    return mark_safe("".join(_row(row, coordinates, edit_url, words) for row in rows))
