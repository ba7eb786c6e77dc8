"""A section's content as one thing: its snapshots, and the one way to change it.

Every change of a section's heading, intro or measures goes through `save_content` — the
editor, paste-and-split, restore, the outline's rename — and every new tree of sections with
text through `create_sections` (the importer, the clone). `save_content` locks the section and
its assignment, re-checks under the lock that the user may still make the change (a section
submitted a moment ago is no longer editable, so a signer never signs text that changed under
them), compares the version the editor started from with the stored one, and writes the text,
a django-reversion revision and the section's tally (reports/tallies.py) in the same
transaction. A stale version raises VersionConflict and changes nothing, so two tabs, two
users or a double submit never overwrite each other.
"""

from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from reversion.models import Version

from reports import tables, tallies
from reports.carried import kept_keys
from reports.models import Assignment, Measure, Section, WordingRule
from reports.splitting import join_measure
from reports.states import SIGNED_STATES
from reports.text import minute_label


@dataclass(frozen=True)
class MeasureText:
    pk: int | None
    lead: str
    body: str
    table: dict | None = None  # reports/tables.py's format, normalised

    @property
    def text(self):
        return join_measure(self.lead, self.body)

    @property
    def compared_text(self):
        """The text, and the table's rows under it (cells separated by tabs), for a comparison."""
        if not self.table:
            return self.text
        return "\n".join(filter(None, [self.text, tables.table_text(self.table)]))

    @property
    def content(self):
        """What a comparison of two texts compares: the text and the table."""
        return self.text, self.table


@dataclass(frozen=True)
class Snapshot:
    """A section's text at one moment: from the database, a revision or a submitted form."""

    heading: str
    intro: str
    measures: tuple = ()

    def same_text(self, other):
        return (self.heading, self.intro, [m.content for m in self.measures]) == (
            other.heading,
            other.intro,
            [m.content for m in other.measures],
        )


class VersionConflict(Exception):
    """The section was saved by someone else since the editor loaded it."""

    def __init__(self, section):
        super().__init__(f"section {section.pk} is at version {section.version}")
        self.section = section


def snapshot(section, measures=None):
    measures = list(section.measures.all()) if measures is None else measures
    ordered = sorted(measures, key=lambda m: (m.position, m.pk or 0))
    return Snapshot(section.heading, section.intro, tuple(MeasureText(m.pk, m.lead, m.body, m.table) for m in ordered))


def revisions(section):
    """The section's saved versions, newest first, with who saved them."""
    return Version.objects.get_for_object(section).select_related("revision__user")


def snapshot_of_version(version):
    """The section's text as a revision recorded it (the section and its followed measures)."""
    return snapshots_of_versions([version])[version.pk]


def snapshots_of_versions(versions):
    """{version pk: Snapshot} for section versions of any sections: one query for all their measures."""
    measure_type = ContentType.objects.get_for_model(Measure)
    found = {}
    measure_versions = Version.objects.filter(
        content_type=measure_type, revision_id__in={version.revision_id for version in versions}
    ).select_related("content_type")
    for measure_version in measure_versions:
        fields = measure_version.field_dict
        # Revisions recorded before measures had tables have no "table".
        row = (fields["position"], fields["id"], fields["lead"], fields["body"], fields.get("table"))
        found.setdefault((measure_version.revision_id, str(fields["section_id"])), []).append(row)
    snapshots = {}
    for version in versions:
        section_fields = version.field_dict
        rows = sorted(found.get((version.revision_id, version.object_id), []), key=lambda row: row[:2])
        snapshots[version.pk] = Snapshot(
            section_fields["heading"],
            section_fields["intro"],
            tuple(MeasureText(pk, lead, body, table) for _position, pk, lead, body, table in rows),
        )
    return snapshots


def _record_initial_revision(section):
    """Sections made by the outline, the importer or the clone have no revision yet: keep their first text."""
    if Version.objects.get_for_object(section).exists():
        return
    with reversion.create_revision():
        reversion.set_user(section.updated_by)
        reversion.set_comment(_("Text before the first edit"))
        reversion.add_to_revision(section)


def _lock(section):
    """The section and its assignment, locked for this transaction and read afresh."""
    locked = Section.objects.select_for_update(of=("self",)).select_related("report").get(pk=section.pk)
    assignment = (
        Assignment.objects.select_for_update(of=("self",)).select_related("department").filter(section=locked).first()
    )
    # The permissions object reads the assignment from the section: give it the locked one.
    locked.assignment = assignment
    return locked


def _check(locked, user, *, text_changes, heading_changes):
    """Refuse (PermissionDenied, saying why) a change the user may not make now."""
    if user is None:
        return  # the system: the demo and the tests' fixtures
    permissions = locked.permissions_for(user)
    if text_changes and not permissions.can_edit:
        raise PermissionDenied(permissions.edit_refusal)
    if heading_changes and not (permissions.can_edit_heading if text_changes else permissions.can_rename):
        raise PermissionDenied(_("Only the coordinators of this report may change its headings."))


def save_content(section, user, *, intro=None, measures=None, heading=None, expected_version=None, note=""):
    """Store the section's heading, intro and measures (a list of MeasureText, in order) as a new
    revision; None leaves that part as it is.

    With `expected_version`, a section saved since raises VersionConflict, unless it already
    holds exactly this text (a double submit): then nothing is written. A user who may no
    longer make the change (the section was submitted meanwhile, the report finalised) gets
    PermissionDenied. Returns the saved section.
    """
    with transaction.atomic():
        locked = _lock(section)
        current = snapshot(locked)
        submitted = Snapshot(
            locked.heading if heading is None else heading,
            locked.intro if intro is None else intro,
            current.measures if measures is None else tuple(measures),
        )
        _check(
            locked,
            user,
            text_changes=intro is not None or measures is not None,
            heading_changes=submitted.heading != locked.heading,
        )
        if expected_version is not None and locked.version != expected_version:
            if current.same_text(submitted):
                return locked
            raise VersionConflict(locked)
        assignment = locked.assignment if locked.has_assignment else None
        after_sign_off = (
            assignment is not None and assignment.state in SIGNED_STATES and not current.same_text(submitted)
        )
        if after_sign_off and not note.strip():
            raise ValidationError(
                _("The department has signed this text off: say why it changes (修改理由)."), code="reason_required"
            )
        _record_initial_revision(locked)
        with tallies.writing(locked), reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(note)
            if measures is not None:
                _write_measures(locked, measures)
            locked.heading, locked.intro = submitted.heading, submitted.intro
            locked.version += 1
            locked.updated_by = user
            locked.save()
            reversion.add_to_revision(locked)
        if after_sign_off:
            # Marked in the section's log (签发后改动) with the reason, and the department hears of it.
            assignment.record_change(user, note)
        return locked


def _write_measures(locked, measures):
    # Measures first, the section last: reversion follows the section's measures when the
    # section is added, so the revision holds exactly the measures kept.
    existing = {m.pk: m for m in locked.measures.all()}
    for position, item in enumerate(measures):
        measure = existing.pop(item.pk, None) if item.pk else None
        if measure is None:
            measure = Measure(section=locked)
        # A carried figure (reports.carried) edited away is no longer waiting to be checked.
        carried = kept_keys(measure.carried_numbers, item.lead, item.body)
        old = (measure.position, measure.lead, measure.body, measure.table, measure.carried_numbers)
        if measure.pk is None or old != (position, item.lead, item.body, item.table, carried):
            measure.position, measure.lead, measure.body, measure.table = position, item.lead, item.body, item.table
            measure.carried_numbers = carried
            measure.save()
    for measure in existing.values():
        measure.delete()


def restore(section, user, version, with_heading=False):
    """Bring back a revision's text as a new revision.

    The outline position stays as it is now, and the heading only comes back for someone who
    may edit headings (the coordinators own them).
    """
    old = snapshot_of_version(version)
    note = _("Restored the version of %(date)s") % {"date": minute_label(version.revision.date_created)}
    heading = old.heading if with_heading else None
    return save_content(section, user, intro=old.intro, measures=list(old.measures), heading=heading, note=note)


@dataclass
class NewSection:
    """A section to create with its text, and the sections under it."""

    heading: str
    intro: str = ""
    # [(lead, body), (lead, body, last period's measure pk) or (lead, body, that pk or None, table), …]
    measures: list = None
    children: list = None
    position: int | None = None  # rank among its siblings; their order in the list when None
    source: object = None  # whatever the caller wants back beside the new section
    previous: int | None = None  # last period's section, for a clone


def create_sections(report, tree, user):
    """Create a tree of NewSection under `report` with their measures.

    One INSERT per tree level, one for all measures and one for their tallies, whatever the
    size: the text they came with becomes their first revision on their first save (a revision
    now would cost queries per section). Returns [(NewSection, Section), …], parents before their children.
    """
    created = []
    level = [(None, n, node) for n, node in enumerate(tree)]
    measures = []
    depth, texts = 1, []
    while level:
        rows = [
            Section(
                report=report,
                parent=parent,
                position=n if node.position is None else node.position,
                heading=node.heading,
                intro=node.intro,
                updated_by=user,
                previous_id=node.previous,
            )
            for parent, n, node in level
        ]
        Section.objects.bulk_create(rows)
        next_level = []
        for row, (_parent, _n, node) in zip(rows, level, strict=True):
            created.append((node, row))
            texts.append((row, depth, node.measures or ()))
            measures.extend(
                Measure(
                    section=row,
                    position=n,
                    lead=item[0],
                    body=item[1],
                    previous_id=_previous(item),
                    table=item[3] if len(item) > 3 else None,
                )
                for n, item in enumerate(node.measures or ())
            )
            next_level.extend((row, n, child) for n, child in enumerate(node.children or ()))
        level = next_level
        depth += 1
    Measure.objects.bulk_create(measures)
    tallies.store(tallies.for_created(texts, WordingRule.objects.in_use()))
    return created


def _previous(item):
    return item[2] if len(item) > 2 else None
