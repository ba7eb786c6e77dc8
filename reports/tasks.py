"""Background tasks (django.tasks; the database backend, run by `python manage.py db_worker`).

E-mail goes out here, never inside the request that caused it: a slow or unreachable mail
server holds a worker, not a save. A send that fails is tried again after each delay in
settings.HUIGAO_MAIL_RETRY_DELAYS, only for the messages not yet sent, and then recorded as a
failed task, which the operator page (admin → 运行状态) counts and lists.

Exports that take more than a moment (every PDF, a large report's DOCX) are built here too,
into the database, where any app server can hand them out (reports/exporting.py).

The worker also keeps a schedule (`schedule_due_tasks`, run by its scheduler thread): a
heartbeat task every few seconds, which /health/ uses to tell that the worker runs tasks, the
daily reminders (催办), and deleting expired exports.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Max, Q
from django.tasks import TaskResultStatus, default_task_backend, task
from django.utils import timezone

logger = logging.getLogger("huigao.tasks")


class MailNotSent(Exception):
    """The mail server refused or could not be reached on the last attempt."""


def uses_worker():
    """Whether tasks wait in the database for a worker (rather than run when enqueued)."""
    return default_task_backend.supports_defer


@task()
def send_mail(kind, messages, attempt=1):
    """Send `messages` ([{"to", "subject", "body"}], one recipient each) over one connection.

    On a failure the messages not yet sent are enqueued again, later, until the attempts run
    out; a recipient the server refuses outright is not tried again. Returns what happened.
    """
    pending = list(messages)
    sent, refused = 0, []
    connection = mailers.default
    try:
        connection.open()
        while pending:
            message = pending[0]
            email = EmailMessage(message["subject"], message["body"], settings.DEFAULT_FROM_EMAIL, [message["to"]])
            try:
                connection.send_messages([email])
            except smtplib.SMTPRecipientsRefused:
                refused.append(message["to"])
            else:
                sent += 1
            pending.pop(0)
    except (OSError, smtplib.SMTPException) as error:
        delays = settings.HUIGAO_MAIL_RETRY_DELAYS
        if attempt > len(delays) or not uses_worker():
            raise MailNotSent(
                f"{kind}: {len(pending)} message(s) not sent after {attempt} attempt(s) "
                f"(to {', '.join(m['to'] for m in pending)}): {error!r}"
            ) from error
        retry_at = timezone.now() + datetime.timedelta(seconds=delays[attempt - 1])
        send_mail.using(run_after=retry_at).enqueue(kind, pending, attempt=attempt + 1)
        logger.warning("Mail server failed (%r); %d %s message(s) retried at %s", error, len(pending), kind, retry_at)
        return {"sent": sent, "refused": refused, "retrying": len(pending), "error": repr(error)}
    finally:
        connection.close()
    if refused:
        raise MailNotSent(f"{kind}: the mail server refused {', '.join(refused)} ({sent} sent)")
    return {"sent": sent, "refused": refused, "retrying": 0}


def remind_due_sections(days, today=None):
    """Remind each department of its sections due within `days` days or overdue; how many went out.

    At most once a day per section (Assignment.remind records the day under a row lock), so
    running this twice, or on two workers at once, reminds nobody twice.
    """
    from reports.models import Assignment
    from reports.states import REMINDABLE_STATES

    today = today or timezone.localdate()
    open_assignments = Assignment.objects.in_open_reports().filter(state__in=REMINDABLE_STATES)
    due = (open_assignments.due_within(days, today) | open_assignments.overdue(today)).exclude(last_reminded_on=today)
    sent = 0
    for assignment in due.order_by("deadline", "pk"):
        try:
            if assignment.remind(None, today=today):
                sent += 1
        except ValidationError:
            continue  # finalised or moved on since the query: nothing to remind
    return sent


@task()
def send_reminders(days=None):
    return {"reminded": remind_due_sections(settings.HUIGAO_REMINDER_DAYS if days is None else days)}


@task()
def build_export(export_id, attempt=1):
    """Build a queued export (a PDF, a large DOCX) into its ExportFile row; see reports/exporting.py."""
    from reports import exporting

    def retry(delay):
        retry_at = timezone.now() + datetime.timedelta(seconds=delay)
        build_export.using(run_after=retry_at).enqueue(export_id, attempt=attempt + 1)

    return exporting.build(export_id, attempt, retry=retry if uses_worker() else None)


@task()
def heartbeat():
    """Does nothing: that it finished shows the worker takes tasks from the queue and runs them."""
    return {"at": timezone.now().isoformat()}


# --- The worker's schedule -------------------------------------------------------------------


def task_results():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(backend_name=default_task_backend.alias)


def _pending(task_function):
    return task_results().filter(
        task_path=task_function.module_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )


REMINDER_ATTEMPTS = 3
REMINDER_RETRY = datetime.timedelta(minutes=10)


def next_reminder_run(now=None):
    """When the daily reminders should next run: today's time; at once if today's was missed;
    ten minutes after a failed run, up to three runs a day; else tomorrow's time."""
    if not settings.HUIGAO_REMINDER_TIME:
        return None
    now = timezone.localtime(now)
    at = datetime.time.fromisoformat(settings.HUIGAO_REMINDER_TIME)
    today = timezone.make_aware(datetime.datetime.combine(now.date(), at))
    if now < today:
        return today
    todays = task_results().filter(task_path=send_reminders.module_path, run_after__gte=today)
    failures = todays.filter(status=TaskResultStatus.FAILED)
    if todays.exclude(status=TaskResultStatus.FAILED).exists() or failures.count() >= REMINDER_ATTEMPTS:
        return today + datetime.timedelta(days=1)
    last_failure = failures.aggregate(at=Max("finished_at"))["at"]
    return now if last_failure is None else max(now, last_failure + REMINDER_RETRY)


def last_heartbeat():
    return (
        task_results()
        .filter(task_path=heartbeat.module_path, status=TaskResultStatus.SUCCESSFUL)
        .aggregate(at=Max("finished_at"))["at"]
    )


def schedule_due_tasks(now=None):
    """Enqueue what is due (a heartbeat, the next reminders) and delete old finished tasks.

    Safe to run from several workers: what is already queued is not queued again, and the
    reminders are idempotent for the day anyway.
    """
    now = now or timezone.now()
    with transaction.atomic():
        last = last_heartbeat()
        stale = last is None or now - last >= datetime.timedelta(seconds=settings.HUIGAO_HEARTBEAT_SECONDS)
        if stale and not _pending(heartbeat).exists():
            heartbeat.enqueue()
        if settings.HUIGAO_REMINDER_TIME and not _pending(send_reminders).exists():
            send_reminders.using(run_after=next_reminder_run(now)).enqueue()
    finished = Q(status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED])
    old = now - datetime.timedelta(days=settings.HUIGAO_TASK_RETENTION_DAYS)
    old_heartbeats = Q(task_path=heartbeat.module_path, finished_at__lt=now - datetime.timedelta(hours=1))
    task_results().filter(finished & (Q(finished_at__lt=old) | old_heartbeats)).delete()
    from reports import exporting

    exporting.delete_expired(now)
