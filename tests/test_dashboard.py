"""My sections: every section of the user's departments in open reports, and coordinators' reports."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from drafting.models import Notification
from reports.models import Assignment, AssignmentState, Measure, Report, Section
from tests.conftest import make_user


def rows(response):
    return {row.section_pk: row for group in response.context["groups"] for row in group.rows}


def test_a_drafter_sees_their_section_with_label_counts_and_next_action(login, drafter, our_section, their_section):
    Measure.objects.filter(section=our_section, position=0).update(body="梳理形成清单X项。")
    response = login(drafter).get(reverse("drafting:dashboard"))
    assert response.status_code == 200
    mine = rows(response)
    assert set(mine) == {our_section.pk}
    row = mine[our_section.pk]
    assert row.label == "（一）"
    assert row.placeholders == 1
    assert row.chars == len("推行一件事一次办梳理形成清单X项。深化一网通办全程网办率达到90%。")
    html = response.content.decode()
    assert "在提升政务服务效能方面" in html
    assert "在强化要素保障方面" not in html
    assert "编辑" in html  # a placeholder is still open: the next thing to do is editing


def test_a_complete_draft_suggests_submitting(login, drafter, our_section):
    row = rows(login(drafter).get(reverse("drafting:dashboard")))[our_section.pk]
    assert row.action == "提交"
    assert row.action_url == reverse("drafting:section-edit", args=[our_section.pk])


def test_a_signer_is_asked_to_sign_off_a_submitted_section(login, signer, drafter, our_section):
    our_section.assignment.state = AssignmentState.SUBMITTED
    our_section.assignment.save()
    assert rows(login(signer).get(reverse("drafting:dashboard")))[our_section.pk].action == "签发"
    row = rows(login(drafter).get(reverse("drafting:dashboard")))[our_section.pk]
    assert row.action == "待签发"
    assert row.action_url is None


def test_a_coordinator_sees_every_assigned_section_of_their_report(login, coordinator, our_section, their_section):
    our_section.assignment.state = AssignmentState.SIGNED_OFF
    our_section.assignment.save()
    response = login(coordinator).get(reverse("drafting:dashboard"))
    seen = rows(response)
    assert set(seen) == {our_section.pk, their_section.pk}
    assert seen[our_section.pk].action == "采用"
    assert seen[their_section.pk].action == "查看"
    html = response.content.decode()
    assert "我牵头" in html
    assert "县发改局" in html and "县财政局" in html


def test_another_coordinating_office_sees_nothing_of_this_report(login, other_coordinator, report):
    response = login(other_coordinator).get(reverse("drafting:dashboard"))
    assert response.context["groups"] == []
    assert report.title not in response.content.decode()


def test_sections_of_final_reports_are_not_listed(login, drafter, report):
    report.is_final = True
    report.save()
    response = login(drafter).get(reverse("drafting:dashboard"))
    assert response.context["groups"] == []


def test_deadlines_overdue_in_red_and_due_soon_in_amber(login, drafter, signer, our_section, department, report):
    today = timezone.localdate()
    our_section.assignment.deadline = today - datetime.timedelta(days=1)
    our_section.assignment.save()
    soon = Section.objects.create(report=report, position=9, heading="在优化审批方面")
    Assignment.objects.create(section=soon, department=department, deadline=today + datetime.timedelta(days=2))
    html = login(drafter).get(reverse("drafting:dashboard")).content.decode()
    assert 'class="deadline-overdue"' in html and "已逾期" in html
    assert 'class="deadline-soon"' in html and "即将到期" in html


def test_the_state_is_a_badge_in_its_state_colour(login, drafter, our_section):
    our_section.assignment.state = AssignmentState.RETURNED
    our_section.assignment.save()
    html = login(drafter).get(reverse("drafting:dashboard")).content.decode()
    assert '<span class="badge state-returned">退回修改</span>' in html


def test_deeper_sections_are_numbered_among_their_siblings(login, drafter, department, report, our_section):
    # Two third-level sections under 二（一）, the second one assigned: it is 2. there.
    first = Section.objects.create(report=report, parent=our_section, position=0, heading="第一小项")
    second = Section.objects.create(report=report, parent=our_section, position=5, heading="第二小项")
    Assignment.objects.create(section=second, department=department)
    grandchild = Section.objects.create(report=report, parent=second, position=0, heading="细项")
    Assignment.objects.create(section=grandchild, department=department)
    seen = rows(login(drafter).get(reverse("drafting:dashboard")))
    assert seen[second.pk].label == "2."
    assert seen[grandchild.pk].label == "（1）"
    assert seen[our_section.pk].label == "（一）"
    assert first.pk not in seen


def test_last_editor_is_shown(login, drafter, our_section):
    our_section.updated_by = drafter
    our_section.save()
    assert "李撰稿" in login(drafter).get(reverse("drafting:dashboard")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, report):
    response = client.get(reverse("drafting:dashboard"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def add_sections(report, department, count):
    parent = Section.objects.create(report=report, position=50, heading="更多工作")
    sections = Section.objects.bulk_create(
        Section(report=report, parent=parent, position=n, heading=f"第{n}项工作", intro="按期推进X项。")
        for n in range(count)
    )
    Assignment.objects.bulk_create(Assignment(section=s, department=department) for s in sections)
    Measure.objects.bulk_create(
        Measure(section=s, position=p, lead=f"举措{p}", body="完成X项。") for s in sections for p in range(3)
    )


@pytest.mark.parametrize("username", ["drafter", "coordinator"])
def test_the_query_count_does_not_grow_with_the_number_of_sections(
    request, username, login, department, office, report, django_assert_max_num_queries
):
    client = login(request.getfixturevalue(username))
    add_sections(report, department, 9)
    with django_assert_max_num_queries(20) as ten:
        response = client.get(reverse("drafting:dashboard"))
    listed = len(rows(response))
    assert listed >= 10
    add_sections(Report.objects.create(title="另一份报告", lead_department=office), department, 45)
    add_sections(report, department, 45)
    with django_assert_max_num_queries(len(ten.captured_queries)):
        response = client.get(reverse("drafting:dashboard"))
    assert len(rows(response)) == listed + 90 >= 100


def test_a_superuser_sees_every_open_report(login, superuser, our_section, their_section):
    seen = rows(login(superuser).get(reverse("drafting:dashboard")))
    assert {our_section.pk, their_section.pk} <= set(seen)


def test_the_navigation_counts_only_the_users_unread_notifications(login, drafter, signer, report):
    Notification.objects.create(recipient=drafter, kind="reminder", title="一")
    Notification.objects.create(recipient=drafter, kind="reminder", title="二")
    Notification.objects.create(recipient=drafter, kind="reminder", title="已读", read_at=timezone.now())
    Notification.objects.create(recipient=signer, kind="submitted", title="别人的")
    html = login(drafter).get(reverse("drafting:dashboard")).content.decode()
    assert 'data-testid="unread-count">2</span>' in html
    # Someone with no report at all still sees theirs.
    loner = make_user("loner")
    Notification.objects.create(recipient=loner, kind="reminder", title="一")
    html = login(loner).get(reverse("drafting:dashboard")).content.decode()
    assert 'data-testid="unread-count">1</span>' in html
    Notification.objects.filter(recipient=drafter).update(read_at=timezone.now())
    html = login(drafter).get(reverse("drafting:dashboard")).content.decode()
    assert 'data-testid="unread-count"' not in html


def test_every_rows_link_is_the_editor_url_reverse_gives(login, coordinator, our_section, their_section):
    # The rows' links are written from one base URL: each must be the URL its name gives.
    response = login(coordinator).get(reverse("drafting:dashboard"))
    html = response.content.decode()
    for section in (our_section, their_section):
        url = reverse("drafting:section-edit", args=[section.pk])
        assert rows(response)[section.pk].heading_url == url
        assert f'href="{url}"' in html
