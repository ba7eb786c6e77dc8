"""Export a report from the shell: python manage.py export_report ID --output FILE [--draft] [--pdf],
or its 修改对照稿: --comparison [--inline] [--full].

Exit codes: 0 written; 1 the report is not there or not ready to be final (the list says what
is missing), or the file cannot be written; 2 wrong arguments; 3 no PDF (LibreOffice missing
or failing: the message says which).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext

from reports import exporting, gate
from reports.docx_export import EXPORTERS
from reports.models import ExportFormat, Report, WordingRule

PDF_FAILED = 3


class Command(BaseCommand):
    help = (
        "Export a report as a DOCX laid out to GB/T 9704, or with --pdf as that DOCX laid out by LibreOffice "
        "(final by default, --draft for 征求意见稿), or its 修改对照稿 with --comparison. "
        "Exit codes: 1 gaps or no report, 3 no PDF."
    )

    def add_arguments(self, parser):
        parser.add_argument("report_id", type=int)
        parser.add_argument("--output", "-o", required=True, help="the file to write")
        parser.add_argument("--draft", action="store_true", help="draft mode: 征求意见稿, departments, marks")
        parser.add_argument("--pdf", action="store_true", help="write a PDF (needs LibreOffice) instead of a DOCX")
        parser.add_argument(
            "--comparison",
            action="store_true",
            help="the 修改对照稿: what each department signed against the text now, with the reasons",
        )
        parser.add_argument(
            "--inline",
            action="store_true",
            help="with --comparison: deletions struck through and insertions underlined, not a 原文/修改后/修改理由 table",
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="with --comparison: add a second part 签发文本, each signed section's whole text as signed, by whom, when",
        )

    def handle(self, *args, report_id, output, draft, pdf, comparison, inline, full, **options):
        report = Report.objects.select_related("lead_department").filter(pk=report_id).first()
        if report is None:
            raise CommandError(f"There is no report {report_id}.")
        if inline and not comparison:
            raise CommandError("--inline is a layout of the comparison: add --comparison.")
        if full and not comparison:
            raise CommandError("--full adds the signed texts to the comparison: add --comparison.")
        with translation.override(settings.LANGUAGE_CODE):
            if comparison:
                # Whatever the report's state: the comparison is how a draft's changes are shown too.
                content, _name = EXPORTERS["comparison"](report, inline=inline, full=full)
                mode = "comparison, inline" if inline else "comparison, table"
                if full:
                    mode += ", with the signed texts"
            else:
                if not draft:
                    # Final means final: nothing goes out while a section, a placeholder or the signature is missing.
                    problems = gate.final_problems(report, wording=WordingRule.objects.in_use())
                    if problems:
                        lines = [gettext("The report cannot be exported as final yet:")]
                        lines += [f"- {problem.message}" for problem in problems]
                        lines.append(gettext("Export the draft (--draft) to see it with these marked."))
                        raise CommandError("\n".join(lines))
                mode = "draft" if draft else "final"
            try:
                if not comparison:
                    # As the pages build it: a report with a 版记 is laid out first (its blank page).
                    format = ExportFormat.PDF if pdf else ExportFormat.DOCX
                    content, _type, _name = exporting.render(report, draft, format, keep=False)
                elif pdf:
                    content = exporting.docx_to_pdf(content)
            except exporting.ExportError as error:
                raise CommandError(str(error), returncode=PDF_FAILED) from error
            if pdf:
                mode += " PDF"
        path = Path(output)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Exported report {report.pk} ({mode}) to {path} ({len(content)} bytes)"))
