"""The workflow panel shown on a section's page: its state, and what the user may do next."""

from django import template

register = template.Library()


@register.inclusion_tag("drafting/_workflow_panel.html", takes_context=True)
def workflow_panel(context, section):
    assignment = section.assignment if section.has_assignment else None
    return {
        "section": section,
        "assignment": assignment,
        "user": context["request"].user,
        "request": context["request"],
    }
