"""How every view of both apps reaches a report or a section: one helper per object kind.

Each returns the object or raises: Http404 when the user may not even know it exists (another
department's section, a report they have no part in), PermissionDenied (403) when they may see it
but not do this. Views never look objects up another way, so the rules live here and in
`Section.permissions_for`, and nowhere else.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from reports.models import Attachment, ExportFile, Report, Section
from reports.permissions import can_read_whole_report, whole_report_refusal


def get_report_for_viewer(request, pk):
    """A report the user may see: they coordinate it or one of its sections is their department's."""
    report = get_object_or_404(Report.objects.select_related("lead_department"), pk=pk)
    # Its coordinators (most of the requests for a whole report) are known by one membership
    # query, which the pages ask anyway; only others need Report.objects.for_user's subqueries.
    if not report.is_coordinator(request.user) and not Report.objects.for_user(request.user).filter(pk=pk).exists():
        raise Http404
    return report


def get_report_for_coordinator(request, pk, write=False, message=None):
    """A report the user coordinates: 404 if they may not see it, 403 if they may only read it.

    With write=True a final report is refused too: final reports are read-only.
    """
    report = get_report_for_viewer(request, pk)
    if not report.is_coordinator(request.user):
        raise PermissionDenied(message or _("Only the coordinators of this report may do this."))
    if write and report.is_final:
        raise PermissionDenied(_("The report is final and cannot be changed; reopen it first."))
    return report


def get_report_for_reader(request, pk):
    """A report the user may read whole (the preview): 404 if they may not see it, 403 if they
    may see only their own sections of it."""
    report = get_report_for_viewer(request, pk)
    if not can_read_whole_report(report, request.user):
        raise PermissionDenied(whole_report_refusal())
    return report


def get_section_for_viewer(request, pk):
    """A section the user may see (404 for everyone else), with what its pages show."""
    section = get_object_or_404(
        # The parent too: the section's label needs its level, and most sections sit one level down.
        Section.objects.select_related("report", "assignment__department", "updated_by", "parent"),
        pk=pk,
    )
    if not section.permissions_for(request.user).can_view:
        raise Http404
    return section


def get_section_for_editor(request, pk):
    """A section the user may change now (404 if they may not see it, 403 saying why not)."""
    section = get_section_for_viewer(request, pk)
    permissions = section.permissions_for(request.user)
    if not permissions.can_edit:
        raise PermissionDenied(permissions.edit_refusal)
    return section


def get_section_for_coordinator(request, pk):
    """A section of a report the user coordinates, for the outline's changes (404/403 as for its report)."""
    section = get_object_or_404(Section.objects.select_related("report", "parent"), pk=pk)
    section.report = get_report_for_coordinator(request, section.report_id, write=True)
    return section


def get_attachment_for_coordinator(request, pk):
    """An attachment of a report the user coordinates and may change (404/403 as for its report)."""
    attachment = get_object_or_404(Attachment, pk=pk)
    attachment.report = get_report_for_coordinator(request, attachment.report_id, write=True)
    return attachment


def get_export_for_coordinator(request, pk):
    """An export of a report the user coordinates, without its bytes: whoever may export the
    report may fetch its exports (404/403 as for the report)."""
    export = get_object_or_404(ExportFile.objects.defer("content"), pk=pk)
    export.report = get_report_for_coordinator(request, export.report_id)
    return export
