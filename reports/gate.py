"""The sign-off gate: what must be filled in before a section is signed off or a report is final.

Placeholders (X月X日, ×××) and empty measures block sign-off; on top of those, sections not yet
accepted block finalising. The proofreading (reports.proofread) adds its findings: errors block
too where the report is set so (Report.proofreading_blocks_sign_off), and are listed as warnings
otherwise; warnings are listed and never block. Each problem says where it stands (an HTML id on
the section's page), so the pages can link to it. Plain functions over sections and measures: no
model is imported (the models import this module), so callers pass the office's wording list.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reports import proofread, tables
from reports.carried import marked_numbers, measure_text
from reports.numbering import numbered_measures
from reports.placeholders import find_placeholders
from reports.states import AssignmentState, state_labels

# A refusal lists at most this many problems, then says how many more there are.
MAX_LISTED_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    """Something that blocks sign-off or finalising (or, `blocking` false, that the signer should
    look at first), and where it stands (an HTML id)."""

    message: str
    section: object
    anchor: str
    where: str = ""  # the place's name (标题, 举措“一是” …), for grouping
    placeholder: str = ""  # the placeholder found; "" for an empty measure or another problem
    blocking: bool = True
    severity: str | None = None  # a proofreading finding's (error, warning); None for the gate's own
    carried: bool = False  # a figure carried from last period, not checked yet

    @property
    def is_empty_measure(self):
        return bool(self.where) and not self.placeholder and not self.carried and self.severity is None


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
        problems.append(Problem(message, section, anchor, where, found))
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
        table = getattr(measure, "table", None)
        if not (measure.lead.strip() or measure.body.strip() or table):
            problems.append(Problem(_("%(where)s is empty.") % {"where": where}, section, anchor, where))
            continue
        problems += _placeholder_problems(where, measure.lead, section, anchor)
        problems += _placeholder_problems(where, measure.body, section, anchor)
        text = measure_text(measure.lead, measure.body)
        for number in marked_numbers(text, measure.carried_numbers):
            message = _("%(where)s: figure “%(figure)s” carried from last period, not checked yet (已核对)") % {
                "where": where,
                "figure": number.text,
            }
            problems.append(Problem(message, section, anchor, carried=True))
        if table:
            in_table = prefix + (
                _("The table of measure “%(ordinal)s”") % {"ordinal": measure.ordinal}
                if measure.ordinal
                else _("Table")
            )
            for cell in tables.cell_texts(table):
                problems += _placeholder_problems(in_table, cell, section, anchor)
    return problems


@dataclass(frozen=True)
class ProblemGroup:
    """The problems at one place (a measure, the heading, the intro): one line, one link."""

    message: str
    anchor: str
    placeholders: int
    empty: bool


# A group names at most this many distinct placeholders (X, XX, ×××).
LISTED_IN_GROUP = 5


def grouped(problems):
    """The problems one line per place, in reading order: a measure with ten placeholders is one
    line saying ten (and which), not ten links to the same measure."""
    places = {}
    for problem in problems:
        # Only placeholders are counted together; any other problem keeps its own line.
        key = (
            (problem.anchor, problem.where) if problem.placeholder else (problem.anchor, problem.where, problem.message)
        )
        places.setdefault(key, []).append(problem)
    groups = []
    for (anchor, where, *_message), found in places.items():
        placeholders = [p.placeholder for p in found if p.placeholder]
        if not placeholders:
            groups.append(ProblemGroup(found[0].message, anchor, 0, True))
            continue
        distinct = list(dict.fromkeys(placeholders))
        names = "、".join(distinct[:LISTED_IN_GROUP]) + ("……" if len(distinct) > LISTED_IN_GROUP else "")
        message = _("%(where)s: %(count)d placeholders (%(found)s)") % {
            "where": where,
            "count": len(placeholders),
            "found": names,
        }
        groups.append(ProblemGroup(message, anchor, len(placeholders), False))
    return groups


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
    """Placeholders in the texts after the sections: closing, issuer, 附注 and the attachments."""
    problems = _placeholder_problems(_("Closing"), report.closing, None, "report-closing")
    problems += _placeholder_problems(_("Issuer"), report.issuer, None, "report-issuer")
    problems += _placeholder_problems(_("Annotation"), report.annotation, None, "report-annotation")
    # Attachments: the anchor names the attachment on the attachments page.
    for number, (pk, title, body, table) in enumerate(
        report.attachments.values_list("pk", "title", "body", "table"), start=1
    ):
        where = _("Attachment %(number)d") % {"number": number}
        cells = "\n".join("\t".join(row) for row in (table or {}).get("rows", ()))
        for text in (title, body, cells):
            problems += _placeholder_problems(where, text, None, f"attachment-{pk}")
    return problems


# Where a proofreading finding's text stands on the section's page or the report's form.
_REPORT_ANCHORS = {"date": "report-issued_on"}


def _anchor(field):
    if field in ("heading", "intro"):
        return f"section-{field}"
    if field.startswith("measure-"):
        return "measure-" + field.split("-")[1]
    return _REPORT_ANCHORS.get(field, f"report-{field}")


def _proofreading_problem(finding, section, blocks_errors):
    message = _("%(where)s: %(message)s (%(code)s)") % {
        "where": finding.where,
        "message": finding.message,
        "code": finding.code,
    }
    blocking = blocks_errors and finding.severity == proofread.ERROR
    return Problem(message, section, _anchor(finding.field), blocking=blocking, severity=finding.severity)


# Placeholders are the gate's own problems already (section_problems words them, and they block
# whatever the setting); hints are advice for the editor and the proofreading page, not for the
# signer's decision.
def _gated(findings):
    return [f for f in findings if f.code != "S004" and f.severity != proofread.HINT]


def _section_names(part):
    if part == "heading":
        return _("Heading")
    if part == "intro":
        return _("Intro text")
    return _("Measure “%(ordinal)s”") % {"ordinal": part}


def proofreading_problems(section, measures=None, wording=()):
    """The proofreading's errors and warnings in the section's own text, errors first, each
    blocking only if it is an error and the report is set so.

    The rules that compare the section with the rest of the report (the same figure quoted with
    two values, one report mixing number forms) stay on the report's proofreading page and the
    board: they are warnings, because which of two figures is right is not this department's
    to know (the other may be the slip, in another department's section, and blocking both would
    leave each waiting for the other), and because reading the whole report on every section
    page would make the page's cost grow with the report."""
    if measures is None:
        measures = section.measures.all()
    char_limit = section.assignment.char_limit if section.has_assignment else None
    findings = _gated(proofread.check_section(section, measures, wording, char_limit, _section_names))
    blocks_errors = section.report.proofreading_blocks_sign_off
    problems = [_proofreading_problem(finding, section, blocks_errors) for finding in findings]
    return sorted(problems, key=lambda problem: problem.severity != proofread.ERROR)


def sign_off_refusal(section, measures, wording=()):
    """Why the section may not be signed off (one ValidationError listing each problem), or None."""
    missing = section_problems(section, measures)
    errors = [problem for problem in proofreading_problems(section, measures, wording) if problem.blocking]
    if not missing and not errors:
        return None
    if not errors:
        header = _("Sign-off refused: fill in the placeholders and empty measures first.")
        code = "placeholders"
    else:
        count = {"count": len(errors)}
        code = "proofreading"
        if missing:
            header = (
                ngettext(
                    "Sign-off refused: fill in the placeholders and empty measures, and correct the %(count)d "
                    "proofreading error (this report does not sign off with proofreading errors), first.",
                    "Sign-off refused: fill in the placeholders and empty measures, and correct the %(count)d "
                    "proofreading errors (this report does not sign off with proofreading errors), first.",
                    len(errors),
                )
                % count
            )
        else:
            header = (
                ngettext(
                    "Sign-off refused: the proofreading found %(count)d error, and this report does not sign "
                    "off with proofreading errors. Correct it first.",
                    "Sign-off refused: the proofreading found %(count)d errors, and this report does not sign "
                    "off with proofreading errors. Correct them first.",
                    len(errors),
                )
                % count
            )
    return refusal(header, [problem.message for problem in missing + errors], code=code)


def final_proofreading_problems(report, outline, wording=()):
    """The proofreading errors anywhere in the report, where the report is set not to go out with
    them (placeholders are listed by report_problems already)."""
    if not report.proofreading_blocks_sign_off:
        return []
    measures_of = {section.pk: list(section.measures.all()) for section in outline}
    findings = proofread.check_report(report, outline, measures_of, wording).findings
    sections = {section.pk: section for section in outline}
    return [
        _proofreading_problem(finding, sections.get(finding.section_id), True)
        for finding in _gated(findings)
        if finding.severity == proofread.ERROR
    ]


def final_problems(report, outline=None, wording=()):
    """Everything that keeps the report from being final, in reading order: sections not yet
    accepted, placeholders and empty measures anywhere, an empty issuer or 成文日期, and the
    proofreading's errors where the report is set so. The final export and 报告定稿 both refuse
    while any remains; the draft export marks them instead."""
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
    problems += final_proofreading_problems(report, outline, wording)
    if not report.issuer.strip():
        problems.append(Problem(_("The issuer (署名) is empty."), None, "report-issuer"))
    if report.issued_on is None:
        if not report.issued_on_text.strip():
            problems.append(Problem(_("The date of issue (成文日期) is empty."), None, "report-issued_on"))
        else:
            problems += _placeholder_problems(_("Date of issue"), report.issued_on_text, None, "report-issued_on")
    return problems


def finalise_problems(report, wording=()):
    """Why the report cannot be final yet, as messages."""
    return [problem.message for problem in final_problems(report, wording=wording)]


def refusal(header, messages, code):
    """One ValidationError: a header line, then the problems (capped)."""
    errors = [ValidationError(header, code=code)]
    errors += [ValidationError(message, code=code) for message in messages[:MAX_LISTED_PROBLEMS]]
    if len(messages) > MAX_LISTED_PROBLEMS:
        more = _("… and %(count)d more.") % {"count": len(messages) - MAX_LISTED_PROBLEMS}
        errors.append(ValidationError(more, code=code))
    return ValidationError(errors)
