"""Assigning many sections of the outline to one department with one deadline, in one form."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from reports import assigning
from reports.models import Assignment, AssignmentState, Section, TransitionAction

pytestmark = pytest.mark.django_db


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def bulk(client, report, sections, department, deadline):
    return client.post(
        reverse("reports:outline-assign", args=[report.pk]),
        {
            "sections": [s.pk if hasattr(s, "pk") else s for s in sections],
            "department": getattr(department, "pk", department),
            "deadline": deadline,
        },
    )


def test_ticked_sections_go_to_one_department_with_one_deadline(
    login,
    coordinator,
    report,
    our_section,
    department,
    other_department,
    other_drafter,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    first = report.first_section
    due = in_days(20)
    with django_capture_on_commit_callbacks(execute=True):
        response = bulk(login(coordinator), report, [first, our_section], other_department, due.isoformat())
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.assignment.department == other_department
    assert first.assignment.deadline == due
    moved = Assignment.objects.get(section=our_section)
    assert moved.department == other_department
    assert moved.deadline == due
    assert moved.state == AssignmentState.DRAFT
    # Each through the model's moves: logged, and the department hears of both.
    assert [t.action for t in first.assignment.transitions.all()] == [TransitionAction.ASSIGN]
    assert [t.action for t in moved.transitions.all()] == [TransitionAction.ASSIGN]
    assert [m.to for m in mailoutbox] == [[other_drafter.email], [other_drafter.email]]
    page = login(coordinator).get(reverse("reports:report-detail", args=[report.pk])).content.decode()
    assert "2 sections now go to" in page or "已将 2 个章节" in page or "2 个章节" in page


def test_the_same_department_only_moves_the_deadline(login, coordinator, report, our_section, department):
    Assignment.objects.filter(section=our_section).update(state=AssignmentState.SUBMITTED)
    due = in_days(5)
    bulk(login(coordinator), report, [our_section], department, due.isoformat())
    assignment = Assignment.objects.get(section=our_section)
    assert assignment.deadline == due
    # Its work so far stays: the same department keeps its state and log.
    assert assignment.state == AssignmentState.SUBMITTED
    assert not assignment.transitions.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"sections": []},
        {"department": ""},
        {"department": "999999"},
        {"deadline": ""},
        {"deadline": "2026-02-30"},
        {"deadline": "past"},
        {"sections": ["99999999999999999999999"]},
        {"sections": ["other-report"]},
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(
    login, coordinator, report, our_section, department, other_department, change
):
    from reports.models import Report

    stranger = Report.objects.create(title="别的报告", lead_department=report.lead_department)
    elsewhere = Section.objects.create(report=stranger, position=0, heading="别处的章节")
    data = {
        "sections": [report.first_section.pk, our_section.pk],
        "department": other_department.pk,
        "deadline": in_days(20).isoformat(),
    }
    data.update(change)
    if data["deadline"] == "past":
        data["deadline"] = in_days(-1).isoformat()
    if data["sections"] == ["other-report"]:
        data["sections"] = [our_section.pk, elsewhere.pk]
    before = list(Assignment.objects.order_by("pk").values_list("section_id", "department_id", "deadline", "state"))
    response = login(coordinator).post(reverse("reports:outline-assign", args=[report.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="bulk-errors"' in page
    errors = page[
        page.index('data-testid="bulk-errors"') : page.index("</ul>", page.index('data-testid="bulk-errors"'))
    ]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in errors)
    assert (
        list(Assignment.objects.order_by("pk").values_list("section_id", "department_id", "deadline", "state"))
        == before
    )
    # What was ticked stays ticked for the next try.
    if str(our_section.pk) in map(str, data["sections"]):
        assert (
            f'value="{our_section.pk}" form="bulk-assign" id="pick-{our_section.pk}" data-testid="bulk-pick" checked'
            in page
        )


def test_a_final_report_is_refused_as_a_whole(login, coordinator, report, our_section, other_department):
    client = login(coordinator)
    report.is_final = True
    report.save(update_fields=["is_final"])
    response = bulk(client, report, [report.first_section, our_section], other_department, in_days(3).isoformat())
    assert response.status_code == 403
    assert not Assignment.objects.filter(section=report.first_section).exists()
    assert Assignment.objects.get(section=our_section).department != other_department


def test_a_refusal_on_one_section_assigns_none_of_them(
    coordinator, report, other_department, other_office, django_capture_on_commit_callbacks, mailoutbox
):
    from reports.models import Report

    stranger = Report.objects.create(title="别人牵头的报告", lead_department=other_office)
    elsewhere = Section.objects.create(report=stranger, position=0, heading="别处的章节")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        assigning.assign_sections([report.first_section, elsewhere], other_department, in_days(3), coordinator)
    # The first section was assigned before the second was refused: rolled back, announced to no one.
    assert not Assignment.objects.filter(section__in=[report.first_section, elsewhere]).exists()
    assert mailoutbox == []


def test_only_coordinators_may_assign_in_bulk(login, drafter, other_coordinator, report, our_section, department):
    url_data = ([report.first_section], department, in_days(3).isoformat())
    assert bulk(login(drafter), report, *url_data).status_code == 403
    assert bulk(login(other_coordinator), report, *url_data).status_code == 404
    assert not Assignment.objects.filter(section=report.first_section).exists()


def test_the_outline_offers_a_checkbox_per_section_and_tick_all_under_a_heading(login, coordinator, report):
    page = login(coordinator).get(reverse("reports:report-detail", args=[report.pk])).content.decode()
    assert page.count('data-testid="bulk-pick"') == 4
    # Only 二、 has sections under it.
    assert page.count('data-testid="bulk-pick-all"') == 1
    assert 'id="bulk-assign"' in page
