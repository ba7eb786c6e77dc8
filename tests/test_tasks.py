"""Background tasks: e-mail leaves through the worker, a failed send is retried and then shown
as failed, and the worker keeps its schedule (heartbeat, daily reminders, old results)."""

import datetime

import pytest
from django.core import mail
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reports import tasks
from reports.models import Assignment, AssignmentState
from tests.conftest import run_worker
from tests.smtp_server import SmtpServer, closed_port, smtp_mailers

S = AssignmentState


def mail_tasks(**filters):
    return DBTaskResult.objects.filter(task_path=tasks.send_mail.module_path, **filters).order_by("enqueued_at")


def submit(client, section, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("drafting:section-action", args=[section.pk, "submit"]))
    assert response.status_code == 302
    return response


def make_due_now(results):
    results.update(run_after=timezone.now() - datetime.timedelta(seconds=1))


def test_a_submission_reaches_the_signer_through_the_worker(
    worker_backend, settings, report, drafter, signer, login, django_capture_on_commit_callbacks
):
    with SmtpServer() as server:
        settings.MAILERS = smtp_mailers(server.port)
        submit(login(drafter), report.our_section, django_capture_on_commit_callbacks)
        assert server.connections == 0  # the request only queued the e-mail
        assert mail_tasks(status=TaskResultStatus.READY).count() == 1
        run_worker()
    ((to, message),) = server.messages
    assert to == "signer@example.invalid"
    assert message["Subject"] == "【汇稿】待您签发：（一）在提升政务服务效能方面"
    assert "关于测试工作情况的报告" in message.get_content()
    assert mail_tasks().get().status == TaskResultStatus.SUCCESSFUL


def test_a_submission_with_the_mail_server_down_succeeds_and_its_email_is_retried(
    worker_backend, settings, report, drafter, signer, login, django_capture_on_commit_callbacks
):
    settings.MAILERS = smtp_mailers(closed_port())
    submit(login(drafter), report.our_section, django_capture_on_commit_callbacks)
    assignment = Assignment.objects.get(pk=report.our_section.assignment.pk)
    assert assignment.state == S.SUBMITTED

    run_worker()
    first, retry = mail_tasks()
    assert first.status == TaskResultStatus.SUCCESSFUL and first.return_value["retrying"] == 1
    assert retry.status == TaskResultStatus.READY and retry.args_kwargs["kwargs"] == {"attempt": 2}
    delay = (retry.run_after - timezone.now()).total_seconds()
    assert settings.HUIGAO_MAIL_RETRY_DELAYS[0] - 30 < delay <= settings.HUIGAO_MAIL_RETRY_DELAYS[0]
    run_worker()
    assert mail_tasks().count() == 2  # not due yet: the worker leaves it

    with SmtpServer() as server:  # the mail server is back by the time the retry is due
        settings.MAILERS = smtp_mailers(server.port)
        make_due_now(mail_tasks(status=TaskResultStatus.READY))
        run_worker()
    assert [to for to, _message in server.messages] == ["signer@example.invalid"]
    assert mail_tasks(status=TaskResultStatus.SUCCESSFUL).count() == 2


def test_a_send_that_keeps_failing_ends_as_a_failed_task(
    worker_backend, settings, report, drafter, signer, login, django_capture_on_commit_callbacks
):
    settings.MAILERS = smtp_mailers(closed_port())
    settings.HUIGAO_MAIL_RETRY_DELAYS = [60, 60]
    submit(login(drafter), report.our_section, django_capture_on_commit_callbacks)
    for _attempt in range(3):
        make_due_now(mail_tasks(status=TaskResultStatus.READY))
        run_worker()
    assert not mail_tasks(status=TaskResultStatus.READY).exists()
    failed = mail_tasks(status=TaskResultStatus.FAILED).get()
    assert failed.exception_class_path == "reports.tasks.MailNotSent"
    assert "not sent after 3 attempt(s)" in failed.traceback and "signer@example.invalid" in failed.traceback


def test_a_retry_sends_only_what_was_not_sent(worker_backend, settings, db):
    with SmtpServer(refuse={"gone@example.invalid"}) as server:
        settings.MAILERS = smtp_mailers(server.port)
        messages = [
            {"to": address, "subject": "主题", "body": "正文"}
            for address in ("a@example.invalid", "gone@example.invalid", "b@example.invalid")
        ]
        tasks.send_mail.enqueue("submitted", messages)
        run_worker()
    assert [to for to, _message in server.messages] == ["a@example.invalid", "b@example.invalid"]
    failed = mail_tasks().get()
    assert failed.status == TaskResultStatus.FAILED
    assert "refused gone@example.invalid (2 sent)" in failed.traceback


# --- The schedule ------------------------------------------------------------------------------


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_the_worker_runs_a_heartbeat_and_queues_the_reminders(worker_backend, settings, db):
    settings.HUIGAO_REMINDER_TIME = "08:30"
    assert tasks.last_heartbeat() is None
    run_worker()
    assert timezone.now() - tasks.last_heartbeat() < datetime.timedelta(minutes=1)
    # Queued for 8:30, or already run if the worker started after 8:30 today.
    assert DBTaskResult.objects.filter(task_path=tasks.send_reminders.module_path).count() == 1


def test_the_schedule_queues_each_task_once(worker_backend, settings, db):
    settings.HUIGAO_REMINDER_TIME = "08:30"
    day = timezone.localdate() + datetime.timedelta(days=1)
    tasks.schedule_due_tasks(now=at(day, 7))
    tasks.schedule_due_tasks(now=at(day, 7, 5))
    (reminders,) = DBTaskResult.objects.filter(task_path=tasks.send_reminders.module_path)
    assert reminders.status == TaskResultStatus.READY and reminders.run_after == at(day, 8, 30)
    assert DBTaskResult.objects.filter(task_path=tasks.heartbeat.module_path).count() == 1


def test_the_reminders_run_at_the_set_time_or_at_once_when_today_was_missed(worker_backend, settings, db):
    settings.HUIGAO_REMINDER_TIME = "08:30"
    day = datetime.date(2026, 3, 2)
    assert tasks.next_reminder_run(at(day, 7)) == at(day, 8, 30)
    assert tasks.next_reminder_run(at(day, 10)) == at(day, 10)  # the worker was down at 8:30
    tasks.send_reminders.using(run_after=at(day, 8, 30)).enqueue()
    assert tasks.next_reminder_run(at(day, 10)) == at(day + datetime.timedelta(days=1), 8, 30)
    settings.HUIGAO_REMINDER_TIME = ""
    assert tasks.next_reminder_run(at(day, 10)) is None


def test_failed_reminders_are_run_again_ten_minutes_later_three_times_a_day(worker_backend, settings, db):
    settings.HUIGAO_REMINDER_TIME = "08:30"
    day = datetime.date(2026, 3, 2)
    for attempt in range(3):
        tasks.send_reminders.using(run_after=at(day, 8, 30)).enqueue()
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
            status=TaskResultStatus.FAILED, finished_at=at(day, 9, attempt)
        )
        expected = at(day, 9, attempt + 10) if attempt < 2 else at(day + datetime.timedelta(days=1), 8, 30)
        assert tasks.next_reminder_run(at(day, 9, attempt + 1)) == expected


@pytest.mark.django_db(transaction=True)
def test_the_daily_reminders_task_reminds_due_sections(worker_backend, settings, report, drafter, signer):
    Assignment.objects.filter(pk=report.our_section.assignment.pk).update(
        deadline=timezone.localdate() + datetime.timedelta(days=1)
    )
    tasks.send_reminders.enqueue()
    run_worker()  # the reminder, whose e-mail it queues …
    run_worker()  # … and that e-mail
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "drafter@example.invalid",
        "signer@example.invalid",
    ]
    assert Assignment.objects.get(pk=report.our_section.assignment.pk).last_reminded_on == timezone.localdate()


def test_old_finished_tasks_and_heartbeats_are_deleted(worker_backend, settings, db):
    settings.HUIGAO_TASK_RETENTION_DAYS = 30
    now = timezone.now()
    tasks.heartbeat.enqueue()
    tasks.send_mail.enqueue("submitted", [])
    tasks.send_mail.enqueue("submitted", [])
    run_worker()
    old_heartbeat, old_mail, recent_mail = (
        DBTaskResult.objects.filter(task_path=tasks.heartbeat.module_path).get(),
        *mail_tasks(),
    )
    DBTaskResult.objects.filter(pk=old_heartbeat.pk).update(finished_at=now - datetime.timedelta(hours=2))
    DBTaskResult.objects.filter(pk=old_mail.pk).update(finished_at=now - datetime.timedelta(days=31))
    tasks.schedule_due_tasks()
    assert not DBTaskResult.objects.filter(pk__in=[old_heartbeat.pk, old_mail.pk]).exists()
    assert DBTaskResult.objects.filter(pk=recent_mail.pk).exists()
