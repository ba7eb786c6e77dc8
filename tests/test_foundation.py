"""The project itself: tree ordering, demo data, login everywhere, settings."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from reports.models import Assignment, AssignmentState, Department, Measure, Report, Section
from reports.numbering import numbered_measures


def test_outline_is_in_reading_order_with_derived_labels(report):
    outline = report.outline()
    assert [(s.label, s.heading) for s in outline] == [
        ("一、", "强化组织领导"),
        ("二、", "推动举措落地"),
        ("（一）", "在提升政务服务效能方面"),
        ("（二）", "在强化要素保障方面"),
    ]
    assert [s.level for s in outline] == [1, 1, 2, 2]


def test_deleting_a_section_renumbers_the_rest(report):
    report.first_section.delete()
    assert [s.label for s in report.outline()] == ["一、", "（一）", "（二）"]


def test_moving_a_section_renumbers_everywhere(report, django_assert_max_num_queries):
    Section.objects.filter(pk=report.their_section.pk).update(position=0)
    Section.objects.filter(pk=report.our_section.pk).update(position=1)
    with django_assert_max_num_queries(1):
        labels = {s.heading: s.label for s in report.outline()}
    assert labels["在强化要素保障方面"] == "（一）"
    assert labels["在提升政务服务效能方面"] == "（二）"


def test_a_lone_section_derives_its_own_level_and_label(report):
    section = Section.objects.get(pk=report.their_section.pk)
    assert (section.level, section.label) == (2, "（二）")
    assert str(section) == "（二）在强化要素保障方面"


def test_measures_are_numbered_by_rank(our_section):
    Measure.objects.create(section=our_section, position=0, lead="新增举措", body="")
    measures = numbered_measures(our_section.measures.all())
    assert [m.ordinal for m in measures] == ["一是", "二是", "三是"]


def test_outline_query_count_does_not_grow_with_sections(report, django_assert_max_num_queries):
    for n in range(50):
        Section.objects.create(report=report, parent=report.first_section, position=n, heading=f"小节{n}")
    with django_assert_max_num_queries(2):
        outline = report.outline(measures=True)
        assert len(outline) == 54
        assert all(s.label for s in outline)


def test_overdue_and_due_soon_filters(report, drafter):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    Assignment.objects.filter(section=report.our_section).update(deadline=today - datetime.timedelta(days=1))
    assert list(Assignment.objects.for_user(drafter).overdue()) == [report.our_section.assignment]
    Assignment.objects.filter(section=report.our_section).update(state=AssignmentState.ACCEPTED)
    assert not Assignment.objects.for_user(drafter).overdue().exists()


def test_the_demo_command_creates_departments_people_and_a_report_in_progress(db):
    call_command("demo", stdout=io.StringIO())
    assert Department.objects.count() == 9
    report = Report.objects.get()
    states = set(Assignment.objects.filter(section__report=report).values_list("state", flat=True))
    assert states == {s.value for s in AssignmentState}
    assert report.outline()[0].label == "一、"
    from reports.placeholders import count_placeholders

    texts = [m.lead + m.body for m in Measure.objects.filter(section__report=report)]
    assert sum(count_placeholders(t) for t in texts) > 0


def test_the_demo_command_is_idempotent(db, capsys):
    call_command("demo")
    counts = (Department.objects.count(), Report.objects.count(), Section.objects.count(), Measure.objects.count())
    call_command("demo")
    assert (
        Department.objects.count(),
        Report.objects.count(),
        Section.objects.count(),
        Measure.objects.count(),
    ) == counts
    out = capsys.readouterr().out
    assert "xwb-coord" in out and "huigao2026" in out


def test_the_demo_coordinator_logs_in_and_sees_the_demo_report(client, db):
    call_command("demo", stdout=io.StringIO())
    response = client.post(reverse("login"), {"username": "xwb-coord", "password": "huigao2026"}, follow=True)
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.title in response.text
    response = client.get(report.get_absolute_url())
    assert "（五）" in response.text


def _all_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _all_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _fill(route):
    import re

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: "x" if m.group(1) in ("str", "slug") else "1", route)


PUBLIC = ("accounts/login/", "healthz", "admin/")


@pytest.mark.django_db
def test_every_page_sends_an_anonymous_visitor_to_the_login_page(client):
    checked = 0
    for route, _pattern in _all_patterns():
        if route.startswith(PUBLIC) or "^" in route or "(?P" in route:
            continue
        url = _fill(route)
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
        checked += 1
    assert checked >= 2


def test_the_login_page_is_in_chinese_and_uses_no_cdn(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.text
    assert "http://" not in response.text and "https://" not in response.text
    assert "/static/vendor/bootstrap/bootstrap.min.css" in response.text


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_production_refuses_to_start_without_a_secret_key():
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='reports.settings'; django.setup()",
        ],
        env={"DEBUG": "0", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@override_settings(LANGUAGE_CODE="zh-hans")
def test_state_labels_are_chinese():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert str(AssignmentState.DRAFT.label) == "起草中"
        assert str(AssignmentState.SUBMITTED.label) == "待签发"
        assert str(AssignmentState.SIGNED_OFF.label) == "已签发"
        assert str(AssignmentState.ACCEPTED.label) == "已采用"
        assert str(AssignmentState.RETURNED.label) == "退回修改"
