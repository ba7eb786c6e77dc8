"""The coordinator's whole-report proofreading: every finding grouped by section with its rule,
a CSV of the list, and the safe fixes of one section applied as one revision."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports import access, content, proofread
from reports.board_views import csv_cell, csv_download
from reports.models import Section, WordingRule, measures_by_section
from reports.view_helpers import show_refusal


def _proofreading(report):
    """The outline (sections with their assignments) and its proofreading: a constant number of queries."""
    outline = report.outline()
    measures = measures_by_section(outline)
    result = proofread.check_report(report, outline, measures, WordingRule.objects.in_use(), report.page_limit)
    return outline, result


def _groups(request, report, outline, result):
    """The findings as one group per section in reading order (the report's own texts first),
    each finding a plain row with its rule's words looked up once."""
    severities = {key: str(label) for key, label in proofread.SEVERITY_LABELS.items()}
    explanations = {code: str(rule.explanation) for code, rule in proofread.RULES.items()}
    sections = {section.pk: section for section in outline}
    groups = {}
    for finding in result.findings:
        group = groups.get(finding.section_id)
        if group is None:
            section = sections.get(finding.section_id)
            group = groups[finding.section_id] = {
                "pk": finding.section_id,
                "title": f"{section.label}{section.heading}" if section else _("The report's own texts"),
                "url": reverse("drafting:section-edit", args=[section.pk])
                if section
                else reverse("reports:report-edit", args=[report.pk]),
                "version": section.version if section else None,
                # Coordinators may change a section they write or one they have accepted.
                "can_fix": bool(
                    section and section.permissions_for(request.user, role=None, coordinates=True).can_edit
                ),
                "fixable": 0,
                "findings": [],
            }
        if finding.fix is not None:
            group["fixable"] += 1
        group["findings"].append(
            {
                "code": finding.code,
                "severity": finding.severity,
                "severity_label": severities[finding.severity],
                "where": finding.where,
                "text": finding.text,
                "message": str(finding.message),
                "explanation": explanations[finding.code],
                "fix": finding.fix,
                "anchor": _anchor(finding),
            }
        )
    ordered = list(groups.values())
    ordered.sort(key=lambda group: group["pk"] is not None)  # stable: the report's texts first
    return ordered


def _anchor(finding):
    """Where the editor shows the finding's text."""
    if finding.field == "heading":
        return "#section-heading"
    if finding.field == "intro":
        return "#id_intro"
    if finding.field.startswith("measure-"):
        return f"#measure-{finding.field.split('-')[1]}"
    return ""


def report_proofread(request, pk):
    report = access.get_report_for_coordinator(request, pk)
    outline, result = _proofreading(report)
    counts = dict.fromkeys((proofread.ERROR, proofread.WARNING, proofread.HINT), 0)
    for finding in result.findings:
        counts[finding.severity] += 1
    return render(
        request,
        "reports/report_proofread.html",
        {
            "report": report,
            "groups": _groups(request, report, outline, result),
            "total": len(result.findings),
            "errors": counts[proofread.ERROR],
            "warnings": counts[proofread.WARNING],
            "hints": counts[proofread.HINT],
            "pages": result.pages,
            "page_limit": result.page_limit,
            "over_page_limit": result.over_page_limit,
        },
    )


def report_proofread_csv(request, pk):
    """The list of findings as CSV, formula-like cells neutralised as on the board's."""
    report = access.get_report_for_coordinator(request, pk)
    _outline, result = _proofreading(report)
    response, writer = csv_download(report, _("proofreading"))
    writer.writerow([_("Rule"), _("Severity"), _("Where"), _("Text found"), _("Message"), _("Suggested fix")])
    severities = {key: str(label) for key, label in proofread.SEVERITY_LABELS.items()}
    for finding in result.findings:
        cells = [
            finding.code,
            severities[finding.severity],
            finding.where,
            finding.text,
            str(finding.message),
            finding.fix if finding.fix is not None else "",
        ]
        writer.writerow([csv_cell(cell) for cell in cells])
    return response


@require_POST
def section_apply_fixes(request, pk, section_pk):
    """Apply the safe fixes of one section's findings as one revision noted 校对修正.

    Refused when the user may not edit the section now, and when the section changed since the
    page was shown (the fixes would be ones the user has not seen)."""
    report = access.get_report_for_coordinator(request, pk, write=True)
    section = get_object_or_404(
        Section.objects.select_related("report", "assignment__department"), pk=section_pk, report=report
    )
    section.report = report
    back = redirect(reverse("reports:report-proofread", args=[report.pk]) + f"#section-{section.pk}")
    permissions = section.permissions_for(request.user)
    if not permissions.can_edit:
        messages.error(request, permissions.edit_refusal)
        return back
    if request.POST.get("version") != str(section.version):
        messages.error(request, _("The section changed since this page was shown: check its findings again."))
        return back
    _outline, result = _proofreading(report)
    findings = [f for f in result.findings if f.section_id == section.pk and f.fix is not None]
    if not permissions.can_edit_heading:
        findings = [f for f in findings if f.field != "heading"]
    if not findings:
        messages.info(request, _("There is nothing in this section to fix automatically."))
        return back
    by_field = {}
    for finding in findings:
        by_field.setdefault(finding.field, []).append(finding)
    heading = proofread.apply_fixes(section.heading, by_field.get("heading", []))
    intro = proofread.apply_fixes(section.intro, by_field.get("intro", []))
    measures = [
        content.MeasureText(
            m.pk,
            proofread.apply_fixes(m.lead, by_field.get(f"measure-{m.pk}", [])),
            proofread.apply_fixes(m.body, by_field.get(f"measure-{m.pk}-body", [])),
        )
        for m in section.measures.all()
    ]
    try:
        content.save_content(
            section,
            request.user,
            heading=heading,
            intro=intro,
            measures=measures,
            expected_version=section.version,
            note=_("Proofreading fixes"),
        )
    except content.VersionConflict:
        messages.error(request, _("The section changed since this page was shown: check its findings again."))
        return back
    except (PermissionDenied, ValidationError) as error:
        show_refusal(request, error)
        return back
    messages.success(
        request,
        _("%(n)d fixes applied to %(section)s.") % {"n": len(findings), "section": f"{section.label}{section.heading}"},
    )
    return back
