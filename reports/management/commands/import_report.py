"""python manage.py import_report PATH [--lead-department NAME] [--title TITLE]: the import page from the shell."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from reports import importer
from reports.models import Department


class Command(BaseCommand):
    help = "Import a report from a .docx or .txt file and print its id."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a .docx or .txt file (UTF-8 or GBK)")
        parser.add_argument(
            "--lead-department",
            metavar="NAME",
            help="name or short name of the coordinating department (default: the first department)",
        )
        parser.add_argument("--title", help="the report's title, when the file has none (or to replace it)")

    def handle(self, path, lead_department=None, **options):
        department = self.find_department(lead_department)
        file = Path(path)
        try:
            if file.stat().st_size > settings.HUIGAO_IMPORT_MAX_BYTES:
                # Read one byte more than allowed so the importer gives its own message.
                with file.open("rb") as handle:
                    data = handle.read(settings.HUIGAO_IMPORT_MAX_BYTES + 1)
            else:
                data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from exc
        try:
            parsed = importer.parse_file(file.name, data)
        except importer.ImportFailed as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if options["verbosity"] > 1:
            for removal in parsed.removed:
                self.stderr.write(f"removed (paragraph {removal.paragraph}, {removal.rule}): {removal.text}")
        try:
            report = importer.create_report(parsed, department, title=options["title"])
        except importer.ImportFailed as exc:
            raise CommandError(" ".join(exc.messages) + " (--title)") from exc
        self.stdout.write(f"Imported report {report.pk}")

    def find_department(self, name):
        if name is None:
            department = Department.objects.first()
            if department is None:
                raise CommandError("There is no department yet: create one (or run `manage.py demo`) first.")
            return department
        department = Department.objects.filter(Q(name=name) | Q(short_name=name)).first()
        if department is None:
            names = ", ".join(Department.objects.values_list("name", flat=True))
            raise CommandError(f"No department named {name!r}. Departments: {names or '(none)'}")
        return department
