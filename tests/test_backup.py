"""Backup and restore as README.md documents it: dumpdata, an empty database, loaddata."""

import io

import pytest
import reversion
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from reversion.models import Version

from reports.models import Measure, Report, Section

# The command README.md's "Backup and restore" section gives, word for word.
DUMP_ARGS = [
    "--natural-foreign",
    "--natural-primary",
    "-e",
    "contenttypes",
    "-e",
    "auth.permission",
    "-e",
    "sessions",
    "-e",
    "axes",
]


def contents():
    """Everything a restore must bring back, compared as plain values."""
    counts = {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("reports", "auth", "reversion", "admin") and model._meta.label != "auth.Permission"
    }
    report = Report.objects.get()
    return {
        "counts": counts,
        "report": (report.title, report.preamble, report.closing, report.issuer, report.issued_on, report.deadline),
        "sections": list(Section.objects.order_by("pk").values_list("pk", "parent_id", "position", "heading", "intro")),
        "measures": list(Measure.objects.order_by("pk").values_list("section_id", "position", "lead", "body")),
        "users": list(get_user_model().objects.order_by("pk").values_list("username", "password", "is_superuser")),
        "states": list(Section.objects.order_by("pk").values_list("assignment__state", "assignment__department__name")),
        "versions": sorted(Version.objects.values_list("object_repr", "serialized_data")),
    }


@pytest.mark.django_db(transaction=True)
def test_dumpdata_and_loaddata_round_trip_the_demo_data(tmp_path):
    call_command("demo", stdout=io.StringIO())
    section = Section.objects.filter(measures__isnull=False).first()
    with reversion.create_revision():
        section.save()
    before = contents()
    assert before["counts"]["reports.Section"] > 5 and before["counts"]["reversion.Version"] >= 1

    backup = tmp_path / "backup.json"
    call_command("dumpdata", *DUMP_ARGS, output=str(backup), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    assert not Section.objects.exists() and not get_user_model().objects.exists()

    call_command("loaddata", str(backup), verbosity=0)

    assert contents() == before
    # The restored database keeps working: new rows get fresh ids and the demo logs in.
    Section.objects.create(report=Report.objects.get(), position=99, heading="恢复后新增")


def test_readme_documents_backup_and_restore():
    from django.conf import settings

    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    assert "## Backup and restore" in readme
    assert "pg_dump -Fc" in readme and "pg_restore" in readme
    assert "dumpdata " + " ".join(DUMP_ARGS) in readme
    assert "loaddata backup.json" in readme
