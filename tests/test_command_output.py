"""Commands print their own output alone on stdout; the audit log goes to stderr (or a file)."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from reports.management.commands.demo import DEMO_PASSWORD


@pytest.fixture(scope="module")
def manage(tmp_path_factory):
    """manage(*args) in a fresh process on a fresh SQLite database, as an operator runs it."""
    database = tmp_path_factory.mktemp("db") / "db.sqlite3"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "reports.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
    }

    def _manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines(), [json.loads(line) for line in result.stderr.splitlines()]

    _manage("migrate", "-v0")
    return _manage


def test_the_demo_prints_its_accounts_alone_and_logs_one_line(manage, tmp_path):
    out, audit = manage("demo")
    assert out[0].startswith("Demo report ") and out[1] == f"Accounts (password for all: {DEMO_PASSWORD}):"
    assert len(out) > 5 and all(line.startswith("  ") for line in out[2:])
    assert "xwb-coord" in "\n".join(out)
    assert [entry["action"] for entry in audit] == ["demo.load"]
    out, audit = manage("demo")
    assert out[0].endswith("(already there)") and audit == []

    text = tmp_path / "report.txt"
    text.write_text(
        "关于测试工作的报告\n现将有关情况报告如下。\n一、强化组织领导\n县委专题研究部署。\n", encoding="utf-8"
    )
    out, audit = manage("import_report", str(text))
    (line,) = out
    assert line.startswith("Imported report ")
    assert [entry["action"] for entry in audit] == ["report.import"]
    report_id = line.rsplit(" ", 1)[1]
    out, audit = manage("export_report", report_id, "--draft", "--output", str(tmp_path / "r.docx"))
    assert len(out) == 1 and out[0].startswith(f"Exported report {report_id} (draft)")


def test_call_command_demo_writes_only_the_accounts(db):
    out = StringIO()
    call_command("demo", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Demo report ") and "{" not in out.getvalue()
