"""E-mail on assignment, submission, sign-off, send-back/return and finalisation; preferences;
`send_reminders` at most once a day per section."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from reports.models import Assignment, AssignmentState, NotificationKind, NotificationPreference
from tests.conftest import set_assignment_state
from tests.smtp_server import closed_port, smtp_mailers

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

S = AssignmentState


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_submission_goes_to_the_departments_signers(report, drafter, signer, other_signer, commit):
    commit(report.our_section.assignment.submit, drafter)
    assert recipients() == ["signer@example.invalid"]
    message = mail.outbox[0]
    assert message.subject == "【汇稿】待您签发：（一）在提升政务服务效能方面"
    assert "关于测试工作情况的报告" in message.body
    assert "李撰稿 · 已提交" in message.body
    assert f"/sections/{report.our_section.pk}/" in message.body


def test_a_sign_off_goes_to_the_coordinators(report, drafter, signer, coordinator, commit):
    set_assignment_state(report.our_section.assignment, S.SUBMITTED)
    commit(report.our_section.assignment.sign_off, signer)
    assert recipients() == ["coordinator@example.invalid"]
    assert mail.outbox[0].subject == "【汇稿】县发改局已签发：（一）在提升政务服务效能方面"


def test_a_send_back_goes_to_the_drafters_with_the_note(report, drafter, signer, commit):
    set_assignment_state(report.our_section.assignment, S.SUBMITTED)
    commit(report.our_section.assignment.send_back, signer, "第二条请补充数据来源。")
    assert recipients() == ["drafter@example.invalid"]
    assert "意见：第二条请补充数据来源。" in mail.outbox[0].body


def test_a_return_goes_to_the_drafters_with_the_note(report, drafter, signer, coordinator, commit):
    set_assignment_state(report.our_section.assignment, S.SIGNED_OFF, signer)
    commit(report.our_section.assignment.return_to_department, coordinator, "口径与统计局不一致。")
    assert recipients() == ["drafter@example.invalid"]
    assert mail.outbox[0].subject == "【汇稿】牵头单位退回修改：（一）在提升政务服务效能方面"
    assert "意见：口径与统计局不一致。" in mail.outbox[0].body


def test_an_assignment_goes_to_the_departments_members(report, coordinator, other_drafter, other_signer, commit):
    commit(Assignment.assign, report.first_section, other_drafter.memberships.get().department, coordinator)
    assert recipients() == ["other_drafter@example.invalid", "other_signer@example.invalid"]
    assert mail.outbox[0].subject == "【汇稿】县财政局有新分派的章节：一、强化组织领导"


def test_finalising_and_reopening_go_to_everyone_on_the_report(
    report, coordinator, drafter, signer, other_drafter, other_signer, other_coordinator, commit
):
    for section in (report.our_section, report.their_section):
        set_assignment_state(section.assignment, S.ACCEPTED, signer)
    report.issued_on = datetime.date(2025, 12, 5)
    report.save()
    commit(report.finalise, coordinator)
    everyone = [
        "drafter@example.invalid",
        "other_drafter@example.invalid",
        "other_signer@example.invalid",
        "signer@example.invalid",
    ]
    assert recipients() == everyone  # not the coordinator who did it, not another office
    assert mail.outbox[0].subject == "【汇稿】报告已定稿：关于测试工作情况的报告"
    mail.outbox.clear()
    commit(report.reopen, coordinator, "补充第四季度数据。")
    assert recipients() == everyone
    assert "原因：补充第四季度数据。" in mail.outbox[0].body


def test_nobody_hears_of_their_own_move_and_comments_send_nothing(report, drafter, signer, commit):
    commit(report.our_section.assignment.comment, signer, "我先看一下。")
    set_assignment_state(report.our_section.assignment, S.SUBMITTED)
    commit(report.our_section.assignment.withdraw, drafter)
    assert mail.outbox == []


def test_a_refused_move_sends_nothing(report, drafter, commit):
    with pytest.raises(PermissionDenied):
        commit(report.our_section.assignment.sign_off, drafter)
    assert mail.outbox == []


def test_a_user_who_turned_a_kind_off_gets_none_of_it(report, drafter, signer, commit):
    NotificationPreference.objects.create(user=signer, kind=NotificationKind.SUBMITTED, enabled=False)
    NotificationPreference.objects.create(user=drafter, kind=NotificationKind.SENT_BACK, enabled=True)
    commit(report.our_section.assignment.submit, drafter)
    assert mail.outbox == []
    commit(report.our_section.assignment.send_back, signer, "请补充。")
    assert recipients() == ["drafter@example.invalid"]


def test_users_without_an_address_are_skipped(report, drafter, signer, commit):
    signer.email = ""
    signer.save()
    commit(report.our_section.assignment.submit, drafter)
    assert mail.outbox == []


def test_a_broken_mail_server_does_not_break_the_move(report, drafter, signer, commit, settings):
    # Tasks run at once here (as with TASKS_IMMEDIATE): the send fails inside the move's request.
    # tests/test_tasks.py has the worker's retries.
    settings.MAILERS = smtp_mailers(closed_port())
    commit(report.our_section.assignment.submit, drafter)
    report.our_section.assignment.refresh_from_db()
    assert report.our_section.assignment.state == S.SUBMITTED
    assert mail.outbox == []


def test_the_settings_page_turns_each_kind_off_and_on(login, drafter):
    client = login(drafter)
    url = reverse("drafting:notification-settings")
    page = client.get(url).content.decode()
    for kind in NotificationKind:
        assert f'name="{kind.value}"' in page
    assert "有章节分派给本部门" in page
    response = client.post(url, {"assigned": "on", "reminder": "on"}, follow=True)
    assert "通知设置已保存。" in response.content.decode()
    disabled = set(NotificationPreference.objects.filter(user=drafter, enabled=False).values_list("kind", flat=True))
    assert disabled == {"submitted", "signed_off", "accepted", "sent_back", "finalised"}
    client.post(url, {kind.value: "on" for kind in NotificationKind})
    assert not NotificationPreference.objects.filter(user=drafter, enabled=False).exists()


def test_the_settings_page_needs_login(client):
    response = client.get(reverse("drafting:notification-settings"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def due_in(assignment, days):
    Assignment.objects.filter(pk=assignment.pk).update(deadline=timezone.localdate() + datetime.timedelta(days=days))


def send_reminders(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_send_reminders_reminds_due_and_overdue_sections_once_a_day(report, drafter, signer, other_drafter):
    due_in(report.our_section.assignment, 2)
    due_in(report.their_section.assignment, -3)
    assert send_reminders("--days", "3") == "Sent 2 reminder(s).\n"
    assert recipients() == ["drafter@example.invalid", "other_drafter@example.invalid", "signer@example.invalid"]
    overdue = next(m for m in mail.outbox if m.to == ["other_drafter@example.invalid"])
    assert overdue.subject == "【汇稿】催办：（二）在强化要素保障方面已逾期"
    assert send_reminders("--days", "3") == "Sent 0 reminder(s).\n"
    assert len(mail.outbox) == 3
    report.our_section.assignment.refresh_from_db()
    assert report.our_section.assignment.last_reminded_on == timezone.localdate()


@pytest.mark.django_db(transaction=True)
def test_send_reminders_skips_far_deadlines_accepted_sections_and_final_reports(report, drafter, signer):
    due_in(report.our_section.assignment, 10)
    due_in(report.their_section.assignment, -1)
    set_assignment_state(report.their_section.assignment, S.ACCEPTED, signer)
    assert send_reminders("--days", "3") == "Sent 0 reminder(s).\n"
    assert send_reminders("--days", "10") == "Sent 1 reminder(s).\n"
    due_in(report.their_section.assignment, -1)
    Assignment.objects.filter(pk=report.our_section.assignment.pk).update(last_reminded_on=None)
    report.is_final = True
    report.save()
    assert send_reminders("--days", "30") == "Sent 0 reminder(s).\n"


@pytest.mark.django_db(transaction=True)
def test_send_reminders_reminds_again_the_next_day(report, drafter, signer):
    due_in(report.our_section.assignment, -1)
    Assignment.objects.filter(pk=report.our_section.assignment.pk).update(
        last_reminded_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert send_reminders() == "Sent 1 reminder(s).\n"


def test_send_reminders_refuses_negative_days(db):
    with pytest.raises(CommandError):
        send_reminders("--days", "-1")
