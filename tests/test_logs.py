"""Structured audit logs: one JSON object a line on stderr (or a file), saying who did what and when."""

import datetime
import json
import logging
import os
import subprocess
import sys

from django.conf import settings
from django.urls import reverse

from reports.logs import JsonFormatter, log_event
from tests.conftest import PASSWORD

LOG_ONE_EVENT = (
    "import django; django.setup();"
    "from django.contrib.auth.models import User; from reports.logs import log_event;"
    "log_event('assignment.submit', User(pk=7, username='drafter'), section=12, state='已提交', comment='请审核\\n第二行')"
)


def _log_one_event(**env):
    return subprocess.run(
        [sys.executable, "-c", LOG_ONE_EVENT],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "reports.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_log_event_writes_one_json_line_to_stderr_with_who_what_when():
    result = _log_one_event()
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["action"] == entry["event"] == "assignment.submit"
    assert entry["user"] == "drafter" and entry["user_id"] == 7
    assert entry["section"] == 12 and entry["state"] == "已提交" and entry["comment"] == "请审核\n第二行"
    when = datetime.datetime.fromisoformat(entry["time"])
    assert abs(datetime.datetime.now(datetime.UTC) - when) < datetime.timedelta(minutes=5)
    assert entry["logger"] == "huigao" and entry["level"] == "INFO"


def test_the_audit_log_goes_to_the_file_the_setting_names(tmp_path):
    path = tmp_path / "audit.jsonl"
    path.write_text('{"earlier": "line"}\n', encoding="utf-8")
    result = _log_one_event(HUIGAO_AUDIT_LOG=str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    earlier, entry = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(earlier) == {"earlier": "line"}
    assert json.loads(entry)["action"] == "assignment.submit"


def _capture(caplog):
    return [json.loads(JsonFormatter().format(record)) for record in caplog.records if record.name == "huigao"]


def test_model_instances_are_logged_by_id_and_name(caplog, report, drafter):
    with caplog.at_level(logging.INFO, logger="huigao"):
        log_event("report.export", drafter, report=report, draft=True, on=datetime.date(2025, 12, 1))
    (entry,) = _capture(caplog)
    assert entry["report_id"] == report.pk and entry["report"] == report.title
    assert entry["draft"] is True and entry["on"] == "2025-12-01"
    assert entry["user"] == "drafter"


def test_an_anonymous_actor_is_logged_as_nobody(caplog, db):
    from django.contrib.auth.models import AnonymousUser

    with caplog.at_level(logging.INFO, logger="huigao"):
        log_event("report.import", AnonymousUser(), path="x.docx")
        log_event("report.import", None, path="y.docx")
    entries = _capture(caplog)
    assert [entry["user"] for entry in entries] == [None, None]


def test_logins_and_failed_logins_are_logged(caplog, client, drafter):
    with caplog.at_level(logging.INFO, logger="huigao"):
        client.post(reverse("login"), {"username": "drafter", "password": "nope"}, REMOTE_ADDR="10.1.2.3")
        client.post(reverse("login"), {"username": "drafter", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    entries = _capture(caplog)
    assert [entry["action"] for entry in entries] == ["auth.login_failed", "auth.login"]
    assert entries[0]["username"] == "drafter" and entries[0]["address"] == "10.1.2.3"
    assert "nope" not in json.dumps(entries)
    assert entries[1]["user"] == "drafter"


def test_the_huigao_logger_writes_json_to_stderr_in_the_settings():
    handler = settings.LOGGING["handlers"][settings.LOGGING["loggers"]["huigao"]["handlers"][0]]
    assert handler["stream"] == "ext://sys.stderr"
    assert settings.LOGGING["formatters"][handler["formatter"]]["()"] == "reports.logs.JsonFormatter"
