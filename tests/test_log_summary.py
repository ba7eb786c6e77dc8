"""What an assignment's log says last, kept on the assignment for the pages listing many sections:
the time of its last entry (the board's last activity) and the note of a send-back or return
that was its last move (the return note every list shows)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from reports.models import Assignment, AssignmentState

pytestmark = pytest.mark.django_db


def board_row(client, report, section):
    response = client.get(reverse("reports:report-board", args=[report.pk]))
    assert response.status_code == 200
    return {row["pk"]: row for row in response.context["rows"]}[section.pk]


def test_a_send_back_note_stays_through_comments_and_goes_with_the_next_move(
    login, report, our_section, drafter, signer, coordinator
):
    assignment = Assignment.objects.get(section=our_section)
    assignment.submit(drafter)
    assignment.send_back(signer, "第二条的数据要更新到年底。")
    assignment.refresh_from_db()
    assert assignment.return_note == "第二条的数据要更新到年底。"

    assignment.comment(drafter, "收到，正在核实。")
    assignment.refresh_from_db()
    assert assignment.return_note == "第二条的数据要更新到年底。"
    assert board_row(login(coordinator), report, our_section)["return_note"] == "第二条的数据要更新到年底。"

    assignment.submit(drafter)
    assignment.refresh_from_db()
    assert assignment.return_note == ""
    assert board_row(login(coordinator), report, our_section)["return_note"] == ""


def test_every_entry_of_the_log_moves_the_last_activity_comments_and_reminders_too(
    login, report, our_section, drafter, coordinator
):
    assignment = Assignment.objects.get(section=our_section)
    client = login(coordinator)
    before = board_row(client, report, our_section)["last_activity"]

    transition = assignment.comment(drafter, "请牵头单位确认口径。")
    assignment.refresh_from_db()
    assert assignment.logged_at == transition.created_at
    seen = board_row(client, report, our_section)["last_activity"]
    assert seen == transition.created_at and (before is None or seen >= before)

    assert assignment.remind(coordinator)
    assignment.refresh_from_db()
    reminded = assignment.transitions.latest("created_at")
    assert assignment.logged_at == reminded.created_at
    assert board_row(client, report, our_section)["last_activity"] == reminded.created_at


def test_a_refused_move_leaves_the_summary_as_it_was(report, our_section, drafter, other_drafter):
    assignment = Assignment.objects.get(section=our_section)
    assignment.submit(drafter)
    assignment.refresh_from_db()
    logged_at, note = assignment.logged_at, assignment.return_note
    with pytest.raises((PermissionDenied, ValidationError)):
        assignment.send_back(other_drafter, "不是本单位的人")
    assignment.refresh_from_db()
    assert (assignment.logged_at, assignment.return_note, assignment.state) == (
        logged_at,
        note,
        AssignmentState.SUBMITTED,
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_summarises_the_log_already_kept(office, department, coordinator):
    executor = MigrationExecutor(connection)
    executor.migrate([("reports", "0018_exportfile_fingerprint")])
    old = executor.loader.project_state([("reports", "0018_exportfile_fingerprint")]).apps
    Report = old.get_model("reports", "Report")
    Section = old.get_model("reports", "Section")
    OldAssignment = old.get_model("reports", "Assignment")
    Transition = old.get_model("reports", "AssignmentTransition")
    report = Report.objects.create(title="关于测试的报告", lead_department_id=office.pk, created_by_id=coordinator.pk)
    now = timezone.now()

    def assignment_with(*moves):
        section = Section.objects.create(report=report, position=Section.objects.count(), heading="在测试方面")
        assignment = OldAssignment.objects.create(section=section, department_id=department.pk, state="draft")
        for minutes, action, from_state, to_state, comment in moves:
            entry = Transition.objects.create(
                assignment=assignment, action=action, from_state=from_state, to_state=to_state, comment=comment
            )
            Transition.objects.filter(pk=entry.pk).update(created_at=now + datetime.timedelta(minutes=minutes))
        return assignment.pk

    sent_back = assignment_with(
        (1, "assign", "", "draft", ""),
        (2, "submit", "draft", "submitted", ""),
        (3, "send_back", "submitted", "draft", "数据不全"),
        (4, "comment", "draft", "draft", "正在补充"),
    )
    moved_on = assignment_with(
        (1, "assign", "", "draft", ""),
        (2, "submit", "draft", "submitted", ""),
        (3, "send_back", "submitted", "draft", "数据不全"),
        (5, "submit", "draft", "submitted", ""),
    )
    never_logged = OldAssignment.objects.create(
        section=Section.objects.create(report=report, position=9, heading="在空白方面"), department_id=department.pk
    ).pk

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    first = Assignment.objects.get(pk=sent_back)
    assert first.return_note == "数据不全"
    assert first.logged_at == now + datetime.timedelta(minutes=4)
    second = Assignment.objects.get(pk=moved_on)
    assert second.return_note == ""
    assert second.logged_at == now + datetime.timedelta(minutes=5)
    third = Assignment.objects.get(pk=never_logged)
    assert (third.return_note, third.logged_at) == ("", None)
