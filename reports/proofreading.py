"""The proofreading rules (reports.proofread) applied to what is stored: a whole report, and the
page estimate with the editor's unsaved text.

The one proofreading module that reads the database, so that the rules themselves import no
model and the sign-off gate, which the models import, can use them.
"""

import math

from reports.models import Measure, Section, WordingRule, measures_by_section
from reports.proofread import Place, check_report, text_lines


def proofread(report, wording=None):
    """The whole report's proofreading: its outline and measures read once."""
    outline = report.outline()
    if wording is None:
        wording = WordingRule.objects.in_use()
    return check_report(report, outline, measures_by_section(outline), wording, report.page_limit)


def report_pages(report, replacing=None, texts=()):
    """The report's page estimate at 22 × 28, with one section's texts as `texts` (the editor's
    unsaved ones) instead of the stored ones: two queries of bare text, no model instances."""
    frame = (
        ("title", report.title),
        ("preamble", report.preamble),
        ("closing", report.closing),
        ("issuer", report.issuer),
    )
    lines = sum(text_lines(text, Place("", field)) for field, text in frame if text)
    rows = Section.objects.filter(report=report).exclude(pk=replacing).values_list("heading", "intro")
    lines += sum(
        text_lines(heading, Place("", "heading")) + (text_lines(intro, Place("", "intro")) if intro else 0)
        for heading, intro in rows
    )
    measures = Measure.objects.filter(section__report=report).exclude(section_id=replacing).values_list("lead", "body")
    lines += sum(text_lines(lead + body, Place("", "measure")) for lead, body in measures)
    lines += sum(text_lines(text, Place("", "intro")) for text in texts if text)
    return max(1, math.ceil((lines + 2) / 22))
