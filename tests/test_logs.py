"""Structured audit logs: one JSON object a line on stdout, saying who did what and when."""

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


def test_log_event_writes_one_json_line_to_stdout_with_who_what_when():
    code = (
        "import django; django.setup();"
        "from django.contrib.auth.models import User; from reports.logs import log_event;"
        "log_event('assignment.submit', User(pk=7, username='drafter'), section=12, state='已提交', comment='请审核\\n第二行')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "reports.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["action"] == entry["event"] == "assignment.submit"
    assert entry["user"] == "drafter" and entry["user_id"] == 7
    assert entry["section"] == 12 and entry["state"] == "已提交" and entry["comment"] == "请审核\n第二行"
    when = datetime.datetime.fromisoformat(entry["time"])
    assert abs(datetime.datetime.now(datetime.UTC) - when) < datetime.timedelta(minutes=5)
    assert entry["logger"] == "huigao" and entry["level"] == "INFO"


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


def test_the_huigao_logger_writes_json_to_stdout_in_the_settings():
    handler = settings.LOGGING["handlers"][settings.LOGGING["loggers"]["huigao"]["handlers"][0]]
    assert handler["stream"] == "ext://sys.stdout"
    assert settings.LOGGING["formatters"][handler["formatter"]]["()"] == "reports.logs.JsonFormatter"


def test_every_recorded_transition_is_logged_once_committed(
    caplog, our_section, drafter, django_capture_on_commit_callbacks
):
    from reports.models import AssignmentTransition, TransitionAction

    assignment = our_section.assignment
    with caplog.at_level(logging.INFO, logger="huigao"), django_capture_on_commit_callbacks(execute=True):
        AssignmentTransition.objects.create(
            assignment=assignment,
            actor=drafter,
            action=TransitionAction.SUBMIT,
            from_state="draft",
            to_state="submitted",
        )
        assert _capture(caplog) == []  # not before the commit
    (entry,) = _capture(caplog)
    assert entry["action"] == "assignment.submit" and entry["user"] == "drafter"
    assert entry["section_id"] == our_section.pk and entry["assignment_id"] == assignment.pk
    assert (entry["from_state"], entry["to_state"]) == ("draft", "submitted")


def test_imports_and_exports_recorded_as_report_events_are_logged(
    caplog, report, coordinator, django_capture_on_commit_callbacks
):
    from reports.models import ReportAction, ReportEvent

    with caplog.at_level(logging.INFO, logger="huigao"), django_capture_on_commit_callbacks(execute=True):
        ReportEvent.objects.create(report=report, actor=coordinator, action=ReportAction.EXPORT)
        ReportEvent.objects.create(report=report, actor=coordinator, action=ReportAction.IMPORT, comment="a.docx")
    entries = _capture(caplog)
    assert [e["action"] for e in entries] == ["report.export", "report.import"]
    assert {e["report_id"] for e in entries} == {report.pk} and entries[1]["comment"] == "a.docx"


def test_a_rolled_back_transition_leaves_no_log_line(caplog, our_section, drafter, django_capture_on_commit_callbacks):
    from django.db import transaction

    from reports.models import AssignmentTransition, TransitionAction

    with caplog.at_level(logging.INFO, logger="huigao"), django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                AssignmentTransition.objects.create(
                    assignment=our_section.assignment, actor=drafter, action=TransitionAction.SUBMIT
                )
                raise RuntimeError("the transition failed after recording")
        except RuntimeError:
            pass
    assert _capture(caplog) == []
