"""Assigning many sections at once: the outline's bulk form and an imported report's confirmation.

Every section goes through Assignment.assign or Assignment.reassign, so each move is locked,
logged and announced like a single one; all of them run in one transaction, so a refusal on
any section leaves every section as it was (and the announcements, sent on commit, never go out).
"""

from django.db import transaction

from reports.models import Assignment


@transaction.atomic
def assign_sections(sections, department, deadline, user):
    """Give each section to `department` with `deadline`: assign, reassign, or move the deadline.

    Returns how many sections changed department (or were newly assigned)."""
    moved = 0
    for section in sections:
        current = section.assignment if section.has_assignment else None
        if current is None:
            Assignment.assign(section, department, user, deadline)
            moved += 1
            continue
        if current.reassign(user, department, deadline) is not None:
            moved += 1
        elif deadline and current.deadline != deadline:
            # Same department: only the deadline moves (the UPDATE locks the row like the moves do).
            Assignment.objects.filter(pk=current.pk).update(deadline=deadline)
    return moved


def under(sections, top):
    """`top` and every section below it, in the order of `sections` (a report's outline)."""
    children = {}
    for section in sections:
        children.setdefault(section.parent_id, []).append(section)
    found, stack = [], [top]
    while stack:
        section = stack.pop()
        found.append(section)
        stack.extend(reversed(children.get(section.pk, [])))
    return found


@transaction.atomic
def assign_imported(report, plan, user):
    """An imported report's first assignments: `plan` is [(top-level position, department,
    deadline or None)], each department taking its top-level section and everything under it;
    a missing deadline is the report's."""
    sections = list(report.sections.select_related("assignment").order_by("position", "pk"))
    tops = [s for s in sections if s.parent_id is None]
    for position, department, deadline in plan:
        if department is None or position >= len(tops):
            continue
        assign_sections(under(sections, tops[position]), department, deadline or report.deadline, user)
