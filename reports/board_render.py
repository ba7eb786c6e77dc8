"""The board's table rows as HTML, built in Python.

A 500-section board through the template engine cost ~100 ms: every row resolved some thirty
variables, reversed three URLs and translated a dozen strings. Here the strings are translated and
the URLs reversed once per page, and each row is a few f-strings. The markup is the one
reports/_board_table.html produced row by row; every value from the database goes through escape().
"""

from html import escape

from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from drafting.templatetags.workflow_tags import _STATE_CLASSES as STATE_CLASSES
from reports.models import AssignmentState
from reports.view_helpers import day_label, hidden_fields, url_pattern


class _Page:
    """What every row shares: translated words, URL patterns, the hidden fields of a form."""

    def __init__(self, report, next_url, csrf_token):
        self.final = report.is_final
        self.review_url = url_pattern("drafting:section-review", None)
        self.action_url = url_pattern("drafting:section-action", None, "accept").replace("accept", "{}")
        self.remind_url = url_pattern("reports:board-remind", report.pk, None)
        self.hidden = hidden_fields(csrf_token, next_url)
        self.states = {value: escape(str(label)) for value, label in AssignmentState.choices}
        self.coordinating = escape(gettext("Coordinating office"))
        self.overdue = escape(gettext("Overdue"))
        self.due_soon = escape(gettext("Due soon"))
        self.accept = escape(gettext("Accept"))
        self.return_label = escape(gettext("Return for revision"))
        self.note = escape(gettext("Note (required): what needs to change"))
        self.reminded = escape(gettext("Already reminded today"))
        self.remind = escape(gettext("Remind (催办)"))

    def actions(self, row):
        assignment = row.assignment
        pk = row.section.pk
        state = assignment.state
        parts = ['\n        <div class="d-flex flex-wrap gap-1">\n          ']
        if state == AssignmentState.SIGNED_OFF:
            parts.append(
                f'\n          <form method="post" action="{self.action_url.format(pk, "accept")}">\n'
                f"            {self.hidden}\n"
                f'            <button type="submit" class="btn btn-sm btn-success" data-action="accept">'
                f"{self.accept}</button>\n"
                "          </form>\n          "
            )
        parts.append("\n          ")
        if state in (AssignmentState.SIGNED_OFF, AssignmentState.ACCEPTED):
            parts.append(
                '\n          <details class="board-return">\n'
                f'            <summary class="btn btn-sm btn-outline-danger">{self.return_label}</summary>\n'
                f'            <form method="post" action="{self.action_url.format(pk, "return")}" class="mt-1">\n'
                f"              {self.hidden}\n"
                '              <textarea class="form-control form-control-sm mb-1" name="comment" rows="2" required'
                f' maxlength="5000" aria-label="{self.note}" placeholder="{self.note}"></textarea>\n'
                f'              <button type="submit" class="btn btn-sm btn-danger" data-action="return">'
                f"{self.return_label}</button>\n"
                "            </form>\n"
                "          </details>\n          "
            )
        parts.append("\n          ")
        if row.can_remind:
            disabled = f' disabled title="{self.reminded}"' if row.reminded_today else ""
            parts.append(
                f'\n          <form method="post" action="{self.remind_url.format(pk)}">\n'
                f"            {self.hidden}\n"
                '            <button type="submit" class="btn btn-sm btn-outline-warning" data-action="remind"'
                f"{disabled}>{self.remind}</button>\n"
                "          </form>\n          "
            )
        parts.append("\n        </div>\n        ")
        return "".join(parts)

    def row(self, row):
        section = row.section
        assignment = row.assignment
        if assignment:
            deadline = day_label(assignment.deadline) if assignment.deadline else ""
            if row.overdue:
                badge = f'<span class="badge text-bg-danger" data-testid="overdue">{self.overdue}</span>'
            elif row.due_soon:
                badge = f'<span class="badge text-bg-warning">{self.due_soon}</span>'
            else:
                badge = ""
            state = assignment.state
            who = (
                f"\n      <td>{escape(assignment.department.display_name)}</td>\n"
                f'      <td><span class="badge {STATE_CLASSES.get(state, "text-bg-light")}" data-testid="row-state">'
                f"{self.states.get(state, escape(state))}</span></td>\n"
                f"      <td>{deadline}\n        {badge}</td>\n      "
            )
        else:
            who = f'\n      <td class="text-body-secondary">{self.coordinating}</td><td></td><td></td>\n      '
        activity = timezone.localtime(row.last_activity).strftime("%Y-%m-%d %H:%M") if row.last_activity else ""
        if row.placeholders:
            placeholders = (
                f'<span class="badge text-bg-warning" data-testid="placeholder-count">{row.placeholders}</span>'
            )
        else:
            placeholders = "0"
        if row.empty_measures:
            n = row.empty_measures
            text = ngettext("%(n)s empty measure", "%(n)s empty measures", n) % {"n": n}
            placeholders += f' <span class="badge text-bg-warning">{text}</span>'
        actions = self.actions(row) if assignment and not self.final else ""
        return (
            f'\n    <tr class="outline-row board-level-{section.level}" data-section="{section.pk}">\n'
            f'      <td><a href="{self.review_url.format(section.pk)}"><span class="section-label">'
            f"{escape(section.label)}</span>{escape(section.heading)}</a></td>\n      {who}\n"
            f'      <td class="small">{activity}</td>\n'
            f"      <td>{placeholders}</td>\n"
            f"      <td>\n        {actions}\n      </td>\n    </tr>\n    "
        )


def rows_html(rows, report, next_url, csrf_token):
    """The <tbody> rows of the board (an empty-state row when nothing matches)."""
    if not rows:
        # gettext stays outside the f-string: makemessages cannot see calls inside one.
        nothing = escape(gettext("No sections match."))
        return mark_safe(f'\n    <tr><td colspan="7" class="text-body-secondary">{nothing}</td></tr>\n    ')
    page = _Page(report, next_url, csrf_token)
    # Every value in the rows was escaped above.
    return mark_safe("".join(page.row(row) for row in rows))
