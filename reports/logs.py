"""Structured audit logs: one JSON object a line, through the `huigao` logger (settings.LOGGING
sends it to standard error or to the file HUIGAO_AUDIT_LOG names, never to standard output).

Transitions, imports, exports and logins call `log_event`; an operator's log shipper reads
who did what to which object, and when, without parsing prose.
"""

import contextlib
import contextvars
import datetime
import json
import logging

from django.db import transaction

logger = logging.getLogger("huigao")

# Attributes every LogRecord has; anything else on a record came in through `extra`.
_RECORD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """A LogRecord as one line of JSON: time (UTC, ISO 8601), level, logger, event and its fields."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in _RECORD_ATTRIBUTES})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # ensure_ascii=False keeps Chinese readable; default=str copes with dates, models, lazy strings.
        return json.dumps(entry, ensure_ascii=False, default=str)


def _user_fields(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return {"user": None, "user_id": None}
    return {"user": user.get_username(), "user_id": user.pk}


def log_event(action, user, **fields):
    """Record that `user` did `action` (e.g. "assignment.submit", "report.export"), with details.

    Model instances among the fields are logged as their primary key and text, so a log line
    stays small and never needs the database to be read back.
    """
    extra = {"action": action, **_user_fields(user)}
    for key, value in fields.items():
        if hasattr(value, "_meta") and hasattr(value, "pk"):
            extra[f"{key}_id"] = value.pk
            value = str(value)
        extra[key] = value
    logger.info(action, extra=extra)


def _address(request):
    return request.META.get("REMOTE_ADDR") if request is not None else None


def log_login(sender, request, user, **kwargs):
    log_event("auth.login", user, address=_address(request))


def log_logout(sender, request, user, **kwargs):
    log_event("auth.logout", user, address=_address(request))


def log_login_failed(sender, credentials, request=None, **kwargs):
    # Credentials arrive cleansed (the password masked); the name tried is what an auditor needs.
    username = str(credentials.get("username") or "")[:150]
    log_event("auth.login_failed", None, username=username, address=_address(request))


_log_rows = contextvars.ContextVar("huigao_log_rows", default=True)


@contextlib.contextmanager
def rows_not_logged():
    """Rows recorded within this block are not logged one by one (the demo's made-up history:
    it logs one event for all of it instead)."""
    token = _log_rows.set(False)
    try:
        yield
    finally:
        _log_rows.reset(token)


# Every transition and every report-level event (import, export, clone, finalise …) is already
# recorded as a row; logging on that row's creation covers them all, whoever writes the code
# that records them. Logged once the transaction commits, so a rolled-back action leaves no line.


def log_transition(sender, instance, created, raw=False, **kwargs):
    if not created or raw or not _log_rows.get():
        return
    assignment = instance.assignment
    fields = {
        "assignment_id": assignment.pk,
        "section_id": assignment.section_id,
        "department_id": assignment.department_id,
        "from_state": instance.from_state,
        "to_state": instance.to_state,
        "comment": instance.comment,
    }
    transaction.on_commit(lambda: log_event(f"assignment.{instance.action}", instance.actor, **fields), robust=True)


def log_report_event(sender, instance, created, raw=False, **kwargs):
    if not created or raw or not _log_rows.get():
        return
    fields = {"report_id": instance.report_id, "comment": instance.comment}
    transaction.on_commit(lambda: log_event(f"report.{instance.action}", instance.actor, **fields), robust=True)
