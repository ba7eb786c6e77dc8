"""The workflow panel shown on a section's page: its state, what the user may do next, what
still blocks sign-off, and the review thread (notes, comments and the timeline, newest last)."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from drafting.links import section_page_url
from reports import workflow
from reports.models import AssignmentState, TransitionAction
from reports.placeholders import split_placeholders

register = template.Library()

BUTTON_CLASSES = {
    TransitionAction.SUBMIT: "btn-primary",
    TransitionAction.WITHDRAW: "btn-outline-secondary",
    TransitionAction.SIGN_OFF: "btn-success",
    TransitionAction.SEND_BACK: "btn-outline-danger",
    TransitionAction.ACCEPT: "btn-success",
    TransitionAction.RETURN: "btn-outline-danger",
}

# The states in which the department is still writing or signing: show what blocks sign-off.
GATE_STATES = (AssignmentState.DRAFT, AssignmentState.RETURNED, AssignmentState.SUBMITTED)


@register.filter
def state_class(state):
    return workflow.STATE_CLASSES.get(state, "text-bg-light")


@register.filter
def highlight_placeholders(text):
    """The text, escaped, with each placeholder in <mark class="placeholder">."""
    pieces = []
    for fragment, is_placeholder in split_placeholders(text or ""):
        if is_placeholder:
            pieces.append(format_html('<mark class="placeholder">{}</mark>', fragment))
        else:
            pieces.append(conditional_escape(fragment))
    return mark_safe("".join(str(p) for p in pieces))  # every piece is escaped above


@register.inclusion_tag("drafting/_workflow_panel.html", takes_context=True)
def workflow_panel(context, section, measures=None):
    request = context["request"]
    user = request.user
    assignment = section.assignment if section.has_assignment else None
    result = {
        "section": section,
        "assignment": assignment,
        "report": section.report,
        "user": user,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
    }
    if assignment is None:
        return result
    allowed = assignment.allowed_actions(user)
    result["buttons"] = [
        {"action": action, "label": workflow.ACTION_LABELS[action], "class": BUTTON_CLASSES[action]}
        for action in allowed
        if action in BUTTON_CLASSES and not workflow.RULES[action].needs_comment
    ]
    result["note_forms"] = [
        {"action": action, "label": workflow.ACTION_LABELS[action], "class": BUTTON_CLASSES[action]}
        for action in allowed
        if action in BUTTON_CLASSES and workflow.RULES[action].needs_comment
    ]
    result["can_comment"] = TransitionAction.COMMENT in allowed
    if assignment.state in GATE_STATES and not section.report.is_final:
        page = section_page_url(section, user)
        result["problems"] = [
            {"message": problem.message, "url": f"{page}#{problem.anchor}"}
            for problem in workflow.section_problems(section, measures)
        ]
    result["thread"] = assignment.transitions.select_related("actor")
    return result
