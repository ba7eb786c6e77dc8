"""The coordinator's board: every section with its department, state, deadline, overdue flag,
last activity, placeholders, 签发后改动, 会签 progress and proofreading counts; the page estimate;
counts, progress, filters, accept/return, 催办, CSV."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports.models import Assignment, AssignmentState, Department, Measure, Report, Role, Section
from tests import urlsweep
from tests.conftest import set_assignment_state

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

S = AssignmentState


def board(client, report, **params):
    return client.get(reverse("reports:report-board", args=[report.pk]), params)


def test_the_coordinator_sees_every_section_with_its_state_and_department(login, report, coordinator):
    response = board(login(coordinator), report)
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "一、",
        "强化组织领导",
        "（一）",
        "在提升政务服务效能方面",
        "县发改局",
        "县财政局",
        "起草中",
        "牵头单位",
    ):
        assert text in page
    assert [row["heading"] for row in response.context["rows"]] == [
        "强化组织领导",
        "推动举措落地",
        "在提升政务服务效能方面",
        "在强化要素保障方面",
    ]


def test_counts_per_state_and_progress(login, report, coordinator, signer):
    set_assignment_state(report.our_section.assignment, S.ACCEPTED, signer)
    set_assignment_state(report.their_section.assignment, S.SUBMITTED)
    response = board(login(coordinator), report)
    counts = {item["state"]: item["count"] for item in response.context["counts"]}
    assert counts == {"draft": 0, "submitted": 1, "signed_off": 0, "accepted": 1, "returned": 0}
    page = response.content.decode()
    assert '<progress id="board-progress" class="board-progress w-100" max="2" value="1">' in page
    assert "已采用1节，共分派2节" in page


def test_overdue_sections_are_flagged(login, report, coordinator):
    Assignment.objects.filter(pk=report.our_section.assignment.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = board(login(coordinator), report)
    rows = {row["pk"]: row for row in response.context["rows"]}
    assert rows[report.our_section.pk]["overdue"]
    assert not rows[report.their_section.pk]["overdue"]
    assert response.content.decode().count('data-testid="overdue"') == 1


def test_the_placeholder_count_and_last_activity_are_shown(login, report, coordinator, drafter):
    Measure.objects.create(section=report.our_section, position=5, lead="新增X项", body="共XX家。")
    report.our_section.assignment.comment(drafter, "请牵头单位确认口径。")
    response = board(login(coordinator), report)
    rows = {row["pk"]: row for row in response.context["rows"]}
    assert rows[report.our_section.pk]["placeholders"] == 2
    assert rows[report.their_section.pk]["placeholders"] == 0
    transition = report.our_section.assignment.transitions.get()
    assert rows[report.our_section.pk]["last_activity"] >= transition.created_at


def test_filter_by_state_and_department(login, report, coordinator, department, other_department):
    set_assignment_state(report.our_section.assignment, S.SUBMITTED)
    client = login(coordinator)
    rows = board(client, report, state="submitted").context["rows"]
    assert [row["pk"] for row in rows] == [report.our_section.pk]
    rows = board(client, report, department=other_department.pk).context["rows"]
    assert [row["pk"] for row in rows] == [report.their_section.pk]
    rows = board(client, report, state="submitted", department=other_department.pk).context["rows"]
    assert rows == []


@pytest.mark.parametrize(
    "params",
    [
        {"state": "bogus"},
        {"department": "abc"},
        {"department": "999999"},
        # isdigit() says yes to both; int() refused them with a 500.
        {"department": "²"},
        {"department": "9" * 4301},
    ],
)
def test_unknown_filters_are_ignored(login, report, coordinator, params):
    response = board(login(coordinator), report, **params)
    assert response.status_code == 200
    assert len(response.context["rows"]) == 4


def test_only_the_reports_coordinators_see_the_board(client, report, drafter, other_coordinator, superuser):
    url = reverse("reports:report-board", args=[report.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(drafter)
    assert client.get(url).status_code == 403  # contributes, does not coordinate
    client.force_login(other_coordinator)
    assert client.get(url).status_code == 404
    client.force_login(superuser)
    assert client.get(url).status_code == 200


def test_accept_from_the_board_comes_back_to_the_board(login, report, coordinator, signer):
    set_assignment_state(report.our_section.assignment, S.SIGNED_OFF, signer)
    client = login(coordinator)
    accept = reverse("drafting:section-action", args=[report.our_section.pk, "accept"])
    page = board(client, report, state="signed_off").content.decode()
    # What the browser posts for the row's button: the board's one form, to the button's action.
    (form,) = [f for f in urlsweep.forms_on("http://testserver/", page) if f.action == "http://testserver" + accept]
    response = client.post(accept, urlsweep.form_data(form))
    assert response["Location"] == reverse("reports:report-board", args=[report.pk]) + "?state=signed_off"
    report.our_section.assignment.refresh_from_db()
    assert report.our_section.assignment.state == S.ACCEPTED


def test_return_from_the_board_needs_a_note(login, report, coordinator, signer):
    set_assignment_state(report.our_section.assignment, S.SIGNED_OFF, signer)
    client = login(coordinator)
    url = reverse("drafting:section-action", args=[report.our_section.pk, "return"])
    next_url = reverse("reports:report-board", args=[report.pk])
    response = client.post(url, {"next": next_url, "comment": ""}, follow=True)
    assert "请写明需要修改的内容。" in response.content.decode()
    report.our_section.assignment.refresh_from_db()
    assert report.our_section.assignment.state == S.SIGNED_OFF
    client.post(url, {"next": next_url, "comment": "数据口径请与统计局一致。"})
    report.our_section.assignment.refresh_from_db()
    assert report.our_section.assignment.state == S.RETURNED


def test_remind_emails_the_departments_members_once_a_day(
    login, report, coordinator, drafter, signer, other_drafter, django_capture_on_commit_callbacks
):
    client = login(coordinator)
    url = reverse("reports:board-remind", args=[report.pk, report.our_section.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "已向县发改局发送催办提醒。" in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["drafter@example.invalid", "signer@example.invalid"]
    assert "催办" in mail.outbox[0].subject
    assignment = report.our_section.assignment
    assignment.refresh_from_db()
    assert assignment.last_reminded_on == timezone.localdate()
    assert assignment.transitions.get().action == "remind"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "今天已催办过县发改局。" in response.content.decode()
    assert len(mail.outbox) == 2


def test_only_coordinators_can_remind(login, report, drafter):
    client = login(drafter)
    response = client.post(reverse("reports:board-remind", args=[report.pk, report.our_section.pk]))
    assert response.status_code == 403
    report.our_section.assignment.refresh_from_db()
    assert report.our_section.assignment.last_reminded_on is None
    assert mail.outbox == []


def test_reminding_an_unassigned_or_accepted_section_says_why(login, report, coordinator, signer):
    client = login(coordinator)
    response = client.post(reverse("reports:board-remind", args=[report.pk, report.first_section.pk]), follow=True)
    assert "无需催办" in response.content.decode()
    set_assignment_state(report.our_section.assignment, S.ACCEPTED, signer)
    response = client.post(reverse("reports:board-remind", args=[report.pk, report.our_section.pk]), follow=True)
    assert "责任单位已完成其环节，无需催办。" in response.content.decode()
    assert mail.outbox == []


def test_the_csv_opens_in_excel_with_its_chinese(login, report, coordinator):
    set_assignment_state(report.our_section.assignment, S.SUBMITTED)
    response = login(coordinator).get(reverse("reports:report-board-csv", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["序号", "标题", "责任单位", "状态", "截止日期", "已逾期", "最近动态", "待填占位符", "空举措"]
    assert rows[3][:4] == ["（一）", "在提升政务服务效能方面", "测试县发展和改革局", "待签发"]
    assert rows[3][4] == report.deadline.isoformat()
    assert len(rows) == 5


def test_the_csv_follows_the_filters_and_is_for_coordinators_only(login, report, coordinator, drafter):
    url = reverse("reports:report-board-csv", args=[report.pk])
    rows = list(csv.reader(io.StringIO(login(coordinator).get(url, {"state": "draft"}).content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["在提升政务服务效能方面", "在强化要素保障方面"]
    assert login(drafter).get(url).status_code == 403


def build_report(office, departments, coordinator, sections):
    """A report with `sections` level-2 sections under one heading, assigned round-robin."""
    report = Report.objects.create(title=f"{sections}节报告", lead_department=office, created_by=coordinator)
    top = Section.objects.create(report=report, position=0, heading="总体情况")
    children = Section.objects.bulk_create(
        Section(report=report, parent=top, position=n, heading=f"第{n}方面") for n in range(sections)
    )
    Measure.objects.bulk_create(
        Measure(section=section, position=m, lead=f"举措{m}", body="共X项。") for section in children for m in range(2)
    )
    assignments = Assignment.objects.bulk_create(
        Assignment(section=section, department=departments[n % len(departments)], state=list(S)[n % 5])
        for n, section in enumerate(children)
    )
    for assignment in assignments[:5]:
        assignment.comment(coordinator, "请按时报送。")
    return report


def test_the_boards_query_count_does_not_grow_with_the_sections(
    client, office, department, other_department, coordinator, django_assert_max_num_queries
):
    small = build_report(office, [department, other_department], coordinator, 10)
    large = build_report(office, [department, other_department], coordinator, 100)
    client.force_login(coordinator)
    counts = {}
    for report in (small, large):
        for name in ("reports:report-board", "reports:report-board-csv"):
            url = reverse(name, args=[report.pk])
            client.get(url)  # warm the session
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200
            counts[report.pk, name] = len(queries)
    for name in ("reports:report-board", "reports:report-board-csv"):
        assert counts[small.pk, name] == counts[large.pk, name]
        # The page itself (its attachments scanned for placeholders too), the navigation's unread count, and the session and user.
        with django_assert_max_num_queries(11):
            client.get(reverse(name, args=[large.pk]))
    assert len(client.get(reverse("reports:report-board", args=[large.pk])).context["rows"]) == 101


HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(2)>', "{{ request.user.username }}"]


def test_headings_department_names_and_the_title_show_as_text(login, report, coordinator, department):
    Report.objects.filter(pk=report.pk).update(title=HOSTILE[0])
    Section.objects.filter(pk=report.first_section.pk).update(heading=HOSTILE[1])
    Section.objects.filter(pk=report.our_section.pk).update(heading=HOSTILE[2])
    department.short_name = HOSTILE[0]
    department.save()
    page = board(login(coordinator), report).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # title, breadcrumb, department
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    # Shown as typed, not rendered as a template.
    assert "{{ request.user.username }}" in page


# Sign-off marks, 会签 progress and proofreading on the board ---------------------------------


def board_row(page, section):
    start = page.index(f'data-section="{section.pk}"')
    return page[start : page.index("</tr>", start)]


def test_a_row_changed_after_sign_off_is_marked_and_only_that_row(login, report, coordinator, drafter, signer):
    from reports import content

    ours, theirs = report.our_section, report.their_section
    assignment = ours.assignment
    assignment.submit(drafter)
    assignment.sign_off(signer)
    assignment.accept(coordinator)
    set_assignment_state(theirs.assignment, S.SIGNED_OFF, signer)
    page = board(login(coordinator), report).content.decode()
    assert 'data-testid="changed-after-sign-off"' not in page
    measures = [content.MeasureText(m.pk, m.lead, m.body) for m in ours.measures.all()]
    content.save_content(ours, coordinator, intro="牵头单位补充。", measures=measures, note="统一口径")
    page = board(login(coordinator), report).content.decode()
    assert "签发后改动" in board_row(page, ours)
    assert 'data-testid="changed-after-sign-off"' not in board_row(page, theirs)


def test_a_change_waiting_for_its_signer_is_marked_and_the_board_does_not_call_the_report_ready(
    login, report, coordinator, drafter, signer, other_signer
):
    from reports import content

    report.reconfirm_changes = True
    report.issued_on = datetime.date(2025, 12, 5)
    report.save()
    ours, theirs = report.our_section, report.their_section
    assignment = ours.assignment
    assignment.submit(drafter)
    assignment.sign_off(signer)
    assignment.accept(coordinator)
    set_assignment_state(theirs.assignment, S.ACCEPTED, other_signer)
    client = login(coordinator)
    page = board(client, report).content.decode()
    assert "所有分派章节均已采用" in page and 'data-testid="awaiting-confirmation"' not in page
    measures = [content.MeasureText(m.pk, m.lead, m.body) for m in ours.measures.all()]
    content.save_content(ours, coordinator, intro="牵头单位补充。", measures=measures, note="统一口径")
    page = board(client, report).content.decode()
    assert "待签发人确认" in board_row(page, ours)
    assert "1 节签发后有改动，尚待签发人确认或提出异议。" in page
    assert "所有分派章节均已采用" not in page
    assignment.refresh_from_db()
    assignment.confirm_change(signer)
    page = board(client, report).content.decode()
    assert 'data-testid="awaits-confirmation"' not in page and 'data-testid="awaiting-confirmation"' not in page
    assert "签发后改动" in board_row(page, ours)  # confirmed, still not the text signed
    assert "所有分派章节均已采用" in page


def test_co_signing_progress_is_shown_per_row(login, report, coordinator, drafter, other_department):
    from tests.conftest import make_user

    third = Department.objects.create(name="县住建局", short_name="县住建局", position=9)
    assignment = report.our_section.assignment
    assignment.set_co_departments(coordinator, [other_department, third])
    client = login(coordinator)
    row = board_row(board(client, report).content.decode(), report.our_section)
    assert "会签 0/2" in row
    assert 'data-testid="cosign-progress"' not in board_row(
        board(client, report).content.decode(), report.their_section
    )
    assignment.submit(drafter)
    assignment.cosign(make_user("zhujian", third, Role.SIGNER), "同意")
    row = board_row(board(client, report).content.decode(), report.our_section)
    assert "会签 1/2" in row


def test_proofreading_counts_per_row_and_the_page_estimate(login, report, coordinator):
    ours, theirs = report.our_section, report.their_section
    Measure.objects.filter(section=ours, position=1).update(body="全程网办率达到90%。。群众满意“度高。")
    client = login(coordinator)
    page = board(client, report).content.decode()
    ours_row = board_row(page, ours)
    counts = ours_row[ours_row.index('data-testid="proofreading-counts"') :]
    assert "错误 1" in counts  # the unpaired quotation mark
    assert "警告 1" in counts  # the doubled 。
    theirs_row = board_row(page, theirs)
    assert theirs_row[theirs_row.index('data-testid="proofreading-counts"') :].startswith(
        'data-testid="proofreading-counts">0<'
    )
    estimate = page[page.index('data-testid="page-estimate"') :]
    assert "全文约 1 页" in estimate and "text-danger" not in estimate[: estimate.index("</p>")]

    # Over the office's page limit: the estimate turns red.
    # Saved as the admin saves it (a queryset update() would bypass the section's tally).
    Report.objects.filter(pk=report.pk).update(page_limit=1)
    first = report.first_section
    first.intro = "县委专题研究部署。\n" * 200
    first.save()
    estimate = board(client, report).content.decode()
    estimate = estimate[estimate.index('data-testid="page-estimate"') :]
    estimate = estimate[: estimate.index("</p>")]
    assert "text-danger" in estimate and "（限 1 页）" in estimate
    assert "全文约 10 页" in estimate


def test_every_link_and_form_of_the_rows_goes_where_reverse_says(login, report, coordinator, signer):
    # The rows write their links from two base URLs: each must be the URL its name gives.
    set_assignment_state(report.our_section.assignment, S.SIGNED_OFF, signer)
    page = board(login(coordinator), report).content.decode()
    our, their = report.our_section.pk, report.their_section.pk
    for section in report.sections.all():
        assert f'href="{reverse("drafting:section-review", args=[section.pk])}"' in page
    assert f'formaction="{reverse("drafting:section-action", args=[our, "accept"])}"' in page
    assert f' action="{reverse("drafting:section-action", args=[our, "return"])}"' in page
    assert f'formaction="{reverse("reports:board-remind", args=[report.pk, their])}"' in page
    # Signed off: nothing to remind; not signed off: nothing to accept.
    assert f'action="{reverse("reports:board-remind", args=[report.pk, our])}"' not in page
    assert f'action="{reverse("drafting:section-action", args=[their, "accept"])}"' not in page


def test_the_sections_base_url_leads_to_the_users_sections(login, drafter):
    response = login(drafter).get(reverse("drafting:sections"))
    assert response.status_code == 302
    assert response["Location"] == reverse("drafting:dashboard")


def test_a_section_reminded_today_shows_its_remind_button_disabled(
    login, report, coordinator, django_capture_on_commit_callbacks
):
    client = login(coordinator)
    remind = reverse("reports:board-remind", args=[report.pk, report.our_section.pk])
    page = board(client, report).content.decode()
    assert page.count('data-action="remind" disabled') == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(remind)
    page = board(client, report).content.decode()
    button = page[page.index(f'formaction="{remind}"') :]
    button = button[: button.index("</button>")]
    assert 'data-action="remind" disabled title="今天已催办"' in button
    assert page.count('data-action="remind" disabled') == 1  # the other department's is not
