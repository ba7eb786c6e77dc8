"""The coordinator's pages: the report and its outline, the preview (exports: export_views.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports import access, assigning, content, exporting, outline_edit
from reports.document import report_blocks
from reports.forms import BulkAssignForm, ReorderForm, ReportForm, SectionAddForm, SectionFrameForm
from reports.models import CoSignature, Department, ReportAction, ReportEvent
from reports.permissions import can_read_whole_report
from reports.text import chinese_date, short_date
from reports.view_helpers import show_refusal


def report_create(request):
    if not request.user.is_superuser and not Department.objects.filter(memberships__user=request.user).exists():
        raise PermissionDenied(_("Only members of a department can start a report."))
    form = ReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            report = form.save(commit=False)
            report.created_by = request.user
            report.save()
            ReportEvent.objects.create(report=report, actor=request.user, action=ReportAction.CREATE)
        messages.success(request, _("The report was created. Now add its sections."))
        return redirect(report)
    return render(request, "reports/report_form.html", {"form": form, "report": None})


def report_edit(request, pk):
    report = access.get_report_for_coordinator(request, pk, write=True)
    form = ReportForm(request.POST or None, instance=report, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The report was saved."))
        return redirect(report)
    return render(request, "reports/report_form.html", {"form": form, "report": report})


def report_detail(request, pk, bulk_form=None, status=200):
    report = access.get_report_for_viewer(request, pk)
    is_coordinator = report.is_coordinator(request.user)
    outline = report.outline()
    # What each returned section was sent back for (kept on its assignment, which the outline
    # reads), and its deadline with the year when it is not this year's.
    for section in outline:
        section.return_note = section.assignment.return_note if section.has_assignment else ""
        section.deadline_label = short_date(section.assignment.deadline) if section.has_assignment else ""
    context = {
        "report": report,
        "outline": outline,
        "is_coordinator": is_coordinator,
        "can_read_whole": can_read_whole_report(report, request.user, is_coordinator),
    }
    if is_coordinator and not report.is_final:
        # Each section's co-departments (会签) for its form, in one query for the whole outline.
        co_departments = {}
        for section_id, department_id in CoSignature.objects.filter(assignment__section__report=report).values_list(
            "assignment__section_id", "department_id"
        ):
            co_departments.setdefault(section_id, set()).add(department_id)
        for section in outline:
            section.co_department_ids = co_departments.get(section.pk, set())
        if bulk_form is None:
            bulk_form = BulkAssignForm(report=report, initial={"deadline": report.deadline})
        context.update(
            editable=True,
            tree=_tree(outline),
            add_form=SectionAddForm(report=report),
            departments=Department.objects.all(),
            deleted=outline_edit.deleted_revisions(report),
            attachment_count=report.attachments.count(),
            bulk_form=bulk_form,
            # The sections ticked in a refused bulk form stay ticked.
            bulk_selected={str(pk) for pk in bulk_form.data.getlist("sections")} if bulk_form.is_bound else set(),
        )
    return render(request, "reports/report_detail.html", context, status=status)


@require_POST
def outline_assign(request, pk):
    """The outline's bulk assignment: the ticked sections to one department with one deadline."""
    report = access.get_report_for_coordinator(request, pk, write=True)
    form = BulkAssignForm(request.POST, report=report)
    if not form.is_valid():
        messages.error(request, _("Nothing was assigned: please correct the bulk assignment form."))
        return report_detail(request, pk, bulk_form=form, status=400)
    data = form.cleaned_data
    sections = list(data["sections"])
    try:
        assigning.assign_sections(sections, data["department"], data["deadline"], request.user)
    except (PermissionDenied, ValidationError) as error:
        show_refusal(request, error)
        return report_detail(request, pk, bulk_form=form, status=400)
    messages.success(
        request,
        _("%(count)d sections now go to %(department)s, due %(deadline)s.")
        % {
            "count": len(sections),
            "department": data["department"].display_name,
            "deadline": chinese_date(data["deadline"]),
        },
    )
    return redirect(report)


def _tree(outline):
    """The numbered sections as a tree for the drag-and-drop editor: top-level sections with .children_list."""
    by_parent = {}
    for section in outline:
        by_parent.setdefault(section.parent_id, []).append(section)
    for section in outline:
        section.children_list = by_parent.get(section.pk, [])
    return by_parent.get(None, [])


@require_POST
def section_add(request, pk):
    report = access.get_report_for_coordinator(request, pk, write=True)
    form = SectionAddForm(request.POST, report=report)
    if form.is_valid():
        outline_edit.add_section(report, form.cleaned_data["heading"], form.cleaned_data["parent"])
        messages.success(request, _("The section was added."))
    else:
        _form_errors(request, form)
    return redirect(report)


@require_POST
def section_frame(request, pk):
    section = access.get_section_for_coordinator(request, pk)
    form = SectionFrameForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            if data["heading"] != section.heading:
                # Through the one content save: the version moves on, so an editor opened
                # before the rename cannot silently put the old heading back.
                content.save_content(
                    section, request.user, heading=data["heading"], note=_("Heading changed in the outline")
                )
            assignment = outline_edit.assign(
                section, data["department"], data["deadline"], data["char_limit"], request.user
            )
            if assignment is not None:
                assignment.set_co_departments(request.user, data["co_departments"])
        messages.success(request, _("The section was saved."))
    else:
        _form_errors(request, form)
    return redirect(section.report)


@require_POST
def section_move(request, pk, direction):
    section = access.get_section_for_coordinator(request, pk)
    try:
        outline_edit.move_section(section, direction)
    except outline_edit.OutlineError as error:
        messages.error(request, str(error))
    return redirect(section.report)


@require_POST
def outline_reorder(request, pk):
    report = access.get_report_for_coordinator(request, pk, write=True)
    form = ReorderForm(request.POST, report=report)
    if form.is_valid():
        outline_edit.reorder(report, form.cleaned_data["order"])
        messages.success(request, _("The new order was saved."))
    else:
        _form_errors(request, form)
    return redirect(report)


def section_delete(request, pk):
    """Deleting asks first when the section (or one under it) has text; a revision keeps it."""
    section = access.get_section_for_coordinator(request, pk)
    report = section.report
    doomed = outline_edit.subtree(section)
    numbered = {s.pk: s for s in report.outline(measures=True)}
    section.label = numbered[section.pk].label
    needs_confirmation = outline_edit.has_content(doomed) or len(doomed) > 1
    if request.method == "POST" and (request.POST.get("confirm") or not needs_confirmation):
        outline_edit.delete_section(section, request.user)
        messages.success(request, _("The section was deleted. It can be restored from “Recently deleted”."))
        return redirect(report)
    doomed = [numbered[s.pk] for s in doomed]
    return render(request, "reports/section_delete.html", {"report": report, "section": section, "doomed": doomed})


@require_POST
def section_restore(request, pk, revision_id):
    report = access.get_report_for_coordinator(request, pk, write=True)
    try:
        outline_edit.restore_deleted(report, revision_id)
    except outline_edit.OutlineError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The section was restored."))
    return redirect(report)


def report_preview(request, pk):
    """The whole report as it will print; read-only for the departments the office lets in."""
    report = access.get_report_for_reader(request, pk)
    draft = request.GET.get("mode", "draft") != "final"
    can_export = report.is_coordinator(request.user)
    context = {
        "report": report,
        "blocks": report_blocks(report, draft=draft),
        "draft": draft,
        "can_export": can_export,
        "pdf_unavailable": exporting.pdf_unavailable_reason() if can_export else "",
    }
    return render(request, "reports/report_preview.html", context)


def _form_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
