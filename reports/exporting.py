"""Exports beyond the DOCX built inside its request: the PDF, and exports the worker builds.

A report's DOCX is built in the request that asks for it while the report is small. A PDF (a
LibreOffice run takes seconds), or the DOCX of a report of HUIGAO_EXPORT_BACKGROUND_ITEMS
sections and measures or more, becomes an ExportFile: the request records it and queues
`tasks.build_export`; the worker builds it and keeps the bytes in the row, so whichever app
server the download reaches can hand it out; the status page polls until it is ready. The
worker's schedule deletes the files once they expire.

The PDF is LibreOffice's rendering of the same DOCX, so an office prints what it checked.

A report with a 版记 is laid out by LibreOffice before its final DOCX is handed out (and before
any PDF): where the text ends on an even page, the 版记 goes two pages on, and GB/T 9704 7.5.4
wants neither that blank page nor the 版记's numbered, which only the layout can tell.
"""

import contextlib
import datetime
import hashlib
import logging
import marshal
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import docx
from django.conf import settings
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports import attachments, document, docx_export, gate, numbering, placeholders, splitting, tables, text, titles
from reports.document import Walk, imprint_lines
from reports.docx_export import export_docx, export_filename
from reports.models import ExportFile, ExportFormat, ExportState, ReportAction, ReportEvent, Section, WordingRule

logger = logging.getLogger("huigao.exports")

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
# What LibreOffice said, kept in the error shown to the user: the end, where the reason is.
DETAIL_CHARS = 300


class ExportError(Exception):
    """An export that cannot be built; the message (Chinese) says why. `retry`: whether trying
    again later may help (LibreOffice crashed or hung), or not (nothing to run, gaps in the report)."""

    retry = False


class PdfUnavailable(ExportError):
    pass


class PdfFailed(ExportError):
    retry = True


# --- LibreOffice -------------------------------------------------------------------------------


def soffice_path():
    """The soffice executable HUIGAO_SOFFICE names (on PATH or a full path), or None."""
    name = settings.HUIGAO_SOFFICE
    return shutil.which(name) if name else None


def pdf_unavailable_reason():
    """Why this server offers no PDF, for the pages and the command; "" when it does."""
    if not settings.HUIGAO_SOFFICE:
        return _("PDF export is turned off on this server (the HUIGAO_SOFFICE setting is empty).")
    if soffice_path() is None:
        return _(
            "PDF export needs LibreOffice, which is not installed on this server "
            "(“%(name)s” was not found; the HUIGAO_SOFFICE setting names it)."
        ) % {"name": settings.HUIGAO_SOFFICE}
    return ""


def docx_to_pdf(docx_bytes, timeout=None, skip_empty_pages=False):
    """The DOCX laid out by LibreOffice as PDF bytes; raises PdfUnavailable or PdfFailed.

    skip_empty_pages: leave out the blank pages LibreOffice inserts where a section must start
    on an even page (by default they are kept: each is a sheet's side when printed).

    Each run has its own directory and its own LibreOffice profile (-env:UserInstallation):
    a soffice already running on the machine, or another conversion at the same time, would
    otherwise take the request over or lock the profile. A run that outlives the timeout is
    killed with everything it started.
    """
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable(pdf_unavailable_reason())
    timeout = settings.HUIGAO_PDF_TIMEOUT if timeout is None else timeout
    with tempfile.TemporaryDirectory(prefix="huigao-pdf-") as tmp:
        tmp = Path(tmp)
        source = tmp / "report.docx"
        source.write_bytes(docx_bytes)
        out = tmp / "out"
        command = [
            soffice,
            f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            # Keep the blank page Word's evenPage section break asks for, so that the 版记 stays
            # on an even page in the PDF as on paper (LibreOffice skips empty pages by default).
            'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"%s"}}'
            % ("true" if skip_empty_pages else "false"),
            "--outdir",
            str(out),
            str(source),
        ]
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as error:
            raise PdfFailed(_("LibreOffice could not be started: %(error)s") % {"error": error}) from error
        try:
            output, _unused = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as error:
            _kill(process)
            raise PdfFailed(
                _("LibreOffice did not finish the PDF within %(seconds)s seconds.") % {"seconds": timeout}
            ) from error
        pdf = out / "report.pdf"
        if process.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            # soffice exits 0 even when it converted nothing: the file is what counts.
            detail = output.decode(errors="replace").strip()[-DETAIL_CHARS:] or _("no output")
            raise PdfFailed(
                _("LibreOffice could not convert the report to PDF (exit code %(code)s): %(detail)s")
                % {"code": process.returncode, "detail": detail}
            )
        return pdf.read_bytes()


def _kill(process):
    with contextlib.suppress(ProcessLookupError):  # it ended on its own meanwhile
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


# --- What an export is and where it is built ------------------------------------------------


# A page object of LibreOffice's PDF (its page tree is /Type /Pages).
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def pdf_page_count(pdf_bytes):
    return len(PDF_PAGE.findall(pdf_bytes))


def lays_out(report, draft, format):
    """Whether this export is laid out by LibreOffice first (see the module's docstring): a
    PDF always is; a DOCX when it is final, the report has a 版记 and LibreOffice is here."""
    if format == ExportFormat.PDF:
        return True
    return not draft and imprint_lines(report) is not None and soffice_path() is not None


def render(report, draft, format, keep=True):
    """(content, content type, file name) of the report in `format`, final or draft; keep=False
    where the caller keeps the file itself (the worker's ExportFile)."""
    content, walk = docx_content(report, draft, keep=keep)
    name = export_filename(report, draft)
    pdf = None
    if lays_out(report, draft, format) and imprint_lines(report) is not None:
        try:
            laid_out = docx_to_pdf(content, skip_empty_pages=True)
        except ExportError:
            if format == ExportFormat.PDF:
                raise
            # The DOCX still goes out, its 版记 page numbered: better than no file.
            logger.warning(
                "Report %s: LibreOffice could not lay out the DOCX; the 版记 page keeps its number", report.pk
            )
        else:
            # The 版记 is on an even page: with the blank page before it left out, an odd count
            # means the text ended on an even page.
            pages = pdf_page_count(laid_out)
            if not pages:
                logger.warning(
                    "Report %s: no pages found in LibreOffice's PDF; the 版记 page keeps its number", report.pk
                )
            elif pages % 2:
                # From the same walk: the report may have changed during the layout.
                content = export_docx(report, draft=draft, blank_page_before_imprint=True, walk=walk)
            else:
                pdf = laid_out  # no blank page: this is the PDF as printed
    if format == ExportFormat.PDF:
        return pdf or docx_to_pdf(content), PDF_TYPE, name.removesuffix(".docx") + ".pdf"
    return content, DOCX_TYPE, name


# --- Reusing a DOCX while nothing it shows has changed ----------------------------------------

# The code that lays the document out: a deployment that changes it builds every document anew.
BUILD_CODE = hashlib.sha256(
    b"".join(
        Path(module.__file__).read_bytes()
        for module in (docx_export, document, tables, titles, numbering, placeholders, splitting, text, attachments)
    )
    + docx.__version__.encode()
).hexdigest()


def fingerprint(report, draft, walk):
    """What the DOCX of `walk` (the report walked for it) shows, as one digest: every paragraph,
    table, 附件说明 and 版记 the walk hands the builder, in order (texts, numbers, tags, marks),
    what the builder reads from the report itself (title and office for the file's properties,
    the tables' font size), the fonts setting and the layout code. Any change to any of them,
    however it was made, gives another digest. None when a value is not one marshal writes.

    marshal's version 2 writes different values as different bytes (it reads them back) and,
    unlike version 3 on, never refers back to an earlier object by identity, so equal values
    almost always give equal bytes: at worst a file is built again that could have been reused."""
    parts = (BUILD_CODE, draft, report.title, report.lead_department.name, report.table_font_size)
    try:
        data = marshal.dumps((*parts, settings.HUIGAO_FONTS, walk.shown()), 2)
    except ValueError:
        return None
    return hashlib.sha256(data).hexdigest()


def docx_content(report, draft, keep=True):
    """(the report's DOCX, the Walk it was made from): the DOCX built last while its fingerprint
    is the same, else built now and (keep) kept as an ExportFile for HUIGAO_EXPORT_KEEP_HOURS in
    place of the report's older ones. The report is walked once either way, and the walk costs a
    fraction of a build."""
    walk = Walk(report, draft)
    key = fingerprint(report, draft, walk)
    if key is None:
        keep = False
    now = timezone.now()
    kept = ExportFile.objects.filter(
        report=report,
        format=ExportFormat.DOCX,
        draft=draft,
        state=ExportState.READY,
        fingerprint=key,
        expires_at__gt=now,
    )
    content = kept.values_list("content", flat=True).first() if key else None
    if content is not None:
        return bytes(content), walk
    content = export_docx(report, draft=draft, walk=walk)
    if not keep:
        return content, walk
    mode = "draft" if draft else "final"
    ExportFile.objects.filter(report=report, format=ExportFormat.DOCX, draft=draft).exclude(fingerprint="").delete()
    ExportFile.objects.create(
        report=report,
        format=ExportFormat.DOCX,
        draft=draft,
        state=ExportState.READY,
        file_name=f"report-{report.pk}-{mode}.docx",
        content_type=DOCX_TYPE,
        content=content,
        size=len(content),
        created_at=now,
        finished_at=now,
        expires_at=now + datetime.timedelta(hours=settings.HUIGAO_EXPORT_KEEP_HOURS),
        fingerprint=key,
    )
    return content, walk


def report_size(report):
    """The report's sections and measures together: what the export's time grows with."""
    counts = Section.objects.filter(report=report).aggregate(
        sections=Count("pk", distinct=True), measures=Count("measures")
    )
    return counts["sections"] + counts["measures"]


def builds_in_background(report, format, draft=False):
    """A LibreOffice run takes seconds; so does the DOCX of a large report."""
    if lays_out(report, draft, format):
        return True
    return report_size(report) >= settings.HUIGAO_EXPORT_BACKGROUND_ITEMS


def record_export(report, user, draft, format):
    mode = "draft" if draft else "final"
    comment = mode if format == ExportFormat.DOCX else f"{mode} {format}"
    ReportEvent.objects.create(report=report, actor=user, action=ReportAction.EXPORT, comment=comment)


def queue(report, user, format, draft):
    """The ExportFile the worker will build for this request. Asking again while the same
    export is still waiting gives the one already queued, so clicking twice queues one build."""
    from reports import tasks

    waiting = ExportFile.objects.filter(
        report=report,
        requested_by=user,
        format=format,
        draft=draft,
        state=ExportState.PENDING,
        expires_at__gt=timezone.now(),
    ).defer("content")
    export = waiting.first()
    if export is not None:
        return export
    now = timezone.now()
    export = ExportFile.objects.create(
        report=report,
        requested_by=user,
        format=format,
        draft=draft,
        created_at=now,
        expires_at=now + datetime.timedelta(hours=settings.HUIGAO_EXPORT_KEEP_HOURS),
    )
    tasks.build_export.enqueue(export.pk)
    return export


def build(export_id, attempt=1, retry=None):
    """Build a queued export and keep it in its row. A build that may succeed later is queued
    again through `retry(delay_seconds)` while HUIGAO_EXPORT_RETRY_DELAYS lasts; otherwise the
    export is marked failed with the reason, and the error raised (the task shows as failed)."""
    export = (
        ExportFile.objects.select_related("report__lead_department", "requested_by")
        .defer("content")
        .filter(pk=export_id, state=ExportState.PENDING, expires_at__gt=timezone.now())
        .first()
    )
    if export is None:
        return {"built": False}  # expired and deleted, or built already
    report = export.report
    with translation.override(settings.LANGUAGE_CODE):
        try:
            if not export.draft:
                # The report may have changed since the request passed the same check.
                problems = gate.final_problems(report, wording=WordingRule.objects.in_use())
                if problems:
                    lines = [_("The report cannot be exported as final yet:")]
                    lines += [problem.message for problem in problems[: gate.MAX_LISTED_PROBLEMS]]
                    raise ExportError("\n".join(lines))
            content, content_type, file_name = render(report, export.draft, export.format, keep=False)
        except ExportError as error:
            delays = settings.HUIGAO_EXPORT_RETRY_DELAYS
            if error.retry and retry is not None and attempt <= len(delays):
                logger.warning("Export %s failed (%s); retried in %ss", export.pk, error, delays[attempt - 1])
                retry(delays[attempt - 1])
                return {"built": False, "retrying": True, "error": str(error)}
            _fail(export, str(error))
            raise
        except Exception:
            _fail(export, _("The export failed; the administrator finds the reason among the failed tasks."))
            raise
    ExportFile.objects.filter(pk=export.pk, state=ExportState.PENDING).update(
        state=ExportState.READY,
        content=content,
        content_type=content_type,
        file_name=file_name,
        size=len(content),
        finished_at=timezone.now(),
    )
    record_export(report, export.requested_by, export.draft, export.format)
    return {"built": True, "bytes": len(content)}


def _fail(export, message):
    ExportFile.objects.filter(pk=export.pk).update(state=ExportState.FAILED, error=message, finished_at=timezone.now())


def delete_expired(now=None):
    """Delete the export files past their expiry; how many."""
    deleted, _by_model = ExportFile.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
