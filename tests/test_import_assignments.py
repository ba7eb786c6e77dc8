"""An imported report's deadline and first assignments, chosen in its import confirmation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.import_views import SESSION_KEY
from reports.models import Assignment, Report, TransitionAction
from tests.conftest import SAMPLE_TXT

pytestmark = pytest.mark.django_db

URL = reverse("reports:report-import")


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def preview(client, office):
    return client.post(URL, {"lead_department": office.pk, "text": SAMPLE_TXT.read_text(encoding="utf-8")})


def confirm(client, **data):
    token = client.session[SESSION_KEY]["token"]
    return client.post(URL, {"token": token, "confirm": "1", **data})


def test_the_confirmation_offers_a_deadline_and_a_department_per_top_level_section(login, coordinator, office):
    page = preview(login(coordinator), office).content.decode()
    assert 'name="deadline"' in page
    # The sample has three top-level sections (一、 to 三、).
    assert page.count('data-testid="import-department"') == 3
    assert page.count('data-testid="import-section-deadline"') == 3


def test_one_deadline_for_all_and_a_department_for_a_branch(
    login, coordinator, office, department, other_department, drafter, django_capture_on_commit_callbacks, mailoutbox
):
    client = login(coordinator)
    preview(client, office)
    due, early = in_days(14), in_days(7)
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(
            client,
            deadline=due.isoformat(),
            department_1=department.pk,
            department_0=other_department.pk,
            deadline_0=early.isoformat(),
        )
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    assert report.deadline == due
    outline = report.outline()
    top = [s for s in outline if s.parent_id is None]
    second = [s for s in outline if s.pk == top[1].pk or s.parent_id == top[1].pk]
    # 二、 and its (一)…(四) go to the 发改局 by the report's deadline; 一、 to the 财政局 earlier.
    assigned = {a.section_id: (a.department_id, a.deadline) for a in Assignment.objects.all()}
    assert assigned[top[0].pk] == (other_department.pk, early)
    assert len(second) > 1
    for section in second:
        assert assigned[section.pk] == (department.pk, due)
    assert len(assigned) == 1 + len(second)
    # Each through Assignment.assign: logged, and the departments notified.
    assert Assignment.objects.filter(transitions__action=TransitionAction.ASSIGN).count() == len(assigned)
    assert drafter.email in [address for message in mailoutbox for address in message.to]


def test_no_choice_imports_unassigned_as_before(login, coordinator, office):
    client = login(coordinator)
    preview(client, office)
    confirm(client)
    report = Report.objects.get()
    assert report.deadline is None
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"deadline": "past"}, "已经过了"),
        ({"deadline": "2026-13-01"}, "不是有效的日期"),
        ({"deadline_0": "soon"}, "没有选择责任单位"),
        ({"department_0": "999999"}, "不存在"),
    ],
)
def test_bad_choices_are_refused_in_chinese_and_create_nothing(login, coordinator, office, department, data, message):
    client = login(coordinator)
    preview(client, office)
    values = dict(data)
    for key, value in values.items():
        if value == "past":
            values[key] = in_days(-3).isoformat()
        elif value == "soon":
            values[key] = in_days(3).isoformat()
    response = confirm(client, **values)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Report.objects.exists()
    assert not Assignment.objects.exists()
    # The preview is still there: the corrected form creates the report.
    assert confirm(client, department_0=department.pk).status_code == 302
    assert Assignment.objects.filter(department=department).exists()
