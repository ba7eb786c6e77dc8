"""python manage.py proofread REPORT_ID: every finding of the proofreading rules, one a line."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from reports.models import Report
from reports.proofreading import proofread


class Command(BaseCommand):
    help = "Proofread a report: RULE<TAB>where<TAB>text found<TAB>message, one finding a line, then the count."

    def add_arguments(self, parser):
        parser.add_argument("report_id", type=int)

    def handle(self, *args, report_id, **options):
        report = Report.objects.select_related("lead_department").filter(pk=report_id).first()
        if report is None:
            raise CommandError(f"There is no report {report_id}.")
        with translation.override(settings.LANGUAGE_CODE):
            result = proofread(report)
            for finding in result.findings:
                cells = [finding.code, finding.where, finding.text, str(finding.message)]
                self.stdout.write("\t".join(" ".join(cell.split()) for cell in cells))
        self.stdout.write(f"{len(result.findings)} findings")
