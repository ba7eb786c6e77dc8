"""The proofreading rules (reports.proofread) applied to what is stored: a whole report. (The
page estimate with the editor's unsaved text comes from the sections' tallies: reports.tallies.)

It reads the database so that the rules themselves import no model and the sign-off gate,
which the models import, can use them.
"""

from reports.models import WordingRule, measures_by_section
from reports.proofread import check_report


def proofread(report, wording=None):
    """The whole report's proofreading: its outline and measures read once."""
    outline = report.outline()
    if wording is None:
        wording = WordingRule.objects.in_use()
    return check_report(report, outline, measures_by_section(outline), wording, report.page_limit)
