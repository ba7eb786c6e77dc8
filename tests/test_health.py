"""/health/ for the load balancer (database, worker heartbeat, last task) and the operator's
运行状态 page in the admin (queued and failed tasks, failed e-mail)."""

import datetime
import os
import subprocess
import sys

from django.conf import settings
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reports import tasks
from tests.conftest import make_user, run_worker
from tests.smtp_server import closed_port, smtp_mailers


def health(client):
    response = client.get("/health/")
    return response.status_code, response.content.decode().splitlines()


def test_health_needs_no_login_and_says_ok_when_tasks_run_at_once(client, db):
    status, lines = health(client)
    assert status == 200
    assert lines == ["ok", "database: reachable", "worker: none, tasks run at once"]


def test_health_is_503_until_the_worker_has_run_a_heartbeat(worker_backend, client, db):
    status, lines = health(client)
    assert status == 503
    assert lines[:2] == ["unhealthy", "worker: no heartbeat yet"]
    run_worker()
    status, lines = health(client)
    assert status == 200 and lines[0] == "ok"
    assert lines[2].startswith("worker: heartbeat ") and lines[2].endswith(" s ago")
    assert lines[3] == "last task: none yet"


def test_health_is_503_once_the_worker_falls_silent(worker_backend, settings, client, db):
    run_worker()
    tasks.send_mail.enqueue("submitted", [])
    run_worker()
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.HUIGAO_WORKER_TIMEOUT + 60)
    DBTaskResult.objects.update(finished_at=long_ago)
    status, lines = health(client)
    assert status == 503
    assert lines[1].startswith("worker: silent for ")
    assert lines[-1].startswith("last task: finished ")


def test_health_is_503_when_the_database_is_unreachable():
    code = (
        "import django; django.setup(); from django.test import Client;"
        "r = Client().get('/health/'); print(r.status_code); print(r.content.decode())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "reports.settings",
            "DEBUG": "1",
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": f"postgres://huigao@127.0.0.1:{closed_port()}/huigao",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:3] == ["503", "unhealthy", "database: unreachable (OperationalError)"]


def test_health_answers_plain_http_where_other_pages_redirect_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/").status_code == 200
    assert client.get(reverse("login")).status_code == 301


# --- The operator's page ------------------------------------------------------------------------


def figures(page):
    from html.parser import HTMLParser

    class Rows(HTMLParser):
        def __init__(self):
            super().__init__()
            self.cells, self.rows = None, {}

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.cells = []
            elif tag in ("th", "td") and self.cells is not None:
                self.cells.append("")

        def handle_endtag(self, tag):
            if tag == "tr" and self.cells and len(self.cells) == 2:
                self.rows[self.cells[0].strip()] = self.cells[1].strip()
            if tag == "tr":
                self.cells = None

        def handle_data(self, data):
            if self.cells:
                self.cells[-1] += data

    parser = Rows()
    parser.feed(page)
    return parser.rows


def test_the_operations_page_counts_queued_tasks_and_failed_emails(worker_backend, settings, client, superuser):
    settings.MAILERS = smtp_mailers(closed_port())
    settings.HUIGAO_MAIL_RETRY_DELAYS = []
    settings.HUIGAO_REMINDER_TIME = "08:30"  # the page shows when the next reminders run
    tasks.send_mail.enqueue("submitted", [{"to": "signer@example.invalid", "subject": "主题", "body": "正文"}])
    run_worker()
    tasks.schedule_due_tasks()  # the next reminders, if the worker just ran today's
    tasks.send_mail.enqueue("submitted", [])
    in_five_minutes = timezone.now() + datetime.timedelta(minutes=5)
    tasks.send_mail.using(run_after=in_five_minutes).enqueue("submitted", [], attempt=2)
    client.force_login(superuser)
    index = client.get(reverse("admin:index")).content.decode()
    assert "运行状态" in index and reverse("admin:operations") in index
    response = client.get(reverse("admin:operations"))
    assert response.status_code == 200
    page = response.content.decode()
    rows = figures(page)
    assert rows["后台任务进程"] == "运行中"
    assert rows["发送失败的邮件"] == "1"
    assert rows["待运行的任务"] == "1"
    assert rows["等待重试的邮件"] == "1"
    assert rows["下次催办"] != "无"
    assert "signer@example.invalid" in page  # the failed send's error names who did not get it
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert reverse("admin:django_tasks_database_dbtaskresult_change", args=[failed.pk]) in page


def test_the_operations_page_is_for_superusers_only(client, db):
    staff = make_user("staff", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:operations")).status_code == 403
    assert "运行状态" not in client.get(reverse("admin:index")).content.decode()
    client.logout()
    assert client.get(reverse("admin:operations")).status_code == 302


def test_the_operations_page_says_when_there_is_no_worker(client, superuser):
    client.force_login(superuser)
    rows = figures(client.get(reverse("admin:operations")).content.decode())
    assert rows["后台任务进程"].startswith("无")
