"""Editing a report's outline: add, move, indent/outdent, reorder, delete and restore sections.

Positions are rewritten 0, 1, 2 … among the siblings touched, so numbers (derived from rank)
change everywhere at once. Deleting keeps a django-reversion revision of the section, its
subsections and their measures, so a deleted section can be brought back.
"""

import reversion
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from reversion.models import Version

from reports.models import (
    Assignment,
    ReportAction,
    ReportEvent,
    Section,
)
from reports.numbering import MAX_LEVEL


class OutlineError(Exception):
    """A move the outline does not allow; the message says why, in the user's language."""


def _siblings(report, parent_id):
    return list(Section.objects.filter(report=report, parent_id=parent_id).order_by("position", "pk"))


def renumber(siblings):
    """Positions 0, 1, 2 … in the given order (sections of one parent, or a report's
    attachments), written in one query for those that moved."""
    changed = []
    for position, item in enumerate(siblings):
        if item.position != position:
            item.position = position
            changed.append(item)
    if changed:
        type(changed[0]).objects.bulk_update(changed, ["position"])


def _subtree_depth(report, section):
    """Levels in the section's subtree, itself included (1 for a leaf)."""
    children = {}
    for pk, parent_id in Section.objects.filter(report=report).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)

    def depth(pk):
        return 1 + max((depth(child) for child in children.get(pk, ())), default=0)

    return depth(section.pk)


def add_section(report, heading, parent=None):
    last = Section.objects.filter(report=report, parent=parent).aggregate(Max("position"))["position__max"]
    return Section.objects.create(
        report=report, parent=parent, heading=heading, position=0 if last is None else last + 1
    )


@transaction.atomic
def move_section(section, direction):
    """Move up/down among siblings, indent (under the previous sibling) or outdent (after the parent)."""
    report = section.report
    siblings = _siblings(report, section.parent_id)
    index = next(i for i, s in enumerate(siblings) if s.pk == section.pk)
    if direction in ("up", "down"):
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            raise OutlineError(_("The section cannot move further."))
        siblings[index], siblings[other] = siblings[other], siblings[index]
        renumber(siblings)
    elif direction == "indent":
        if index == 0:
            raise OutlineError(_("The first section of its level has no section above it to go under."))
        new_parent = siblings[index - 1]
        if new_parent.level + _subtree_depth(report, section) > MAX_LEVEL:
            raise OutlineError(_("Sections go at most %(max)d levels deep.") % {"max": MAX_LEVEL})
        last = _siblings(report, new_parent.pk)
        section.parent = new_parent
        section.position = len(last)
        section.save(update_fields=["parent", "position"])
        renumber([s for s in siblings if s.pk != section.pk])
    elif direction == "outdent":
        if section.parent_id is None:
            raise OutlineError(_("A top-level section cannot move further out."))
        parent = section.parent
        rest = [s for s in siblings if s.pk != section.pk]
        renumber(rest)
        outer = _siblings(report, parent.parent_id)
        at = next(i for i, s in enumerate(outer) if s.pk == parent.pk) + 1
        section.parent_id = parent.parent_id
        outer.insert(at, section)
        section.save(update_fields=["parent"])
        renumber(outer)
    else:
        raise OutlineError(_("Unknown move."))


@transaction.atomic
def reorder(report, pairs):
    """Apply a whole new tree: `pairs` is [(pk, parent_pk or None), …] in reading order."""
    sections = {s.pk: s for s in Section.objects.filter(report=report)}
    counters = {}
    for pk, parent_id in pairs:
        section = sections[pk]
        section.parent_id = parent_id
        section.position = counters.get(parent_id, 0)
        counters[parent_id] = section.position + 1
    Section.objects.bulk_update(sections.values(), ["parent", "position"])


def assign(section, department, deadline, char_limit, user):
    """Give the section to a department, move it to another, or take it back.

    Assigning and moving go through Assignment.assign and Assignment.reassign, so they are
    locked, logged and notified like any other move. Taking a section back keeps the
    assignment and its log in a revision, as deleting a section does.
    """
    current = section.assignment if section.has_assignment else None
    if department is None:
        if current is not None:
            with reversion.create_revision():
                reversion.set_user(user)
                reversion.set_comment(_("Taken back by the coordinating office"))
                reversion.add_to_revision(current)
            current.delete()
        return None
    if current is None:
        current = Assignment.assign(section, department, user, deadline)
    else:
        current.reassign(user, department)
    current.deadline, current.char_limit = deadline, char_limit
    current.save(update_fields=["deadline", "char_limit", "updated_at"])
    return current


def subtree(section):
    """The section and every section under it."""
    children = {}
    sections = Section.objects.filter(report_id=section.report_id).select_related("assignment")
    for s in sections.prefetch_related("measures"):
        children.setdefault(s.parent_id, []).append(s)
    found, stack = [], [section.pk]
    by_pk = {s.pk: s for group in children.values() for s in group}
    while stack:
        pk = stack.pop()
        found.append(by_pk[pk])
        stack.extend(s.pk for s in children.get(pk, ()))
    return found


def has_content(sections):
    return any(s.intro.strip() or s.measures.all() for s in sections)


@transaction.atomic
def delete_section(section, user):
    """Delete a section and its subsections, keeping a revision to restore them from."""
    report = section.report
    doomed = subtree(section)
    title = f"{section.label}{section.heading}"
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(_("Deleted section: %(title)s") % {"title": title})
        for s in doomed:
            reversion.add_to_revision(s)
            if s.has_assignment:
                reversion.add_to_revision(s.assignment)
    parent_id = section.parent_id
    section.delete()
    renumber(_siblings(report, parent_id))
    ReportEvent.objects.create(report=report, actor=user, action=ReportAction.DELETE_SECTION, comment=title)


def deleted_revisions(report, limit=10):
    """Recent deletions of this report's sections that can be restored, newest first."""
    marker = f'"report": {report.pk},'
    versions = (
        Version.objects.get_deleted(Section)
        .filter(serialized_data__contains=marker)
        .select_related("revision__user")
        .order_by("-revision__date_created")
    )
    seen, revisions = set(), []
    for version in versions[: limit * 5]:
        if version.revision_id not in seen:
            seen.add(version.revision_id)
            revisions.append(version.revision)
        if len(revisions) == limit:
            break
    return revisions


@transaction.atomic
def restore_deleted(report, revision_id):
    """Bring back the sections of a deletion revision: text, measures, assignments and their logs."""
    revision = next((r for r in deleted_revisions(report, limit=100) if r.pk == revision_id), None)
    if revision is None:
        raise OutlineError(_("There is nothing to restore: it may have been restored already."))
    sections = [v for v in revision.version_set.all() if v.content_type.model_class() is Section]
    known = set(Section.objects.filter(report=report).values_list("pk", flat=True))
    restored = {int(v.object_id) for v in sections}
    for version in sections:
        parent_id = version.field_dict.get("parent_id")
        if parent_id is not None and parent_id not in known and parent_id not in restored:
            raise OutlineError(_("The section it belonged to has been deleted too: restore that one first."))
    revision.revert()
