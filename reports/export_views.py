"""The report's exports: the DOCX or PDF, final or draft; the page that waits for one the
worker builds, and its download.

The export buttons post (a queued export is a new row); a GET of the export URL still
downloads at once what is built in the request (a small report's DOCX, its draft, a final one
without a 版记), as links and scripts expect, and asks for the click before it queues anything
(a PDF, a large report, a final DOCX with a 版记 where LibreOffice lays it out first).
"""

import datetime
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from reports import access, exporting, gate, tasks
from reports.models import ExportFile, ExportFormat, ExportState, WordingRule
from reports.view_helpers import problem_rows


@require_http_methods(["GET", "HEAD", "POST"])
def report_export(request, pk):
    report = access.get_report_for_coordinator(request, pk)
    params = request.POST if request.method == "POST" else request.GET
    draft = params.get("draft") in ("1", "true", "yes")
    format = ExportFormat.PDF if params.get("format") == ExportFormat.PDF else ExportFormat.DOCX
    if not draft:
        # Final means final: nothing goes out while a section, a placeholder or the signature is missing.
        problems = gate.final_problems(report, wording=WordingRule.objects.in_use())
        if problems:
            context = {"report": report, "problems": problem_rows(report, problems), "format": format}
            return render(request, "reports/export_refused.html", context, status=409)
    if format == ExportFormat.PDF:
        reason = exporting.pdf_unavailable_reason()
        if reason:
            messages.error(request, reason)
            return redirect("reports:report-board", report.pk)
    if exporting.builds_in_background(report, format, draft):
        if request.method != "POST":
            return render(request, "reports/export_confirm.html", {"report": report, "draft": draft, "format": format})
        return redirect(exporting.queue(report, request.user, format, draft))
    content, content_type, file_name = exporting.render(report, draft, format)
    exporting.record_export(report, request.user, draft, format)
    return file_response(content, content_type, file_name, f"report-{report.pk}.{format}")


def file_response(content, content_type, file_name, fallback):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(file_name, fallback)
    return response


def content_disposition(filename, fallback):
    """attachment with an ASCII fallback and the real (Chinese) name per RFC 5987/6266."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@require_safe
def export_status(request, pk):
    """正在生成…, then the download (or why it failed). The page reloads itself while it waits
    (static/js/export-status.js); without JavaScript its refresh link does the same."""
    export = access.get_export_for_coordinator(request, pk)
    waiting = export.state == ExportState.PENDING and not export.is_expired
    context = {
        "report": export.report,
        "export": export,
        "waiting": waiting,
        "ready": export.state == ExportState.READY and not export.is_expired,
        "expired": export.is_expired,
        "worker_silent": waiting and _worker_silent(),
        "download_url": reverse("reports:export-download", args=[export.pk]),
        "state_url": reverse("reports:export-state", args=[export.pk]),
        "keep_hours": settings.HUIGAO_EXPORT_KEEP_HOURS,
    }
    response = render(request, "reports/export_status.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _worker_silent():
    if not tasks.uses_worker():
        return False
    last = tasks.last_heartbeat()
    return last is None or timezone.now() - last > datetime.timedelta(seconds=settings.HUIGAO_WORKER_TIMEOUT)


@require_safe
def export_state(request, pk):
    """What the status page polls: {"state": "pending" | "ready" | "failed" | "expired"}."""
    export = access.get_export_for_coordinator(request, pk)
    response = JsonResponse({"state": "expired" if export.is_expired else export.state})
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def export_download(request, pk):
    export = access.get_export_for_coordinator(request, pk)
    if export.state != ExportState.READY or export.is_expired:
        return redirect(export)
    content = ExportFile.objects.filter(pk=export.pk).values_list("content", flat=True).get()
    return file_response(
        bytes(content), export.content_type, export.file_name, f"report-{export.report_id}.{export.format}"
    )
