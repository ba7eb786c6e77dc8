"""The inbox: a notification for every event that e-mails, for the same people and with the same
preferences; newest first, unread marked, opened and marked read; the unread count in the navigation."""

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from drafting.models import Notification
from reports.models import Assignment, AssignmentState, NotificationKind, NotificationPreference
from tests.conftest import set_assignment_state

S = AssignmentState
INBOX = reverse("drafting:inbox")
OPEN = reverse("drafting:inbox-open")


def inbox_of(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", "title"))


def test_a_submission_reaches_the_signers_inbox_with_the_e_mail(report, drafter, signer, commit):
    commit(report.our_section.assignment.submit, drafter)
    (notification,) = Notification.objects.all()
    assert notification.recipient == signer
    assert notification.kind == NotificationKind.SUBMITTED
    assert notification.title == mail.outbox[0].subject
    assert notification.url == reverse("drafting:section-edit", args=[report.our_section.pk])
    assert "李撰稿 · 已提交" in notification.body
    assert notification.read_at is None


def test_a_send_back_reaches_the_drafters_with_its_comment(report, drafter, signer, commit):
    set_assignment_state(report.our_section.assignment, S.SUBMITTED)
    commit(report.our_section.assignment.send_back, signer, "第二条请补充数据来源。")
    (notification,) = Notification.objects.filter(recipient=drafter)
    assert notification.kind == NotificationKind.SENT_BACK
    assert "意见：第二条请补充数据来源。" in notification.body
    assert not Notification.objects.filter(recipient=signer).exists()


def test_a_return_reaches_the_drafters_with_its_comment(report, drafter, signer, coordinator, commit):
    set_assignment_state(report.our_section.assignment, S.SIGNED_OFF, signer)
    commit(report.our_section.assignment.return_to_department, coordinator, "口径与统计局不一致。")
    (notification,) = Notification.objects.filter(recipient=drafter)
    assert notification.title == "【汇稿】牵头单位退回修改：（一）在提升政务服务效能方面"
    assert "意见：口径与统计局不一致。" in notification.body


def test_assignment_sign_off_and_acceptance_reach_their_people(
    report, coordinator, drafter, signer, other_drafter, other_signer, commit
):
    commit(Assignment.assign, report.first_section, other_drafter.memberships.get().department, coordinator)
    assert inbox_of(other_drafter) == [(NotificationKind.ASSIGNED, "【汇稿】县财政局有新分派的章节：一、强化组织领导")]
    assert [kind for kind, _ in inbox_of(other_signer)] == [NotificationKind.ASSIGNED]

    set_assignment_state(report.our_section.assignment, S.SUBMITTED)
    commit(report.our_section.assignment.sign_off, signer)
    assert [kind for kind, _ in inbox_of(coordinator)] == [NotificationKind.SIGNED_OFF]

    commit(report.our_section.assignment.accept, coordinator)
    assert [kind for kind, _ in inbox_of(drafter)] == [NotificationKind.ACCEPTED]
    assert "牵头单位已采用" in mail.outbox[-1].subject
    assert sorted(mail.outbox[-1].to + mail.outbox[-2].to) == ["drafter@example.invalid", "signer@example.invalid"]


def test_a_reminder_and_finalising_and_reopening_reach_the_inbox(report, coordinator, drafter, signer, commit):
    commit(report.our_section.assignment.remind, coordinator)
    assert [kind for kind, _ in inbox_of(drafter)] == [NotificationKind.REMINDER]
    for section in (report.our_section, report.their_section):
        set_assignment_state(section.assignment, S.ACCEPTED, signer)
    report.issued_on = timezone.localdate()
    report.save()
    commit(report.finalise, coordinator)
    commit(report.reopen, coordinator, "补充数据")
    kinds = [kind for kind, _ in inbox_of(signer)]
    assert kinds == [NotificationKind.FINALISED, NotificationKind.FINALISED, NotificationKind.REMINDER]
    newest = Notification.objects.filter(recipient=signer).first()
    assert "补充数据" in newest.body
    assert newest.url == report.get_absolute_url()
    assert not Notification.objects.filter(recipient=coordinator).exists()


def test_a_kind_turned_off_reaches_neither_e_mail_nor_inbox(report, drafter, signer, commit):
    NotificationPreference.objects.create(user=signer, kind=NotificationKind.SUBMITTED, enabled=False)
    commit(report.our_section.assignment.submit, drafter)
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_user_without_an_e_mail_address_still_gets_the_inbox_notification(report, drafter, signer, commit):
    signer.email = ""
    signer.save()
    commit(report.our_section.assignment.submit, drafter)
    assert mail.outbox == []
    assert inbox_of(signer) != []


def test_the_inbox_lists_the_users_notifications_newest_first_with_unread_marked(login, drafter, signer):
    old = Notification.objects.create(
        recipient=drafter, kind="assigned", title="旧消息", read_at=timezone.now(), created_at=timezone.now()
    )
    new = Notification.objects.create(recipient=drafter, kind="reminder", title="新消息")
    Notification.objects.create(recipient=signer, kind="submitted", title="别人的消息")
    response = login(drafter).get(INBOX)
    rows = response.context["rows"]
    assert [(row["pk"], row["unread"]) for row in rows] == [(new.pk, True), (old.pk, False)]
    page = response.content.decode()
    assert "别人的消息" not in page
    assert page.count("data-unread") == 1


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(login, drafter, report):
    url = reverse("drafting:section-edit", args=[report.our_section.pk])
    notification = Notification.objects.create(recipient=drafter, kind="assigned", title="新章节", url=url)
    response = login(drafter).post(OPEN, {"notification": notification.pk})
    assert response.status_code == 302 and response.url == url
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_notification_pointing_off_site_opens_the_inbox(login, drafter):
    notification = Notification.objects.create(recipient=drafter, kind="assigned", title="x", url="//evil.example/")
    response = login(drafter).post(OPEN, {"notification": notification.pk})
    assert response.url == INBOX


def test_nobody_opens_or_marks_another_users_notification(login, drafter, signer):
    theirs = Notification.objects.create(recipient=signer, kind="submitted", title="别人的消息")
    client = login(drafter)
    assert client.post(OPEN, {"notification": theirs.pk}).status_code == 404
    client.post(reverse("drafting:inbox-read-all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_needs_a_post_and_a_number(login, drafter):
    notification = Notification.objects.create(recipient=drafter, kind="assigned", title="x")
    client = login(drafter)
    assert client.get(OPEN, {"notification": notification.pk}).status_code == 405
    response = client.post(OPEN, {"notification": "abc"}, follow=True)
    assert "没有这条消息。" in response.content.decode()
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(login, drafter):
    for n in range(3):
        Notification.objects.create(recipient=drafter, kind="assigned", title=f"消息{n}")
    response = login(drafter).post(reverse("drafting:inbox-read-all"), follow=True)
    assert "所有消息已标为已读。" in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_navigation_shows_the_unread_count(login, drafter):
    for n in range(3):
        Notification.objects.create(recipient=drafter, kind="assigned", title=f"消息{n}")
    Notification.objects.create(recipient=drafter, kind="assigned", title="已读", read_at=timezone.now())
    page = login(drafter).get(reverse("drafting:dashboard")).content.decode()
    assert '<span class="badge text-bg-warning" data-testid="unread-count">3</span>' in page


def test_the_unread_count_is_one_query(login, drafter, rf):
    from drafting.context_processors import unread_notifications

    Notification.objects.create(recipient=drafter, kind="assigned", title="消息")
    request = rf.get("/")
    request.user = drafter
    with CaptureQueriesContext(connection) as queries:
        count = unread_notifications(request)["unread_notifications"]
        assert int(str(count)) == 1
        assert bool(count)
    assert len(queries) == 1
    assert "COUNT" in queries[0]["sql"].upper()


def test_notification_text_is_escaped(login, drafter):
    Notification.objects.create(recipient=drafter, kind="assigned", title="<b>标题</b>", body="<script>x()</script>")
    page = login(drafter).get(INBOX).content.decode()
    assert "<b>标题</b>" not in page and "<script>x()" not in page
    assert "&lt;b&gt;标题&lt;/b&gt;" in page


def test_the_inbox_needs_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
