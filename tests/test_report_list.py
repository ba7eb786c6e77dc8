"""The list of reports: every report the user may see, open, final or archived, with its state,
progress and deadline; filter, search and pages; archiving by the coordinators only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import AssignmentState, Report, ReportAction, ReportEvent
from tests.conftest import set_assignment_state

URL = reverse("reports:report-list")


def rows(response):
    return response.context["rows"]


def finalised(report):
    Report.objects.filter(pk=report.pk).update(is_final=True)
    report.refresh_from_db()
    return report


def test_a_department_member_sees_the_reports_with_their_sections_and_not_others(
    login, report, drafter, other_office, other_coordinator
):
    Report.objects.create(title="别的办公室的报告", lead_department=other_office)
    response = login(drafter).get(URL)
    assert response.status_code == 200
    assert [row["title"] for row in rows(response)] == [report.title]
    assert "别的办公室的报告" not in response.content.decode()


def test_each_row_shows_state_progress_and_the_deadline(login, report, coordinator, signer):
    set_assignment_state(report.our_section.assignment, AssignmentState.ACCEPTED, signer)
    response = login(coordinator).get(URL)
    page = response.content.decode()
    (row,) = rows(response)
    assert (row["state_label"], row["accepted"], row["assigned"]) == ("起草中", 1, 2)
    assert f"{report.deadline.month}月{report.deadline.day}日" in page
    assert "1 / 2" in page


def test_a_deadline_of_another_year_shows_its_year(login, report, coordinator):
    report.deadline = datetime.date(timezone.localdate().year - 1, 12, 5)
    report.save()
    response = login(coordinator).get(URL)
    assert rows(response)[0]["deadline"] == f"{report.deadline.year}年12月5日"


def test_a_final_report_stays_listed_with_a_link_to_its_board(login, report, coordinator):
    finalised(report)
    response = login(coordinator).get(URL)
    (row,) = rows(response)
    assert row["state_label"] == "已定稿"
    assert row["board_url"] == reverse("reports:report-board", args=[report.pk])
    assert row["board_url"] in response.content.decode()


def test_a_department_member_gets_no_board_link_nor_archive_button(login, report, drafter):
    finalised(report)
    response = login(drafter).get(URL)
    (row,) = rows(response)
    assert (row["board_url"], row["archive_url"]) == ("", "")
    assert 'data-testid="archive"' not in response.content.decode()


def test_filter_by_state_and_search_the_title(login, report, coordinator, office):
    final = finalised(Report.objects.create(title="关于去年工作的总结", lead_department=office))
    client = login(coordinator)
    assert [r["title"] for r in rows(client.get(URL, {"state": "final"}))] == [final.title]
    assert [r["title"] for r in rows(client.get(URL, {"state": "open"}))] == [report.title]
    assert [r["title"] for r in rows(client.get(URL, {"q": "去年"}))] == [final.title]
    assert rows(client.get(URL, {"q": "没有这个"})) == []


def test_a_filter_it_cannot_read_shows_everything_with_a_message(login, report, coordinator):
    response = login(coordinator).get(URL, {"state": "nonsense", "q": "x" * 500}, follow=True)
    assert [r["title"] for r in rows(response)] == [report.title]
    assert "筛选条件无效" in response.content.decode()


def test_titles_are_escaped(login, report, coordinator):
    report.title = "<script>alert(1)</script>报告"
    report.save()
    page = login(coordinator).get(URL).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;报告" in page


def test_fifty_reports_a_page(login, coordinator, office):
    Report.objects.bulk_create(Report(title=f"报告{n}", lead_department=office) for n in range(51))
    client = login(coordinator)
    first = client.get(URL)
    assert len(rows(first)) == 50
    assert "page=2" in first.content.decode()
    assert len(rows(client.get(URL, {"page": 2}))) == 1
    assert len(rows(client.get(URL, {"page": "nonsense"}))) == 50


def test_the_query_count_does_not_grow_with_the_reports(login, coordinator, office, django_assert_max_num_queries):
    Report.objects.bulk_create(Report(title=f"报告{n}", lead_department=office) for n in range(3))
    client = login(coordinator)
    client.get(URL)
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    Report.objects.bulk_create(Report(title=f"更多报告{n}", lead_department=office) for n in range(30))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)


def test_the_coordinator_archives_a_final_report_and_takes_it_out_again(login, report, coordinator):
    finalised(report)
    client = login(coordinator)
    response = client.post(reverse("reports:report-archive", args=[report.pk]), follow=True)
    report.refresh_from_db()
    assert report.archived_at is not None and report.is_final
    assert "已归档" in response.content.decode()
    assert ReportEvent.objects.filter(report=report, action=ReportAction.ARCHIVE, actor=coordinator).exists()
    assert [r["title"] for r in rows(client.get(URL, {"state": "archived"}))] == [report.title]
    assert rows(client.get(URL, {"state": "final"})) == []

    client.post(reverse("reports:report-unarchive", args=[report.pk]))
    report.refresh_from_db()
    assert report.archived_at is None
    assert ReportEvent.objects.filter(report=report, action=ReportAction.UNARCHIVE).exists()


def test_an_open_report_cannot_be_archived(login, report, coordinator):
    response = login(coordinator).post(reverse("reports:report-archive", args=[report.pk]), follow=True)
    report.refresh_from_db()
    assert report.archived_at is None
    assert "只有已定稿的报告可以归档。" in response.content.decode()
    assert not ReportEvent.objects.filter(action=ReportAction.ARCHIVE).exists()


def test_a_department_member_cannot_archive(login, report, drafter):
    finalised(report)
    response = login(drafter).post(reverse("reports:report-archive", args=[report.pk]))
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.archived_at is None


def test_a_coordinator_of_another_report_gets_404(login, report, other_coordinator):
    finalised(report)
    response = login(other_coordinator).post(reverse("reports:report-archive", args=[report.pk]))
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.archived_at is None


def test_archiving_is_post_only(login, report, coordinator):
    finalised(report)
    assert login(coordinator).get(reverse("reports:report-archive", args=[report.pk])).status_code == 405
    report.refresh_from_db()
    assert report.archived_at is None


def test_reopening_an_archived_report_takes_it_out_of_the_archive(report, coordinator):
    finalised(report)
    report.archive(coordinator)
    report.reopen(coordinator, "补充数据")
    report.refresh_from_db()
    assert (report.is_final, report.archived_at) == (False, None)


def test_the_navigation_links_the_list(login, report, drafter):
    page = login(drafter).get(reverse("drafting:dashboard")).content.decode()
    assert f'href="{URL}"' in page


@pytest.mark.parametrize("state", ["", "open", "final", "archived"])
def test_every_filter_answers(login, report, coordinator, state):
    assert login(coordinator).get(URL, {"state": state}).status_code == 200
