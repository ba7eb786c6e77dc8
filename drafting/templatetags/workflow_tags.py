"""The workflow panel shown on a section's page: its state, what the user may do next, what
still blocks sign-off, and the review thread (notes, comments and the timeline, newest last)."""

from html import escape

from django import template
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from drafting.links import section_page_url
from drafting.templatetags.drafting_tags import highlight_placeholders
from reports import gate
from reports.models import AssignmentState, TransitionAction
from reports.states import RULES
from reports.view_helpers import day_label, hidden_fields

register = template.Library()

BUTTON_CLASSES = {
    TransitionAction.SUBMIT: "btn-primary",
    TransitionAction.WITHDRAW: "btn-outline-secondary",
    TransitionAction.SIGN_OFF: "btn-success",
    TransitionAction.SEND_BACK: "btn-outline-danger",
    TransitionAction.ACCEPT: "btn-success",
    TransitionAction.RETURN: "btn-outline-danger",
}

_STATE_CLASSES = {
    AssignmentState.DRAFT: "text-bg-secondary",
    AssignmentState.SUBMITTED: "text-bg-warning",
    AssignmentState.SIGNED_OFF: "text-bg-info",
    AssignmentState.ACCEPTED: "text-bg-success",
    AssignmentState.RETURNED: "text-bg-danger",
}

# The states in which the department is still writing or signing: show what blocks sign-off.
GATE_STATES = (AssignmentState.DRAFT, AssignmentState.RETURNED, AssignmentState.SUBMITTED)


@register.filter
def state_class(state):
    return _STATE_CLASSES.get(state, "text-bg-light")


# The review page loads only this library; the filter is drafting_tags' own, not a second copy.
register.filter(highlight_placeholders)


@register.simple_tag(takes_context=True)
def workflow_panel(context, section, measures=None):
    """The panel's HTML, built here rather than through a template: it sits on the editor, the
    page departments open most, where the panel took a fifth of the time (as did the markup of
    the measure cards and the dashboard rows before it)."""
    request = context["request"]
    user = request.user
    hidden = hidden_fields(context.get("csrf_token"), request.get_full_path())
    assignment = section.assignment if section.has_assignment else None
    word_sign_off, word_review_thread = escape(gettext("Sign-off")), escape(gettext("Review thread"))
    if assignment is None:
        words = escape(gettext("Written by the coordinating office."))
        body = f'\n    <p class="mb-0 text-body-secondary">{words}</p>'
    else:
        allowed = section.permissions_for(user).allowed_actions
        body = (
            _state_html(assignment, section.report)
            + _problems_html(section, measures, user)
            + _actions_html(section, allowed, hidden)
            + f'\n    <h3 class="h6 mt-3">{word_review_thread}</h3>'
            + _thread_html(assignment)
            + (_comment_html(section, hidden) if TransitionAction.COMMENT in allowed else "")
        )
    return mark_safe(
        '<div class="card mb-3 workflow-panel" id="workflow-panel">\n'
        f'  <div class="card-header fw-semibold">{word_sign_off}</div>\n'
        f'  <div class="card-body">{body}\n  </div>\n</div>\n'
    )


def _state_html(assignment, report):
    state = escape(str(AssignmentState(assignment.state).label))
    # gettext stays outside the f-strings here: makemessages cannot see calls inside them.
    word_state, word_deadline, word_overdue = escape(gettext("State")), gettext("Deadline"), gettext("Overdue")
    html = (
        f'\n    <p class="mb-2">{word_state}：'
        f'<span class="badge {escape(state_class(assignment.state))}" data-testid="section-state">{state}</span>'
        f"\n      · {escape(assignment.department.display_name)}"
    )
    if assignment.deadline:
        html += f" · {escape(word_deadline)} {day_label(assignment.deadline)}"
        if assignment.is_overdue():
            html += f' <span class="badge text-bg-danger">{escape(word_overdue)}</span>'
    html += "</p>"
    signed = assignment.state in (AssignmentState.SIGNED_OFF, AssignmentState.ACCEPTED)
    if signed and assignment.signed_off_by_id:
        signer = assignment.signed_off_by
        at = timezone.localtime(assignment.signed_off_at) if assignment.signed_off_at else None
        words = gettext("Signed off by %(who)s on %(when)s.") % {
            "who": signer.get_full_name() or signer.username,
            "when": f"{at:%Y-%m-%d %H:%M}" if at else "",
        }
        html += f'\n    <p class="small text-body-secondary mb-2">{escape(words)}</p>'
    if report.is_final:
        words = escape(gettext("This report is final and read-only."))
        html += f'\n    <div class="alert alert-secondary py-2" data-testid="final-notice">{words}</div>'
    return html


def _problems_html(section, measures, user):
    """What still blocks sign-off, while the department writes or signs."""
    if section.assignment.state not in GATE_STATES or section.report.is_final:
        return ""
    problems = gate.section_problems(section, measures)
    if not problems:
        return ""
    page = escape(section_page_url(section, user))
    items = "".join(
        f'<li><a href="{page}#{escape(problem.anchor)}">{escape(str(problem.message))}</a></li>' for problem in problems
    )
    words = escape(gettext("Sign-off is blocked until these are filled in:"))
    return (
        '\n    <div class="alert alert-warning py-2" data-testid="sign-off-blockers">'
        f'\n      <p class="mb-1 fw-semibold">{words}</p>'
        f'\n      <ul class="mb-0">{items}</ul>\n    </div>'
    )


def _action_url(section, action):
    return escape(reverse("drafting:section-action", args=[section.pk, action]))


def _actions_html(section, allowed, hidden):
    """A button for each move the user may make, and a note box for those that need a note."""
    buttons = [action for action in allowed if action in BUTTON_CLASSES and not RULES[action].needs_comment]
    notes = [action for action in allowed if action in BUTTON_CLASSES and RULES[action].needs_comment]
    html = ""
    if buttons or notes:
        html += '\n    <div class="d-flex flex-wrap gap-2 mb-2">'
        for action in buttons:
            html += (
                f'\n      <form method="post" action="{_action_url(section, action)}">{hidden}'
                f'<button type="submit" class="btn btn-sm {BUTTON_CLASSES[action]}" data-action="{action}">'
                f"{escape(str(RULES[action].label))}</button></form>"
            )
        html += "\n    </div>"
        note_label = escape(gettext("Note (required): what needs to change"))
        for action in notes:
            html += (
                f'\n    <form method="post" action="{_action_url(section, action)}" class="mb-2">{hidden}'
                f'\n      <label class="form-label small" for="note-{action}">{note_label}</label>'
                f'\n      <textarea class="form-control form-control-sm mb-1" id="note-{action}" name="comment"'
                ' rows="2" required maxlength="5000"></textarea>'
                f'\n      <button type="submit" class="btn btn-sm {BUTTON_CLASSES[action]}" data-action="{action}">'
                f"{escape(str(RULES[action].label))}</button>\n    </form>"
            )
    return html


def _comment_html(section, hidden):
    word_comment, word_add_comment = escape(gettext("Comment")), escape(gettext("Add comment"))
    return (
        f'\n    <form method="post" action="{_action_url(section, TransitionAction.COMMENT)}">{hidden}'
        f'\n      <label class="form-label small" for="comment-text">{word_comment}</label>'
        '\n      <textarea class="form-control form-control-sm mb-1" id="comment-text" name="comment"'
        ' rows="2" required maxlength="5000"></textarea>'
        '\n      <button type="submit" class="btn btn-sm btn-outline-primary" data-action="comment">'
        f"{word_add_comment}</button>\n    </form>"
    )


def _thread_html(assignment):
    """Notes, comments and the timeline, oldest first."""
    actions = dict(TransitionAction.choices)
    states = dict(AssignmentState.choices)
    entries = []
    for entry in assignment.transitions.select_related("actor"):
        at = timezone.localtime(entry.created_at)
        who = (entry.actor.get_full_name() or entry.actor.username) if entry.actor else gettext("Huigao")
        moved = ""
        if entry.from_state and entry.to_state and entry.from_state != entry.to_state:
            moved = f"（{escape(str(states.get(entry.from_state, entry.from_state)))} → "
            moved += f"{escape(str(states.get(entry.to_state, entry.to_state)))}）"
        comment = ""
        if entry.comment and entry.action != TransitionAction.ASSIGN:
            comment = f'\n        <div class="review-comment">{linebreaksbr(entry.comment, autoescape=True)}</div>'
        entries.append(
            f'\n      <li class="border-start ps-2 mb-2 review-entry review-{escape(entry.action)}">'
            '\n        <div class="small text-body-secondary">'
            f'\n          <time datetime="{at.isoformat()}">{at:%Y-%m-%d %H:%M}</time>'
            f"\n          · {escape(who)}"
            f'\n          · <span class="fw-semibold">{escape(str(actions.get(entry.action, entry.action)))}</span>{moved}'
            f"\n        </div>{comment}\n      </li>"
        )
    if not entries:
        words = escape(gettext("Nothing has happened yet."))
        entries.append(f'\n      <li class="text-body-secondary small">{words}</li>')
    return (
        f'\n    <ol class="list-unstyled review-thread mb-2" data-testid="review-thread">{"".join(entries)}\n    </ol>'
    )
