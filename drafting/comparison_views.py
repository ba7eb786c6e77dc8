"""The 修改对照稿 pages: one section's and the whole report's, each with its DOCX."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from drafting.comparison import CHANGED, LOST, UNCHANGED, UNSIGNED, report_comparison, section_comparison
from drafting.comparison_docx import (
    INLINE,
    LAYOUTS,
    TABLE,
    comparison_filename,
    export_comparison,
    export_section_comparison,
    section_comparison_filename,
)
from reports.access import get_report_for_coordinator, get_section_for_viewer
from reports.export_views import content_disposition
from reports.exporting import DOCX_TYPE
from reports.models import ReportAction, ReportEvent


def _layout(request):
    """The office's choice: a table (原文 / 修改后 / 修改理由) unless it asks for inline marks."""
    layout = request.GET.get("layout")
    return layout if layout in LAYOUTS else TABLE


def _full(request):
    """Whether the signed texts follow the changes (签发文本): off unless asked, as they make the
    document as long as the report again."""
    return request.GET.get("full") == "1"


def _query(layout, full):
    return f"?layout={layout}" + ("&full=1" if full else "")


def _layout_links(url, layout, full=False):
    return [
        {"layout": TABLE, "url": url + _query(TABLE, full), "current": layout == TABLE},
        {"layout": INLINE, "url": url + _query(INLINE, full), "current": layout == INLINE},
    ]


def _rows(items):
    """Each section with the link its heading carries (its review page)."""
    for item in items:
        item.review_url = reverse("drafting:section-review", args=[item.pk])
    return items


def section_comparison_page(request, pk):
    section = get_section_for_viewer(request, pk)
    layout, full = _layout(request), _full(request)
    item = section_comparison(section, with_signed_text=full)
    url = reverse("drafting:section-comparison", args=[section.pk])
    return render(
        request,
        "drafting/comparison.html",
        {
            "section": section,
            "report": section.report,
            "items": _rows([item]),
            "signed_items": [item] if item.signed_text else [],
            "layout": layout,
            "full": full,
            "layouts": _layout_links(url, layout, full),
            "docx_url": reverse("drafting:section-comparison-export", args=[section.pk]) + _query(layout, full),
            "statuses": {"changed": CHANGED, "unchanged": UNCHANGED, "unsigned": UNSIGNED, "lost": LOST},
        },
    )


def section_comparison_export(request, pk):
    """The section's 修改对照稿 as a DOCX, for whoever may see the section's page."""
    section = get_section_for_viewer(request, pk)
    content = export_section_comparison(section, _layout(request), _full(request))
    ReportEvent.objects.create(
        report=section.report,
        actor=request.user,
        action=ReportAction.EXPORT,
        comment=f"comparison {section.label}{section.heading}",
    )
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition(
        section_comparison_filename(section), f"section-{section.pk}-comparison.docx"
    )
    return response


def report_comparison_page(request, pk):
    report = get_report_for_coordinator(request, pk)
    layout, full = _layout(request), _full(request)
    items, counts = report_comparison(report, with_signed_text=full)
    url = reverse("drafting:report-comparison", args=[report.pk])
    return render(
        request,
        "drafting/comparison.html",
        {
            "report": report,
            "items": _rows(items),
            "counts": {
                "changed": counts[CHANGED],
                "unchanged": counts[UNCHANGED],
                "unsigned": counts[UNSIGNED] + counts[LOST],
            },
            "signed_items": [item for item in items if item.signed_text],
            "layout": layout,
            "full": full,
            "layouts": _layout_links(url, layout, full),
            "docx_url": reverse("drafting:report-comparison-export", args=[report.pk]) + _query(layout, full),
            "statuses": {"changed": CHANGED, "unchanged": UNCHANGED, "unsigned": UNSIGNED, "lost": LOST},
        },
    )


def report_comparison_export(request, pk):
    report = get_report_for_coordinator(request, pk)
    content = export_comparison(report, _layout(request), _full(request))
    ReportEvent.objects.create(report=report, actor=request.user, action=ReportAction.EXPORT, comment="comparison")
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition(
        comparison_filename(report), f"report-{report.pk}-comparison.docx"
    )
    return response
