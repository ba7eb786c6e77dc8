"""The department-facing pages."""

from django.shortcuts import render

from reports.models import Assignment, Report


def dashboard(request):
    assignments = (
        Assignment.objects.for_user(request.user)
        .in_open_reports()
        .select_related("section__report", "department")
        .order_by("section__report", "deadline", "pk")
    )
    coordinated = Report.objects.coordinated_by(request.user).select_related("lead_department")
    return render(
        request,
        "drafting/dashboard.html",
        {"assignments": assignments, "coordinated_reports": coordinated},
    )
