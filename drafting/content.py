"""A section's content as one thing: its counts, its snapshots, and saving it without losing edits.

Every save goes through save_content: it locks the section row, compares the version the
editor started from with the stored one, and writes the section, its measures and a
django-reversion revision in one transaction. A stale version raises VersionConflict and
changes nothing, so two tabs, two users or a double submit never overwrite each other.
"""

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Version

from drafting.diffs import MeasureText, Snapshot
from reports.models import Measure, Section
from reports.placeholders import count_placeholders
from reports.text import char_count


class VersionConflict(Exception):
    """The section was saved by someone else since the editor loaded it."""

    def __init__(self, section):
        super().__init__(f"section {section.pk} is at version {section.version}")
        self.section = section


def counts(section, measures):
    """(characters, placeholders) of the section's intro and measures, counted in Python."""
    texts = [section.intro, *(m.lead for m in measures), *(m.body for m in measures)]
    return sum(char_count(t) for t in texts), sum(count_placeholders(t) for t in texts)


def snapshot(section, measures=None):
    measures = list(section.measures.all()) if measures is None else measures
    ordered = sorted(measures, key=lambda m: (m.position, m.pk or 0))
    return Snapshot(section.heading, section.intro, tuple(MeasureText(m.pk, m.lead, m.body) for m in ordered))


def revisions(section):
    """The section's saved versions, newest first, with who saved them."""
    return Version.objects.get_for_object(section).select_related("revision__user")


def snapshot_of_version(version):
    """The section's text as a revision recorded it (the section and its followed measures)."""
    section_fields = version.field_dict
    measure_type = ContentType.objects.get_for_model(Measure)
    rows = []
    for measure_version in version.revision.version_set.filter(content_type=measure_type):
        fields = measure_version.field_dict
        if str(fields["section_id"]) == version.object_id:
            rows.append((fields["position"], fields["id"], fields["lead"], fields["body"]))
    rows.sort()
    return Snapshot(
        section_fields["heading"],
        section_fields["intro"],
        tuple(MeasureText(pk, lead, body) for _position, pk, lead, body in rows),
    )


def _record_initial_revision(section):
    """Sections made by the importer or the outline have no revision yet: keep their first text."""
    if Version.objects.get_for_object(section).exists():
        return
    with reversion.create_revision():
        reversion.set_user(section.updated_by)
        reversion.set_comment(_("Text before the first edit"))
        reversion.add_to_revision(section)


def save_content(section, user, *, intro, measures, expected_version=None, heading=None, note=""):
    """Store the section's intro and measures (a list of MeasureText, in order) as a new revision.

    With `expected_version`, a section saved since raises VersionConflict, unless it already
    holds exactly this text (a double submit): then nothing is written.
    Returns the saved section.
    """
    with transaction.atomic():
        locked = Section.objects.select_for_update().get(pk=section.pk)
        if expected_version is not None and locked.version != expected_version:
            submitted = Snapshot(locked.heading if heading is None else heading, intro, tuple(measures))
            if snapshot(locked).same_text(submitted):
                return locked
            raise VersionConflict(locked)
        _record_initial_revision(locked)
        with reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(note)
            existing = {m.pk: m for m in locked.measures.all()}
            # Measures first, the section last: reversion follows the section's measures
            # when the section is added, so the revision holds exactly the measures kept.
            for position, item in enumerate(measures):
                measure = existing.pop(item.pk, None) if item.pk else None
                if measure is None:
                    measure = Measure(section=locked)
                if measure.pk is None or (measure.position, measure.lead, measure.body) != (
                    position,
                    item.lead,
                    item.body,
                ):
                    measure.position, measure.lead, measure.body = position, item.lead, item.body
                    measure.save()
            for measure in existing.values():
                measure.delete()
            locked.intro = intro
            if heading is not None:
                locked.heading = heading
            locked.version += 1
            locked.updated_by = user
            locked.save()
            reversion.add_to_revision(locked)
        return locked


def restore(section, user, version, with_heading=False):
    """Bring back a revision's text as a new revision.

    The outline position stays as it is now, and the heading only comes back for someone who
    may edit headings (the coordinators own them).
    """
    old = snapshot_of_version(version)
    saved_at = timezone.localtime(version.revision.date_created)
    note = _("Restored the version of %(date)s") % {"date": saved_at.strftime("%Y-%m-%d %H:%M")}
    heading = old.heading if with_heading else None
    return save_content(section, user, intro=old.intro, measures=list(old.measures), heading=heading, note=note)
