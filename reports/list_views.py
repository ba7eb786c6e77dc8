"""The list of every report the user may see (in use, final, archived), and archiving."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports import access
from reports.forms import ReportListForm
from reports.models import Assignment, AssignmentState, Report
from reports.text import short_date
from reports.view_helpers import local_next, show_refusal

PER_PAGE = 50


def report_list(request):
    form = ReportListForm(request.GET or None)
    reports = Report.objects.for_user(request.user).select_related("lead_department")
    if form.is_bound and not form.is_valid():
        messages.error(request, _("The filter was not understood; all reports are shown."))
        form = ReportListForm()
    if form.is_bound:
        reports = {
            "open": reports.open(),
            "final": reports.final(),
            "archived": reports.archived(),
        }.get(form.cleaned_data["state"], reports)
        if form.cleaned_data["q"]:
            reports = reports.filter(title__icontains=form.cleaned_data["q"])
    page = Paginator(reports, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": _rows(request.user, list(page.object_list)),
        "query": query.urlencode(),
        "next": request.get_full_path(),
    }
    return render(request, "reports/report_list.html", context)


def _rows(user, reports):
    """One row a report, its progress and the user's rights found with two queries for the page."""
    ids = [report.pk for report in reports]
    progress = {
        row["section__report_id"]: row
        for row in Assignment.objects.filter(section__report_id__in=ids)
        .values("section__report_id")
        .annotate(assigned=Count("pk"), accepted=Count("pk", filter=Q(state=AssignmentState.ACCEPTED)))
    }
    coordinated = set(Report.objects.coordinated_by(user).filter(pk__in=ids).values_list("pk", flat=True))
    rows = []
    for report in reports:
        counts = progress.get(report.pk, {})
        coordinates = report.pk in coordinated
        state = "archived" if report.archived_at else "final" if report.is_final else "open"
        rows.append(
            {
                "title": report.title,
                "url": report.get_absolute_url(),
                "state": state,
                "state_label": report.state_label,
                "lead_department": report.lead_department.display_name,
                "assigned": counts.get("assigned", 0),
                "accepted": counts.get("accepted", 0),
                "deadline": short_date(report.deadline),
                "board_url": reverse("reports:report-board", args=[report.pk]) if coordinates else "",
                "archive_url": reverse("reports:report-archive", args=[report.pk])
                if coordinates and state == "final"
                else "",
                "unarchive_url": reverse("reports:report-unarchive", args=[report.pk])
                if coordinates and state == "archived"
                else "",
            }
        )
    return rows


def _archive_move(request, pk, move, done):
    report = access.get_report_for_coordinator(request, pk)
    try:
        getattr(report, move)(request.user)
    except (PermissionDenied, ValidationError) as error:
        show_refusal(request, error)
    else:
        messages.success(request, done % {"report": report.title})
    return redirect(local_next(request, reverse("reports:report-list")))


@require_POST
def report_archive(request, pk):
    return _archive_move(request, pk, "archive", _("“%(report)s” was archived."))


@require_POST
def report_unarchive(request, pk):
    return _archive_move(request, pk, "unarchive", _("“%(report)s” was taken out of the archive."))
