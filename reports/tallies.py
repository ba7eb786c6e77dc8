"""Each section's figures kept between saves (SectionTally), so that the pages showing them for a
whole report — the board's placeholder and proofreading counts, its page estimate and 签发后改动
marks, the dashboard's characters and placeholders — read one row a section, not every text.

A tally is written with the text: `content.save_content` refreshes it in the same transaction,
`content.create_sections` (the importer, the clone) writes the new sections' tallies, and any
other save of a section or measure (the admin) drops it. A tally also records what it was
computed for — the section's version, its level and the office's wording list — and a page that
finds one missing or out of date computes it again from the text and stores it, so moving a
section or changing the wording list costs one full reading on the next page, not on every one.

The rules comparing texts across the report (mixed number forms, the same figure with two values)
cannot be counted a section at a time: a tally keeps what they compare (how often each form occurs,
the figures quoted), and `report_proofreading` puts those together with the report's own texts,
which are few and read each time. The counts are exactly what `proofread.check_report` counts.
"""

import contextvars
import hashlib
import json
from collections import defaultdict
from contextlib import contextmanager
from typing import NamedTuple

from django.db.models import TextField
from django.db.models.functions import Cast

from reports import document, proofread, tables
from reports.models import Section, SectionTally, WordingRule, fingerprint, measures_by_section
from reports.placeholders import count_placeholders
from reports.text import char_count

FIELDS = [f.name for f in SectionTally._meta.concrete_fields if f.name != "section"]
# (field, the name numbered_outline reads it under), built once rather than a name a field a section.
_OUTLINE_NAMES = [(name, f"tally__{name}") for name in FIELDS]

# Set while a caller that refreshes the tally itself writes a section's text.
_writing = contextvars.ContextVar("writing_with_tally", default=False)


def counts(section, measures):
    """(characters, placeholders) of the section's intro, measures and tables, counted in Python."""
    return text_counts(
        [section.intro, *(m.lead for m in measures), *(m.body for m in measures), *tables.measure_cells(measures)]
    )


def text_counts(texts):
    """(characters, placeholders) of these texts together. The characters over the texts joined
    by a line break, which is white space, so the sum is the same in one regex call."""
    return char_count("\n".join(filter(None, texts))), sum(map(count_placeholders, texts))


def wording_stamp(wording):
    """A short fingerprint of the office's wording list: a tally counted with another is out of date."""
    text = json.dumps(sorted(map(list, wording)), ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


class _Text(NamedTuple):
    """A section as proofread.section_texts reads it; where a finding stands is not counted."""

    pk: int
    heading: str
    intro: str
    label: str = ""


def compute(section, measures, *, version, level=None, wording=None):
    """The SectionTally (not saved) of a section's text: `section` has pk, heading and intro,
    `measures` lead, body, position and pk. Without `wording` the proofreading counts are left
    to be computed by the next page that needs them (level 0 matches no section)."""
    measures = list(measures)
    chars, placeholders = counts(section, measures)
    tally = SectionTally(
        section_id=section.pk,
        version=version,
        chars=chars,
        length=proofread.section_length(section.intro, measures),
        placeholders=placeholders,
        empty_measures=sum(1 for m in measures if not (m.lead.strip() or m.body.strip() or getattr(m, "table", None))),
        fingerprint=fingerprint(section, measures),
        level=0,
        wording="",
        errors=0,
        warnings=0,
        hints=0,
        compared={},
    )
    reading = proofread.Reading(wording or ())
    text = _Text(section.pk, section.heading, section.intro)
    for place, value in proofread.section_texts(text, measures, level=level or 1):
        if wording is None:
            reading.lines += proofread.text_lines(value, place) if value else 0
        else:
            reading.read(place, value)
    tally.lines = reading.lines
    if wording is not None:
        severities = defaultdict(int)
        for finding in reading.findings:
            severities[finding.severity] += 1
        tally.level, tally.wording = level, wording_stamp(wording)
        tally.errors = severities[proofread.ERROR]
        tally.warnings = severities[proofread.WARNING]
        tally.hints = severities[proofread.HINT]
        tally.compared = _compared(reading)
    return tally


def _compared(reading):
    compared = {}
    forms = {name: len(found) for name, found in reading.forms.items() if found}
    if forms:
        compared["forms"] = forms
    figures = [[noun, unit, value] for (noun, unit), quotes in reading.figures.items() for *_, value in quotes]
    if figures:
        compared["figures"] = figures
    return compared


def store(tallies):
    """Write the tallies, replacing any the sections had: one query."""
    if tallies:
        SectionTally.objects.bulk_create(
            tallies, update_conflicts=True, unique_fields=["section"], update_fields=FIELDS
        )


@contextmanager
def writing(section):
    """Around a write of the section's text: other saves of it or its measures inside do not
    drop its tally, and the tally is computed afresh from what was written at the end."""
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)
    refresh(section)


def refresh(section):
    """Recompute and store one section's tally from the database."""
    tally = compute(
        section,
        section.measures.all(),
        version=section.version,
        level=section.level,
        wording=WordingRule.objects.in_use(),
    )
    store([tally])
    return tally


def for_created(pairs, wording):
    """The tallies of sections just created, from [(section, level, [(lead, body, …), …])]."""
    return [
        compute(
            section,
            [_Measure(n, n, item[0], item[1], item[3] if len(item) > 3 else None) for n, item in enumerate(items)],
            version=section.version,
            level=level,
            wording=wording,
        )
        for section, level, items in pairs
    ]


class _Measure:
    __slots__ = ("pk", "position", "lead", "body", "table", "ordinal")

    def __init__(self, pk, position, lead, body, table=None):
        self.pk, self.position, self.lead, self.body, self.table = pk, position, lead, body, table


def drop(sender, instance, created=False, update_fields=None, **kwargs):
    """post_save of a Section or Measure saved outside content.save_content (the admin): the
    section's tally no longer says what its text holds."""
    if _writing.get() or (created and sender is Section):
        return
    if sender is Section:
        if update_fields is not None and not {"heading", "intro"} & set(update_fields):
            return
        section_id = instance.pk
    else:
        section_id = instance.section_id
    SectionTally.objects.filter(section_id=section_id).delete()


# ------------------------------------------------------------------ pages reading many sections

# What numbered_outline reads of each section for its tally: the fields as values, and the
# figures compared across sections (a JSON field) as their text, parsed by of_outline. A column
# Django converts sends every row of the query through its per-row conversion; read converted,
# that one field cost more than all the others together.
_READ = [(name, key) for name, key in _OUTLINE_NAMES if name != "compared"]
_FIELDS_READ = ("version", *(key for _name, key in _READ))
_COMPARED_TEXT = {"tally__compared_text": Cast("tally__compared", TextField())}


def numbered_outline(report, *fields):
    """document.numbered_outline with what of_outline reads of each section's tally."""
    return document.numbered_outline(report, *fields, *_FIELDS_READ, **_COMPARED_TEXT)


def of_outline(outline, wording):
    """{pk: tally values (a dict)} for every section of an outline read by numbered_outline,
    the proofreading counted with `wording`; tallies missing or out of date are computed from
    the text (one query for their measures) and stored."""
    stamp = wording_stamp(wording)
    tallies, stale = {}, []
    for section in outline:
        v = section.values
        if v["tally__version"] != v["version"] or v["tally__level"] != section.level or v["tally__wording"] != stamp:
            stale.append(section)
        else:
            tally = {name: v[key] for name, key in _READ}
            tally["compared"] = json.loads(v["tally__compared_text"])
            tallies[section.pk] = tally
    if stale:
        measures = measures_by_section(stale)
        fresh = [
            compute(s, measures.get(s.pk, ()), version=s.values["version"], level=s.level, wording=wording)
            for s in stale
        ]
        store(fresh)
        for tally in fresh:
            tallies[tally.section_id] = {name: getattr(tally, name) for name in FIELDS}
    return tallies


def of_sections(rows):
    """{pk: (chars, placeholders)} for [(pk, version, tally version, tally chars, tally
    placeholders, heading, intro)] rows (the dashboard's); those without a tally up to date are counted from
    the text (one query for their measures) and their tallies stored for next time."""
    found, stale = {}, {}
    for pk, version, tally_version, chars, placeholders, heading, intro in rows:
        if tally_version == version:
            found[pk] = (chars, placeholders)
        else:
            stale[pk] = (_Text(pk, heading, intro), version)
    if stale:
        measures = measures_by_section([text for text, _version in stale.values()])
        fresh = [compute(text, measures.get(pk, ()), version=version) for pk, (text, version) in stale.items()]
        store(fresh)
        found.update((tally.section_id, (tally.chars, tally.placeholders)) for tally in fresh)
    return found


def pages_with(report, section_pk, texts):
    """The report's page estimate as the board counts it, with one section's texts replaced by
    `texts` ([(Place, text)], the editor's unsaved ones): one query of the other sections'
    tallies, whatever the size (and one for the texts of any whose tally is missing)."""
    lines = sum(proofread.text_lines(text, place) for place, text in texts if text)
    around = (*proofread.head_texts(report), *proofread.tail_texts(report))
    lines += sum(proofread.text_lines(text, place) for place, text in around if text)
    others = Section.objects.filter(report=report).exclude(pk=section_pk).order_by()
    stale = []
    for pk, version, tally_version, tally_lines in others.values_list(
        "pk", "version", "tally__version", "tally__lines"
    ):
        if tally_version == version:
            lines += tally_lines
        else:
            stale.append(pk)
    if stale:
        rows = others.filter(pk__in=stale).values_list("pk", "heading", "intro", "version")
        texts = {pk: (_Text(pk, heading, intro), version) for pk, heading, intro, version in rows}
        measures = measures_by_section([text for text, _version in texts.values()])
        fresh = [compute(text, measures.get(pk, ()), version=version) for pk, (text, version) in texts.items()]
        store(fresh)
        lines += sum(tally.lines for tally in fresh)
    return proofread.page_estimate(lines)


def report_proofreading(report, outline, tallies, wording, char_limits):
    """({section pk: {severity: count}}, page estimate): what proofread.check_report(…).counts()
    and .pages say, from the tallies and the report's own texts."""
    head, tail = proofread.Reading(wording), proofread.Reading(wording)
    for place, text in proofread.head_texts(report):
        head.read(place, text)
    for place, text in proofread.tail_texts(report):
        tail.read(place, text)
    by_section = {}
    forms = defaultdict(int)
    quotes = defaultdict(list)  # {(noun, unit): [(section pk or None, value), …]} in reading order
    _gather(head, forms, quotes)
    lines = head.lines + tail.lines
    for section in outline:
        tally = tallies[section.pk]
        counted = {
            proofread.ERROR: tally["errors"],
            proofread.WARNING: tally["warnings"],
            proofread.HINT: tally["hints"],
        }
        limit = char_limits.get(section.pk)
        if limit and tally["length"] > limit:
            counted[proofread.RULES["S003"].severity] += 1
        by_section[section.pk] = counted
        lines += tally["lines"]
        compared = tally["compared"]
        for name, n in compared.get("forms", {}).items():
            forms[name] += n
        for noun, unit, value in compared.get("figures", ()):
            quotes[(noun, unit)].append((section.pk, value))
    _gather(tail, forms, quotes)
    for code, flagged, other in proofread.MIXED_FORMS:
        if forms[other]:
            severity = proofread.RULES[code].severity
            for section in outline:
                n = tallies[section.pk]["compared"].get("forms", {}).get(flagged)
                if n:
                    by_section[section.pk][severity] += n
    severity = proofread.RULES["F001"].severity
    for quoted in quotes.values():
        if len({value for _pk, value in quoted}) < 2 or len({pk for pk, _value in quoted}) < 2:
            continue
        first = quoted[0][1]
        for pk, value in quoted:
            if value != first and pk is not None:
                by_section[pk][severity] += 1
    return by_section, proofread.page_estimate(lines)


def _gather(reading, forms, quotes):
    for name, found in reading.forms.items():
        forms[name] += len(found)
    for key, quoted in reading.figures.items():
        quotes[key].extend((None, value) for *_, value in quoted)
