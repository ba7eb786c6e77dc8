"""Shared named people and a small report, used by every test file.

The cast: the coordinating office (县委办) with `coordinator`; the 发改局 with `drafter` and
`signer`, whose section is (二)(一); the 财政局 with `other_drafter` and `other_signer`, whose
section is (二)(二); a second coordinating office with `other_coordinator`, who leads none of
these reports; `superuser`.
"""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reports.models import Assignment, Department, Measure, Membership, Report, Role, Section

SAMPLES = Path(__file__).resolve().parent.parent.parent / "shared" / "samples"
SAMPLE_TXT = SAMPLES / "county-business-environment-2025.txt"
SAMPLE_DOCX = SAMPLES / "county-business-environment-2025.docx"
PASSWORD = "test-pass-2026"

# Playwright's sync API runs an event loop in the test thread; the ORM refuses to run
# inside one unless told it is safe, which it is for these single-threaded tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def make_user(username, department=None, role=Role.DRAFTER, **extra):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.invalid", **extra
    )
    if department is not None:
        Membership.objects.create(user=user, department=department, role=role)
    return user


@pytest.fixture
def office(db):
    return Department.objects.create(name="测试县委办公室", short_name="县委办", position=0)


@pytest.fixture
def department(db):
    return Department.objects.create(name="测试县发展和改革局", short_name="县发改局", position=1)


@pytest.fixture
def other_department(db):
    return Department.objects.create(name="测试县财政局", short_name="县财政局", position=2)


@pytest.fixture
def other_office(db):
    return Department.objects.create(name="测试县政府办公室", short_name="县政府办", position=3)


@pytest.fixture
def coordinator(office):
    return make_user("coordinator", office, Role.SIGNER, first_name="王协调")


@pytest.fixture
def drafter(department):
    return make_user("drafter", department, Role.DRAFTER, first_name="李撰稿")


@pytest.fixture
def signer(department):
    return make_user("signer", department, Role.SIGNER, first_name="张签发")


@pytest.fixture
def other_drafter(other_department):
    return make_user("other_drafter", other_department, Role.DRAFTER)


@pytest.fixture
def other_signer(other_department):
    return make_user("other_signer", other_department, Role.SIGNER)


@pytest.fixture
def other_coordinator(other_office):
    return make_user("other_coordinator", other_office, Role.SIGNER)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.invalid", PASSWORD)


@pytest.fixture
def report(office, department, other_department, coordinator):
    """一、 (intro only) / 二、 with （一） for the 发改局 and （二） for the 财政局."""
    report = Report.objects.create(
        title="关于测试工作情况的报告",
        preamble="今年以来，我县扎实推进各项工作。现将有关情况报告如下。",
        closing="下一步，我们将持续用力，推动工作再上新台阶。",
        issuer="中共测试县委办公室",
        lead_department=office,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        created_by=coordinator,
    )
    first = Section.objects.create(report=report, position=0, heading="强化组织领导", intro="县委专题研究部署。")
    second = Section.objects.create(report=report, position=1, heading="推动举措落地")
    ours = Section.objects.create(report=report, parent=second, position=0, heading="在提升政务服务效能方面")
    theirs = Section.objects.create(report=report, parent=second, position=1, heading="在强化要素保障方面")
    Measure.objects.create(section=ours, position=0, lead="推行一件事一次办", body="梳理形成清单12项。")
    Measure.objects.create(section=ours, position=1, lead="深化一网通办", body="全程网办率达到90%。")
    Measure.objects.create(section=theirs, position=0, lead="保障项目用地", body="盘活闲置土地300亩。")
    Assignment.objects.create(section=ours, department=department, deadline=report.deadline)
    Assignment.objects.create(section=theirs, department=other_department, deadline=report.deadline)
    report.first_section, report.our_section, report.their_section = first, ours, theirs
    return report


@pytest.fixture
def complete_report(report, signer):
    """The report with nothing missing: every section accepted, the 成文日期 set; it exports as final."""
    for section in (report.our_section, report.their_section):
        set_assignment_state(section.assignment, "accepted", signer)
    report.issued_on = datetime.date(2025, 12, 5)
    report.save()
    return report


@pytest.fixture
def demo_report(db):
    """The demo's report (python manage.py demo): long enough for several pages, with gaps left."""
    call_command("demo", stdout=io.StringIO())
    return Report.objects.select_related("lead_department").get()


@pytest.fixture
def our_section(report):
    return report.our_section


@pytest.fixture
def their_section(report):
    return report.their_section


@pytest.fixture
def login(client):
    """login(user) logs the test client in as that user and returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


# --- speed --------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; the production hasher's deliberate slowness costs ~0.3 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- the workflow: shared by tests/test_workflow.py, test_board.py and friends ---------------


def set_assignment_state(assignment, state, signer=None):
    """Put an assignment in a state directly, as if the earlier moves had happened."""
    signed = state in ("signed_off", "accepted")
    Assignment.objects.filter(pk=assignment.pk).update(
        state=state, signed_off_by=signer if signed else None, signed_off_at=timezone.now() if signed else None
    )
    assignment.refresh_from_db()
    return assignment


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a move and what its commit sends (e-mails, inbox notifications)."""

    def _commit(move, *args):
        with django_capture_on_commit_callbacks(execute=True):
            return move(*args)

    return _commit


# --- the section editor's form data, shared by the editor, paste and revision tests ----------


def editor_data(section, measures=None, **fields):
    """The POST data the section editor sends: `measures` as [(pk or None, lead, body)] in order."""
    if measures is None:
        measures = [(m.pk, m.lead, m.body) for m in section.measures.order_by("position", "pk")]
    data = {
        "version": section.version,
        "intro": section.intro,
        "note": "",
        "save": "1",
        "measures-TOTAL_FORMS": len(measures),
        "measures-INITIAL_FORMS": len(measures),
        "measures-MIN_NUM_FORMS": 0,
        "measures-MAX_NUM_FORMS": 1000,
    }
    for index, (pk, lead, body) in enumerate(measures):
        data[f"measures-{index}-id"] = pk or ""
        data[f"measures-{index}-lead"] = lead
        data[f"measures-{index}-body"] = body
        data[f"measures-{index}-ORDER"] = index + 1
    data.update(fields)
    return data


def measure_texts(section):
    return [(m.lead, m.body) for m in section.measures.order_by("position", "pk")]


def editor_url(section):
    return reverse("drafting:section-edit", args=[section.pk])


def card_of(page, measure):
    """The HTML of one measure's card in the editor (up to the next card, or the end of the measures)."""
    start = page.index(f'id="measure-{measure.pk}"')
    end = page.find("data-measure", start + 1)
    return page[start : end if end != -1 else len(page)]


# --- Background tasks: tests/test_tasks.py, test_health.py --------------------------------------


@pytest.fixture
def worker_backend(settings, transactional_db):
    """Tasks wait in the database for `run_worker()`, as in production (tests run them at once).

    Transactional: the worker closes a connection it finds inside a transaction, as the test
    transaction of `db` would be (SQLite's in-memory test database ignores that; PostgreSQL not)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The daily reminders stay off unless a test sets their time: at the default 08:30, a worker
    # run after 08:30 would send them, and what a test sees would depend on the hour it runs.
    settings.HUIGAO_REMINDER_TIME = ""


def run_worker():
    """`db_worker --batch`: everything due now, then exit (the signals it takes are given back)."""
    import signal
    from io import StringIO

    from django.core.management import call_command

    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO(), verbosity=0)
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
