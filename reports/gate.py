"""The sign-off gate: what must be filled in before a section is signed off or a report is final.

Placeholders (X月X日, ×××) and empty measures block sign-off; on top of those, sections not yet
accepted block finalising. Each problem says where it stands (an HTML id on the section's page),
so the pages can link to it. Plain functions over sections and measures: no model is imported.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reports.numbering import numbered_measures
from reports.placeholders import find_placeholders
from reports.states import AssignmentState, state_labels

# A refusal lists at most this many problems, then says how many more there are.
MAX_LISTED_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    """Something that blocks sign-off or finalising, and where it stands (an HTML id)."""

    message: str
    section: object
    anchor: str


def _placeholder_problems(where, text, section, anchor):
    problems = []
    for placeholder in find_placeholders(text):
        before, found, after = placeholder.context(text)
        message = _("%(where)s: placeholder “%(placeholder)s” in “…%(before)s%(placeholder)s%(after)s…”") % {
            "where": where,
            "placeholder": found,
            "before": before,
            "after": after,
        }
        problems.append(Problem(message, section, anchor))
    return problems


def section_problems(section, measures=None, prefix=""):
    """Placeholders in the heading, intro and measures of a section, and its empty measures."""
    if measures is None:
        measures = section.measures.all()
    problems = _placeholder_problems(prefix + _("Heading"), section.heading, section, "section-heading")
    problems += _placeholder_problems(prefix + _("Intro text"), section.intro, section, "section-intro")
    for measure in numbered_measures(measures):
        where = prefix + _("Measure “%(ordinal)s”") % {"ordinal": measure.ordinal}
        anchor = f"measure-{measure.pk}"
        if not (measure.lead.strip() or measure.body.strip()):
            problems.append(Problem(_("%(where)s is empty.") % {"where": where}, section, anchor))
            continue
        problems += _placeholder_problems(where, measure.lead, section, anchor)
        problems += _placeholder_problems(where, measure.body, section, anchor)
    return problems


def report_problems(report, outline=None, measures=None):
    """Every placeholder and empty measure anywhere in the report, in reading order.

    `measures` ({section pk: measures}) saves the sections' own measure queries when the caller
    has them already.
    """
    problems = head_problems(report)
    for section in outline if outline is not None else report.outline(measures=True):
        section_measures = section.measures.all() if measures is None else measures.get(section.pk, ())
        problems += section_problems(section, section_measures, prefix=section_prefix(section))
    return problems + tail_problems(report)


def section_prefix(section):
    return f"{section.label}{section.heading} · "


def head_problems(report):
    """Placeholders in the texts before the sections: title, addressee, preamble."""
    problems = _placeholder_problems(_("Title"), report.title, None, "report-title")
    problems += _placeholder_problems(_("Addressee"), report.addressee, None, "report-addressee")
    return problems + _placeholder_problems(_("Preamble"), report.preamble, None, "report-preamble")


def tail_problems(report):
    """Placeholders in the texts after the sections: closing, issuer."""
    problems = _placeholder_problems(_("Closing"), report.closing, None, "report-closing")
    return problems + _placeholder_problems(_("Issuer"), report.issuer, None, "report-issuer")


def final_problems(report, outline=None):
    """Everything that keeps the report from being final, in reading order: sections not yet
    accepted, placeholders and empty measures anywhere, an empty issuer or 成文日期. The final
    export and 报告定稿 both refuse while any remains; the draft export marks them instead."""
    if outline is None:
        outline = report.outline(measures=True)
    labels = state_labels()
    problems = []
    for section in outline:
        if section.has_assignment and section.assignment.state != AssignmentState.ACCEPTED:
            message = _("“%(section)s” (%(department)s) is “%(state)s”, not yet accepted.") % {
                "section": f"{section.label}{section.heading}",
                "department": section.assignment.department.display_name,
                "state": labels[section.assignment.state],
            }
            problems.append(Problem(message, section, "workflow-panel"))
        elif section.has_assignment and section.assignment.awaits_confirmation(section, list(section.measures.all())):
            message = _("“%(section)s” changed after %(department)s signed it off: its signer has yet to confirm.") % {
                "section": f"{section.label}{section.heading}",
                "department": section.assignment.department.display_name,
            }
            problems.append(Problem(message, section, "workflow-panel"))
    problems += report_problems(report, outline)
    if not report.issuer.strip():
        problems.append(Problem(_("The issuer (署名) is empty."), None, "report-issuer"))
    if report.issued_on is None:
        if not report.issued_on_text.strip():
            problems.append(Problem(_("The date of issue (成文日期) is empty."), None, "report-issued_on"))
        else:
            problems += _placeholder_problems(_("Date of issue"), report.issued_on_text, None, "report-issued_on")
    return problems


def finalise_problems(report):
    """Why the report cannot be final yet, as messages."""
    return [problem.message for problem in final_problems(report)]


def refusal(header, messages, code):
    """One ValidationError: a header line, then the problems (capped)."""
    errors = [ValidationError(header, code=code)]
    errors += [ValidationError(message, code=code) for message in messages[:MAX_LISTED_PROBLEMS]]
    if len(messages) > MAX_LISTED_PROBLEMS:
        more = _("… and %(count)d more.") % {"count": len(messages) - MAX_LISTED_PROBLEMS}
        errors.append(ValidationError(more, code=code))
    return ValidationError(errors)
