"""Export a report as DOCX from the shell: python manage.py export_report ID --output FILE [--draft],
or its 修改对照稿: --comparison [--inline]."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext

from reports import gate
from reports.docx_export import EXPORTERS, export_docx
from reports.models import Report, WordingRule


class Command(BaseCommand):
    help = "Export a report as a DOCX laid out to GB/T 9704 (final by default, --draft for 征求意见稿)."

    def add_arguments(self, parser):
        parser.add_argument("report_id", type=int)
        parser.add_argument("--output", "-o", required=True, help="the DOCX file to write")
        parser.add_argument("--draft", action="store_true", help="draft mode: 征求意见稿, departments, marks")
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

    def handle(self, *args, report_id, output, draft, comparison, inline, **options):
        report = Report.objects.select_related("lead_department").filter(pk=report_id).first()
        if report is None:
            raise CommandError(f"There is no report {report_id}.")
        if inline and not comparison:
            raise CommandError("--inline is a layout of the comparison: add --comparison.")
        if comparison:
            # Whatever the report's state: the comparison is how a draft's changes are shown too.
            content, _name = EXPORTERS["comparison"](report, inline=inline)
            self._write(output, content)
            layout = "inline" if inline else "table"
            self.stdout.write(
                self.style.SUCCESS(
                    f"Exported the comparison of report {report.pk} ({layout}) to {output} ({len(content)} bytes)"
                )
            )
            return
        if not draft:
            # Final means final: nothing goes out while a section, a placeholder or the signature is missing.
            with translation.override(settings.LANGUAGE_CODE):
                problems = gate.final_problems(report, wording=WordingRule.objects.in_use())
                if problems:
                    lines = [gettext("The report cannot be exported as final yet:")]
                    lines += [f"- {problem.message}" for problem in problems]
                    lines.append(gettext("Export the draft (--draft) to see it with these marked."))
                    raise CommandError("\n".join(lines))
        content = export_docx(report, draft=draft)
        path = self._write(output, content)
        mode = "draft" if draft else "final"
        self.stdout.write(self.style.SUCCESS(f"Exported report {report.pk} ({mode}) to {path} ({len(content)} bytes)"))

    @staticmethod
    def _write(output, content):
        path = Path(output)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error}") from error
        return path
