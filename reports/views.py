"""The coordinator's pages."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from reports.models import Report


def _get_report_for_user(request, pk):
    """A report the user may see (404 otherwise), and whether they coordinate it."""
    report = get_object_or_404(Report.objects.for_user(request.user).select_related("lead_department"), pk=pk)
    return report, report.is_coordinator(request.user)


def report_detail(request, pk):
    report, is_coordinator = _get_report_for_user(request, pk)
    return render(
        request,
        "reports/report_detail.html",
        {"report": report, "outline": report.outline(), "is_coordinator": is_coordinator},
    )


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
