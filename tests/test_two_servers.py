"""Two gunicorn app servers and one worker on one PostgreSQL database, as the README deploys
them: a session from one server holds on the other, a save on one is seen on the other, a
stale save is refused across servers, a lockout holds on both, and the worker serves both.

Runs in CI's PostgreSQL pass (the servers use the test database pytest-django created).
"""

import http.cookiejar
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from reports import tasks
from reports.models import Section
from tests.conftest import PASSWORD, editor_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

STARTUP_SECONDS = 60


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, what, seconds=STARTUP_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def healthy(url):
    try:
        return Browser().request(f"{url}/health/")[0] == 200
    except urllib.error.URLError:
        return False  # not listening yet


class Browser:
    """Cookies kept across requests and across servers, as one browser behind the load balancer."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, url, data=None):
        if data is not None:
            token = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
            data = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        try:
            with self.opener.open(url, data=data, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def log_in(self, server, username, password=PASSWORD):
        self.request(f"{server}/accounts/login/")
        return self.request(f"{server}/accounts/login/", {"username": username, "password": password})


def set_real_password(*users):
    # The servers run the production hashers; the test process uses a fast one.
    for user in users:
        user.password = PBKDF2PasswordHasher().encode(PASSWORD, "twoserverssalt")
        user.save(update_fields=["password"])


@pytest.fixture
def servers(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("app servers share PostgreSQL; CI's PostgreSQL pass runs this")
    db = connection.settings_dict
    credentials = urllib.parse.quote(db["USER"] or "") + (
        ":" + urllib.parse.quote(db["PASSWORD"]) if db["PASSWORD"] else ""
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "reports.settings",
        "SECRET_KEY": "two-servers-share-this-secret-key-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        # Plain HTTP on loopback: the TLS proxy of the README is not part of this test.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_COOKIES": "0",
        "STATIC_ROOT": str(tmp_path / "static"),
        "HUIGAO_HEARTBEAT_SECONDS": "1",
    }
    run = {"cwd": settings.BASE_DIR, "env": env}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], check=True, timeout=120, **run)
    logs = tmp_path / "logs"
    logs.mkdir()
    processes, urls = [], []

    def start(name, *args):
        with (logs / f"{name}.log").open("w") as log:
            processes.append(subprocess.Popen([sys.executable, *args], stdout=log, stderr=subprocess.STDOUT, **run))

    start("worker", "manage.py", "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay")
    for name in ("a", "b"):
        port = free_port()
        start(name, "-m", "gunicorn", "reports.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}")
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            wait_for(lambda url=url: healthy(url), f"{url}/health/")
        yield urls
    except AssertionError:
        raise AssertionError("\n".join(f"--- {p.name}\n{p.read_text()}" for p in sorted(logs.iterdir()))) from None
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_two_app_servers_share_sessions_saves_conflicts_lockouts_and_the_worker(servers, report, drafter, signer):
    a, b = servers
    set_real_password(drafter, signer)
    section = Section.objects.get(pk=report.our_section.pk)
    editor = f"/sections/{section.pk}/"

    browser = Browser()
    status, _page = browser.log_in(a, "drafter")
    assert status == 200
    assert browser.request(b + editor)[0] == 200  # the session made on A holds on B

    stale = editor_data(section, intro="乙服务器上的旧稿。")
    status, _page = browser.request(a + editor, editor_data(section, intro="甲服务器上保存的新稿。"))
    assert status == 200
    status, page = browser.request(b + editor)
    assert status == 200 and "甲服务器上保存的新稿。" in page

    status, page = browser.request(b + editor, stale)
    assert status == 409
    assert "乙服务器上的旧稿。" in page  # the refused text is kept in the form, nothing lost
    section.refresh_from_db()
    assert section.intro == "甲服务器上保存的新稿。" and section.version == stale["version"] + 1

    # The submission's e-mail is queued by B and sent by the worker.
    status, _page = browser.request(f"{b}/sections/{section.pk}/action/submit/", {})
    assert status == 200
    wait_for(
        lambda: DBTaskResult.objects.filter(
            task_path=tasks.send_mail.module_path, status=TaskResultStatus.SUCCESSFUL
        ).exists(),
        "the worker to send the submission's e-mail",
    )

    intruder = Browser()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        intruder.log_in(a, "signer", "wrong-password")
    status, page = intruder.log_in(b, "signer")  # the right password, on the other server
    assert status == 429
    assert "登录失败次数过多" in page
    assert Browser().log_in(a, "signer")[0] == 429
