"""What the views of both apps share: where a POST goes back to, how a refusal is shown, and
where each problem of a report is fixed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def local_next(request, default):
    """The form's `next` when it is a path on this site, else `default`.

    Only a local path: redirect() would read a bare word such as "0" as a view name.
    """
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def show_refusal(request, error):
    """A refused move as one error message: the PermissionDenied reason, or a ValidationError's
    first line with its problems under it (base.html lists the lines of a "refusal" message),
    so that the header never stands in a box of its own."""
    if isinstance(error, ValidationError):
        lines = error.messages
        messages.error(request, "\n".join(lines), extra_tags="refusal" if len(lines) > 1 else "")
    else:
        messages.error(request, str(error) or _("You may not do this."))


def problem_rows(report, problems, section_page="drafting:section-edit"):
    """Each problem with the page (and the place on it) where it is fixed: the section's page
    (`section_page`), the attachments page, or the report's form at the field (the gate's
    "report-issuer" is the form's "id_issuer")."""
    edit_report = reverse("reports:report-edit", args=[report.pk])
    attachments = reverse("reports:attachment-list", args=[report.pk])
    rows = []
    for problem in problems:
        if problem.section is not None:
            url = reverse(section_page, args=[problem.section.pk]) + "#" + problem.anchor
        elif problem.anchor.startswith("attachment-"):
            url = attachments + "#" + problem.anchor
        else:
            url = edit_report + "#id_" + problem.anchor.removeprefix("report-")
        rows.append({"message": problem.message, "url": url})
    return rows
