"""The 修改对照稿: the text each department signed against the text now, with the reasons.

A section's signed text is the revision its sign-off pinned; every save after it carried a
reason (content.save_content refuses one without), so walking the revisions from the pinned
one to the newest tells which save changed which measure, and a row shows the reasons of
exactly the saves that touched it. Measures are matched by identity: a measure rewritten in
place is one row with its words marked, one deleted or added stands alone as removed or added.

The marks come from drafting.diffs, within one deadline for the whole comparison, and the
history read for one section is capped, so a large report or a long history costs bounded work.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Version

from drafting.diffs import char_sides, deadline_after
from reports import content
from reports.models import Section, fingerprint, measures_by_section
from reports.numbering import is_table_only, measure_ordinal, number_tree
from reports.states import SIGNED_STATES, state_labels
from reports.text import chinese_date, paragraphs

# How long all the marks of one report comparison may take before the rest are marked whole.
REPORT_DIFF_SECONDS = 3.0
# Saves after sign-off read for one section; the reasons of older ones are listed for the section.
MAX_REVISIONS = 200

UNSIGNED, UNCHANGED, CHANGED, LOST = "unsigned", "unchanged", "changed", "lost"
CHANGED_ROW, ADDED, REMOVED = "changed", "added", "removed"


@dataclass
class ChangeRow:
    """One changed part of a section: its heading, its intro or one measure."""

    kind: str  # heading | intro | measure
    status: str  # changed | added | removed
    old_label: str
    new_label: str
    old: list  # [(fragment, removed?)] of the signed text, empty for an added measure
    new: list  # [(fragment, inserted?)] of the text now, empty for a removed measure
    reasons: list = field(default_factory=list)

    @property
    def inline(self):
        """One run of (fragment, "same" | "deleted" | "inserted"): deletions before insertions."""
        return merge_sides(self.old, self.new)


@dataclass
class SectionComparison:
    pk: int
    label: str
    heading: str
    level: int
    department: str
    state_label: str
    status: str
    signer: str = ""
    signed_at: str = ""  # the day and the minute of the sign-off, local time
    rows: list = field(default_factory=list)
    reordered: bool = False
    order_reasons: list = field(default_factory=list)
    other_reasons: list = field(default_factory=list)
    signed_text: "SignedText | None" = None  # with signed_text=True: what the department signed


@dataclass
class SignedMeasure:
    ordinal: str  # 一是, 二是 …; "" for a measure that is a table alone
    text: str
    table: dict | None


@dataclass
class SignedText:
    """A section's text as its sign-off pinned it, numbered as it was then."""

    heading: str
    intro: list  # its paragraphs
    measures: list  # [SignedMeasure]


def signed_text(snapshot):
    measures, n = [], 0
    for measure in snapshot.measures:
        ordinal = ""
        if not is_table_only(measure):
            n += 1
            ordinal = measure_ordinal(n)
        measures.append(SignedMeasure(ordinal, measure.text if ordinal else "", measure.table or None))
    return SignedText(snapshot.heading, paragraphs(snapshot.intro), measures)


def merge_sides(old, new):
    """The two sides of char_sides as one text: their unchanged fragments are the same text in
    the same order, but split differently, so they are walked character count by count."""
    merged = []

    def add(text, kind):
        if text:
            if merged and merged[-1][1] == kind:
                merged[-1] = (merged[-1][0] + text, kind)
            else:
                merged.append((text, kind))

    i = j = 0
    old_at = new_at = 0  # characters of the current fragment already taken
    while i < len(old) or j < len(new):
        if i < len(old) and old[i][1]:
            add(old[i][0], "deleted")
            i += 1
        elif j < len(new) and new[j][1]:
            add(new[j][0], "inserted")
            j += 1
        elif i < len(old) and j < len(new):
            left, right = old[i][0][old_at:], new[j][0][new_at:]
            n = min(len(left), len(right))
            add(left[:n], "same")
            old_at, new_at = old_at + n, new_at + n
            if old_at == len(old[i][0]):
                i, old_at = i + 1, 0
            if new_at == len(new[j][0]):
                j, new_at = j + 1, 0
        else:  # cannot happen for char_sides' output; kept total rather than looping
            add((old[i][0][old_at:] if i < len(old) else new[j][0][new_at:]), "same")
            i, j = len(old), len(new)
    return merged


def _name(user):
    return (user.get_full_name() or user.username) if user else ""


def _signed_versions(sections):
    """{section pk: [section Version, …]} from the pinned one on, oldest first, at most
    MAX_REVISIONS + 1 each (the pinned one and the newest saves), with the skipped saves'
    comments: {section pk: [comment, …]}. Two queries whatever the number of sections."""
    if not sections:
        return {}, {}
    pins = {str(s.pk): s.assignment.signed_revision_id for s in sections}
    versions = (
        Version.objects.filter(
            content_type=ContentType.objects.get_for_model(Section),
            object_id__in=list(pins),
            revision_id__gte=min(pins.values()),
        )
        .select_related("revision", "content_type")
        .order_by("revision_id")
    )
    by_section = {}
    for version in versions:
        if version.revision_id >= pins[version.object_id]:
            by_section.setdefault(int(version.object_id), []).append(version)
    skipped = {}
    for pk, history in by_section.items():
        if history[0].revision_id != pins[str(pk)]:
            by_section[pk] = []  # the pinned revision is gone: nothing to compare against
        elif len(history) > MAX_REVISIONS + 1:
            skipped[pk] = [v.revision.comment for v in history[1 : len(history) - MAX_REVISIONS] if v.revision.comment]
            by_section[pk] = [history[0], *history[len(history) - MAX_REVISIONS :]]
    return by_section, skipped


def _pinned_versions(sections):
    """{section pk: the Version its sign-off pinned}, for the sections given: one query."""
    if not sections:
        return {}
    pins = {str(s.pk): s.assignment.signed_revision_id for s in sections}
    versions = Version.objects.filter(
        content_type=ContentType.objects.get_for_model(Section),
        object_id__in=list(pins),
        revision_id__in=set(pins.values()),
    ).select_related("revision", "content_type")
    return {int(v.object_id): v for v in versions if pins[v.object_id] == v.revision_id}


def _texts(snapshot):
    return {m.pk: m.text for m in snapshot.measures}


def _reasons(history, snapshots):
    """{part: [reason, …]} in order, for "heading", "intro" and each measure pk: the comments of
    the saves that changed that part, from one snapshot to the next."""
    reasons = {}

    def note(part, reason):
        if reason and reason not in reasons.setdefault(part, []):
            reasons[part].append(reason)

    for before, after in zip(history, history[1:], strict=False):
        old, new = snapshots[before.pk], snapshots[after.pk]
        reason = after.revision.comment.strip()
        if old.heading != new.heading:
            note("heading", reason)
        if old.intro != new.intro:
            note("intro", reason)
        old_texts, new_texts = _texts(old), _texts(new)
        kept = old_texts.keys() & new_texts.keys()
        if [m.pk for m in old.measures if m.pk in kept] != [m.pk for m in new.measures if m.pk in kept]:
            note("order", reason)
        for pk in old_texts.keys() | new_texts.keys():
            if old_texts.get(pk) != new_texts.get(pk):
                note(pk, reason)
    return reasons


def _rows(signed, now, reasons, deadline, label):
    """The changed parts, heading and intro first, then the measures in today's order with each
    removed one where it stood in the signed text."""
    rows = []
    if signed.heading != now.heading:
        rows.append(
            _row("heading", CHANGED_ROW, label, label, signed.heading, now.heading, reasons.get("heading"), deadline)
        )
    if signed.intro != now.intro:
        rows.append(_row("intro", CHANGED_ROW, "", "", signed.intro, now.intro, reasons.get("intro"), deadline))
    old_place = {m.pk: n for n, m in enumerate(signed.measures, start=1)}
    new_pks = {m.pk for m in now.measures}
    removed = [(n, m) for n, m in enumerate(signed.measures, start=1) if m.pk not in new_pks]

    def removed_before(place):
        while removed and removed[0][0] < place:
            n, measure = removed.pop(0)
            rows.append(
                _row("measure", REMOVED, measure_ordinal(n), "", measure.text, "", reasons.get(measure.pk), deadline)
            )

    for n, measure in enumerate(now.measures, start=1):
        if measure.pk in old_place:
            place = old_place[measure.pk]
            removed_before(place)
            before = signed.measures[place - 1].text
            if before != measure.text:
                rows.append(
                    _row(
                        "measure",
                        CHANGED_ROW,
                        measure_ordinal(place),
                        measure_ordinal(n),
                        before,
                        measure.text,
                        reasons.get(measure.pk),
                        deadline,
                    )
                )
        else:
            rows.append(
                _row("measure", ADDED, "", measure_ordinal(n), "", measure.text, reasons.get(measure.pk), deadline)
            )
    removed_before(float("inf"))
    kept_in_old_order = [m.pk for m in signed.measures if m.pk in new_pks]
    kept_in_new_order = [m.pk for m in now.measures if m.pk in old_place]
    return rows, kept_in_old_order != kept_in_new_order


def _row(kind, status, old_label, new_label, old_text, new_text, reasons, deadline):
    old, new = char_sides(old_text, new_text, deadline)
    return ChangeRow(kind, status, old_label, new_label, old, new, list(reasons or ()))


def compare_sections(sections, measures=None, seconds=None, with_signed_text=False):
    """A SectionComparison for each section (numbered: label and level set), in the given order.

    With `with_signed_text`, each signed section also carries its signed text (the pinned
    revision's; an unchanged section's own text when that revision is gone, since its
    fingerprint still proves it the same). `sections` carry their assignment (select_related) and `measures` is measures_by_section's
    {section pk: rows} when the caller has it. A constant number of queries.
    """
    if measures is None:
        measures = measures_by_section(sections)
    deadline = deadline_after(seconds) if seconds else deadline_after()
    states = state_labels()
    results, to_compare, unchanged = [], [], []
    for section in sections:
        assignment = section.assignment if section.has_assignment else None
        rows = measures.get(section.pk, [])
        item = SectionComparison(
            pk=section.pk,
            label=section.label,
            heading=section.heading,
            level=section.level,
            department=assignment.department.display_name if assignment else "",
            state_label=states[assignment.state] if assignment else _("Not assigned"),
            status=UNSIGNED,
        )
        results.append(item)
        if assignment is None or assignment.state not in SIGNED_STATES or not assignment.signed_revision_id:
            continue
        item.signer = _name(assignment.signed_off_by)
        if assignment.signed_off_at:
            at = timezone.localtime(assignment.signed_off_at)
            item.signed_at = f"{chinese_date(at)} {at:%H:%M}"
        if fingerprint(section, rows) == assignment.signed_hash:
            item.status = UNCHANGED
            unchanged.append((item, section, rows))
        else:
            item.status = CHANGED
            to_compare.append((item, section, rows))
    histories, skipped = _signed_versions([section for _item, section, _rows in to_compare])
    pinned = _pinned_versions([section for _item, section, _rows in unchanged]) if with_signed_text else {}
    snapshots = content.snapshots_of_versions(
        [v for history in histories.values() for v in history] + list(pinned.values())
    )
    for item, section, rows in unchanged if with_signed_text else ():
        version = pinned.get(section.pk)
        item.signed_text = signed_text(snapshots[version.pk] if version else content.snapshot(section, rows))
    for item, section, rows in to_compare:
        history = histories.get(section.pk)
        if not history:
            item.status = LOST
            continue
        reasons = _reasons(history, snapshots)
        signed = snapshots[history[0].pk]
        if with_signed_text:
            item.signed_text = signed_text(signed)
        item.rows, item.reordered = _rows(signed, content.snapshot(section, rows), reasons, deadline, section.label)
        item.order_reasons = reasons.get("order", []) if item.reordered else []
        item.other_reasons = skipped.get(section.pk, [])
    return results


def section_comparison(section, with_signed_text=False):
    """One section's comparison (the section as the access helper gives it: assignment and department read)."""
    return compare_sections([section], with_signed_text=with_signed_text)[0]


def report_comparison(report, with_signed_text=False):
    """Every section of the report in reading order, and the counts the summary shows; with
    `with_signed_text`, each signed section's signed text too."""
    sections = list(report.sections.select_related("assignment__department", "assignment__signed_off_by").order_by())
    ordered = number_tree(sections)
    items = compare_sections(ordered, seconds=REPORT_DIFF_SECONDS, with_signed_text=with_signed_text)
    counts = {
        status: sum(1 for item in items if item.status == status) for status in (UNSIGNED, UNCHANGED, CHANGED, LOST)
    }
    return items, counts
