"""Pages that start a report from what exists: import a file or text, clone last period's."""

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from reports import access, assigning, importer
from reports.cloning import clone_report
from reports.import_forms import CloneForm, ImportForm, ImportReviewForm, departments_of
from reports.models import Department
from reports.parsed import ParsedReport

# The parsed report waits in the session between preview and confirmation: the upload
# itself is read in memory and never stored.
SESSION_KEY = "huigao_import"


def report_import(request):
    departments = departments_of(request.user)
    if not departments.exists():
        return render(request, "reports/import.html", {"forbidden": True}, status=403)
    if request.method == "POST" and "token" in request.POST:
        return _review_import(request, departments)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        token = secrets.token_urlsafe(16)
        pending = {"token": token, "lead_department": form.cleaned_data["lead_department"].pk}
        return _preview(request, pending, form.parsed, ImportReviewForm(initial={"token": token}, parsed=form.parsed))
    return render(request, "reports/import.html", {"form": form}, status=400 if form.errors else 200)


def _preview(request, pending, parsed, form, status=200):
    """The parse as it stands, every line with its role for the user to correct."""
    request.session[SESSION_KEY] = {**pending, "parsed": parsed.to_dict()}
    lead_department = Department.objects.filter(pk=pending["lead_department"]).first()
    context = {"parsed": parsed, "outline": parsed.outline(), "lead_department": lead_department, "form": form}
    return render(request, "reports/import_preview.html", context, status=status)


def _review_import(request, departments):
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("token") != request.POST.get("token"):
        messages.error(request, _("This import preview has expired or was already used. Upload the file again."))
        return redirect("reports:report-import")
    lead_department = departments.filter(pk=pending["lead_department"]).first()
    if lead_department is None:
        raise PermissionDenied(_("You no longer belong to that department."))
    stored = ParsedReport.from_dict(pending["parsed"])
    form = ImportReviewForm(request.POST, parsed=stored)
    if not form.is_valid():
        return _preview(request, pending, stored, form, status=400)
    parsed = form.corrected()
    if "confirm" not in request.POST:
        # The user changed roles: show the outline they describe, still creating nothing.
        again = ImportReviewForm(
            initial={"token": pending["token"], "title": form.cleaned_data["title"], **form.kept_choices(parsed)},
            parsed=parsed,
        )
        return _preview(request, pending, parsed, again)
    if [s.heading for s in parsed.sections] != [s.heading for s in stored.sections] and form.assignment_plan():
        # The roles changed the top-level sections under the assignments chosen for them.
        messages.error(
            request, _("The outline changed: check the departments and deadlines again, then create the report.")
        )
        again = ImportReviewForm(
            initial={"token": pending["token"], "title": form.cleaned_data["title"], **form.kept_choices(parsed)},
            parsed=parsed,
        )
        return _preview(request, pending, parsed, again, status=400)
    try:
        with transaction.atomic():
            report = importer.create_report(parsed, lead_department, request.user)
            deadline = form.cleaned_data["deadline"]
            if deadline is not None:
                report.deadline = deadline
                report.save(update_fields=["deadline"])
            assigning.assign_imported(report, form.assignment_plan(), request.user)
    except importer.ImportFailed as error:
        form.add_error("title", error)
        return _preview(request, pending, parsed, form, status=400)
    del request.session[SESSION_KEY]
    messages.success(
        request,
        _("Imported “%(title)s”: %(sections)s sections, %(measures)s measures.")
        % {"title": report.title, "sections": parsed.count_sections(), "measures": parsed.count_measures()},
    )
    return redirect(report)


def report_clone(request, pk):
    source = access.get_report_for_coordinator(
        request, pk, message=_("Only the report's coordinators can start a new period from it.")
    )
    form = CloneForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        report = clone_report(
            source,
            request.user,
            title=form.cleaned_data["title"],
            shift_days=form.cleaned_data["shift_days"],
            copy_content=form.cleaned_data["content"] == CloneForm.CONTENT_DRAFT,
            mark_figures=form.cleaned_data["mark_figures"],
        )
        messages.success(
            request, _("New report “%(title)s” created from the previous period's.") % {"title": report.title}
        )
        return redirect(report)
    return render(request, "reports/clone.html", {"source": source, "form": form}, status=400 if form.errors else 200)
