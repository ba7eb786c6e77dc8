"""Proofreading in the editor: the section's unsaved text checked as the user types (the page's
script posts the form a moment after the last key), findings listed beside the text."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_POST

from drafting.forms import MAX_MEASURES, MEASURE_PREFIX, int_or
from reports import numbering, proofread, tables, tallies
from reports.access import get_section_for_viewer
from reports.models import WordingRule

# A check reads at most what a save may hold; anything past it is not text the editor sent.
MAX_CHECKED_CHARACTERS = 400_000


def _texts(section, post, heading_editable):
    """(Place, text) of what the editor holds now, in the order the page shows it."""
    where = f"{section.label}{section.heading}"
    texts = []
    if heading_editable and "heading" in post:
        texts.append((proofread.Place(where, "id_heading", section.pk, section.level, True), post["heading"]))
    texts.append((proofread.Place(where, "id_intro", section.pk, section.level), post.get("intro", "")))
    n = 0
    for index in range(min(int_or(post.get(f"{MEASURE_PREFIX}-TOTAL_FORMS"), 0), MAX_MEASURES)):
        prefix = f"{MEASURE_PREFIX}-{index}"
        if post.get(f"{prefix}-DELETE"):
            continue
        try:
            table = tables.parse_tsv(post.get(f"{prefix}-table", ""))
        except tables.TableError:
            table = None  # the save says why; the check reads what it can
        has_text = post.get(f"{prefix}-lead", "") or post.get(f"{prefix}-body", "")
        if has_text or not table:
            n += 1
        ordinal = numbering.measure_ordinal(n) if has_text or not table else "表格"
        for name in ("lead", "body"):
            place = proofread.Place(f"{where} · {ordinal}", f"id_{prefix}-{name}", section.pk, section.level)
            texts.append((place, post.get(f"{prefix}-{name}", "")))
        if table:
            place = proofread.Place(f"{where} · {ordinal}", f"id_{prefix}-table", section.pk, section.level)
            texts.append((place, tables.table_text(table)))
    return texts


@require_POST
def section_check(request, pk):
    section = get_section_for_viewer(request, pk)
    permissions = section.permissions_for(request.user)
    if not permissions.can_edit:
        raise PermissionDenied(permissions.edit_refusal)
    texts = _texts(section, request.POST, permissions.can_edit_heading)
    if sum(len(text) for _place, text in texts) > MAX_CHECKED_CHARACTERS:
        return render(request, "drafting/_check_results.html", {"too_long": True}, status=413)
    wording = WordingRule.objects.in_use()
    findings = [
        finding
        for place, text in texts
        for finding in (
            proofread.placeholder_findings(text, place)
            if place.field.endswith("-table")
            else proofread.check_text(text, place, wording)
        )
    ]
    # The page estimate counts the heading whether or not this user may change it, and not the
    # tables' cells (the estimate is of running text, as the board's).
    counted = [(place, text) for place, text in texts if not place.field.endswith("-table")]
    if not any(place.is_heading for place, _text in texts):
        counted = [(proofread.Place("", "heading", section.pk, section.level, True), section.heading), *counted]
    pages = tallies.pages_with(section.report, section.pk, counted)
    labels = proofread.SEVERITY_LABELS
    rows = [
        {
            "field": finding.field,
            "start": finding.start,
            "end": finding.end,
            "code": finding.code,
            "severity": finding.severity,
            "severity_label": labels[finding.severity],
            "where": finding.where,
            "text": finding.text,
            "message": finding.message,
            "explanation": finding.rule.explanation,
        }
        for finding in findings
    ]
    page_limit = section.report.page_limit
    context = {
        "findings": rows,
        "pages": pages,
        "page_limit": page_limit,
        "over": bool(page_limit and pages > page_limit),
    }
    return render(request, "drafting/_check_results.html", context)
