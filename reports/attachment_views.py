"""The coordinator's page of a report's attachments (附件): add, edit, reorder, delete."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports import access, attachments, tables
from reports.forms import AttachmentForm
from reports.models import Attachment


def attachment_list(request, report_pk):
    report = access.get_report_for_coordinator(request, report_pk, write=True)
    return _render(request, report)


def _render(request, report, add_form=None, bound=None, conflict=None, status=200):
    """The page: every attachment with its form (the bound one, if a save failed, keeps what was typed)."""
    items = list(Attachment.objects.filter(report=report))
    labels = attachments.labels(len(items))
    rows = []
    for index, attachment in enumerate(items):
        if bound is not None and bound[0] == attachment.pk:
            form = bound[1]
        else:
            form = AttachmentForm(initial=AttachmentForm.initial_for(attachment), prefix=f"a{attachment.pk}")
        rows.append(
            {
                "pk": attachment.pk,
                "label": labels[index],
                "title": attachment.title,
                "form": form,
                "conflict": conflict if bound is not None and bound[0] == attachment.pk else None,
                "edit_url": reverse("reports:attachment-edit", args=[attachment.pk]),
                "delete_url": reverse("reports:attachment-delete", args=[attachment.pk]),
                "up_url": reverse("reports:attachment-move", args=[attachment.pk, "up"]) if index else "",
                "down_url": reverse("reports:attachment-move", args=[attachment.pk, "down"])
                if index < len(items) - 1
                else "",
            }
        )
    context = {
        "report": report,
        "rows": rows,
        "add_form": add_form or AttachmentForm(prefix="new"),
        "can_add": len(items) < attachments.MAX_ATTACHMENTS,
    }
    return render(request, "reports/attachments.html", context, status=status)


def _list_url(report, pk=None):
    url = reverse("reports:attachment-list", args=[report.pk])
    return f"{url}#attachment-{pk}" if pk else url


@require_POST
def attachment_add(request, report_pk):
    report = access.get_report_for_coordinator(request, report_pk, write=True)
    form = AttachmentForm(request.POST, prefix="new")
    if not form.is_valid():
        return _render(request, report, add_form=form)
    data = form.cleaned_data
    try:
        attachment = attachments.add(report, data["title"], data["body"], data["table"])
    except attachments.AttachmentError as error:
        form.add_error(None, str(error))
        return _render(request, report, add_form=form)
    messages.success(request, _("The attachment was added."))
    return redirect(_list_url(report, attachment.pk))


@require_POST
def attachment_edit(request, pk):
    attachment = access.get_attachment_for_coordinator(request, pk)
    report = attachment.report
    form = AttachmentForm(request.POST, prefix=f"a{attachment.pk}")
    if not form.is_valid():
        return _render(request, report, bound=(attachment.pk, form))
    data = form.cleaned_data
    version = data["version"] if data["version"] is not None else attachment.version
    try:
        attachments.save(attachment, version, data["title"], data["body"], data["table"])
    except attachments.AttachmentError as error:
        attachment.refresh_from_db()
        form.add_error(None, str(error))
        # The next save goes over the version now stored, once the user has compared.
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = attachment.version
        conflict = {
            "title": attachment.title,
            "body": attachment.body,
            "table": tables.to_tsv(attachment.table),
        }
        return _render(request, report, bound=(attachment.pk, form), conflict=conflict, status=409)
    messages.success(request, _("The attachment was saved."))
    return redirect(_list_url(report, attachment.pk))


@require_POST
def attachment_move(request, pk, direction):
    attachment = access.get_attachment_for_coordinator(request, pk)
    try:
        attachments.move(attachment, direction)
    except attachments.AttachmentError as error:
        messages.error(request, str(error))
    return redirect(_list_url(attachment.report, attachment.pk))


def attachment_delete(request, pk):
    attachment = access.get_attachment_for_coordinator(request, pk)
    report = attachment.report
    if request.method == "POST":
        attachments.delete(attachment)
        messages.success(request, _("The attachment was deleted."))
        return redirect(_list_url(report))
    return render(request, "reports/attachment_delete.html", {"report": report, "attachment": attachment})
