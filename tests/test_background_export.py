"""Exports the worker builds: a large report's DOCX (and every PDF, tests/test_pdf_export.py) is
queued, the user waits on a page that says 正在生成… and then offers the download, the file is
kept in the database for any app server to hand out, only the report's coordinators may fetch
it, and expired files are deleted."""

import datetime
import io

import docx
import pytest
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reports import exporting, tasks
from reports.models import ExportFile, ExportFormat, ExportState, Measure, ReportAction, ReportEvent
from tests.conftest import run_worker

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def large(settings):
    """Every report counts as large: the test report has 4 sections and 3 measures."""
    settings.HUIGAO_EXPORT_BACKGROUND_ITEMS = 5


def export_url(report):
    return reverse("reports:report-export", args=[report.pk])


def export_tasks(**filters):
    return DBTaskResult.objects.filter(task_path=tasks.build_export.module_path, **filters)


def follow_to_download(client, response):
    """From the export's redirect to its status page, and from there to the file."""
    assert response.status_code == 302
    status_url = response["Location"]
    page = client.get(status_url).content.decode()
    assert 'data-testid="export-ready"' in page
    export = ExportFile.objects.get()
    download_url = reverse("reports:export-download", args=[export.pk])
    assert f'href="{download_url}"' in page
    return client.get(download_url)


def test_a_small_reports_docx_still_comes_straight_back(login, coordinator, report):
    response = login(coordinator).post(export_url(report), {"draft": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    # Nothing queued: the only file kept is the one the next export reuses (test_export_reuse.py).
    assert not ExportFile.objects.filter(fingerprint="").exists()


def test_a_large_reports_docx_is_built_in_the_background_and_offered_for_download(large, login, coordinator, report):
    client = login(coordinator)
    response = follow_to_download(client, client.post(export_url(report), {"draft": "1"}))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    assert "%EF%BC%88%E5%BE%81%E6%B1%82%E6%84%8F%E8%A7%81%E7%A8%BF%EF%BC%89.docx" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == "关于测试工作情况的报告"
    export = ExportFile.objects.get()
    assert export.state == ExportState.READY and export.requested_by == coordinator and export.draft
    assert export.file_name == "关于测试工作情况的报告（征求意见稿）.docx"
    assert bytes(export.content) == response.content and export.size == len(response.content)
    assert export.expires_at > timezone.now() + datetime.timedelta(hours=23)
    event = ReportEvent.objects.get(report=report, action=ReportAction.EXPORT)
    assert event.actor == coordinator and event.comment == "draft"


def test_a_plain_link_to_a_large_export_asks_before_it_queues_anything(large, login, coordinator, report):
    response = login(coordinator).get(export_url(report) + "?draft=1")
    assert response.status_code == 200
    page = response.content.decode()
    assert "此次导出将在后台生成" in page and 'data-testid="export-start"' in page
    assert not ExportFile.objects.exists()


def test_with_the_worker_the_page_says_generating_until_the_worker_has_built_the_file(
    large, worker_backend, login, coordinator, report
):
    client = login(coordinator)
    response = client.post(export_url(report), {"draft": "1"})
    assert response.status_code == 302
    export = ExportFile.objects.get()
    assert response["Location"] == reverse("reports:export-status", args=[export.pk])
    page = client.get(response["Location"]).content.decode()
    assert "正在生成…" in page
    state_url = reverse("reports:export-state", args=[export.pk])
    assert f'data-export-state-url="{state_url}"' in page and "js/export-status.js" in page
    # Without JavaScript: a link that loads the page again.
    assert f'href="{response["Location"]}" data-testid="export-refresh"' in page
    # No heartbeat yet: the page says the worker is silent.
    assert 'data-testid="worker-silent"' in page
    assert client.get(state_url).json() == {"state": "pending"}
    download = client.get(reverse("reports:export-download", args=[export.pk]))
    assert download.status_code == 302 and download["Location"] == response["Location"]

    run_worker()
    assert client.get(state_url).json() == {"state": "ready"}
    assert export_tasks().get().status == TaskResultStatus.SUCCESSFUL
    page = client.get(response["Location"]).content.decode()
    assert "文件已生成" in page and "js/export-status.js" not in page
    download = client.get(reverse("reports:export-download", args=[export.pk]))
    assert docx.Document(io.BytesIO(download.content)).paragraphs[0].text == "关于测试工作情况的报告"


def test_clicking_twice_while_the_export_waits_queues_one_build(large, worker_backend, login, coordinator, report):
    client = login(coordinator)
    first = client.post(export_url(report), {"draft": "1"})
    second = client.post(export_url(report), {"draft": "1"})
    assert first["Location"] == second["Location"]
    assert ExportFile.objects.count() == 1 and export_tasks().count() == 1
    client.post(export_url(report))  # the final one is another export (and refused here: gaps remain)
    assert ExportFile.objects.count() == 1


def test_only_the_reports_coordinators_may_see_or_download_its_exports(
    large, login, coordinator, drafter, other_coordinator, report
):
    login(coordinator).post(export_url(report), {"draft": "1"})
    export = ExportFile.objects.get()
    names = ("reports:export-status", "reports:export-state", "reports:export-download")
    client = login(drafter)  # sees the report, may not export it
    for name in names:
        response = client.get(reverse(name, args=[export.pk]))
        assert response.status_code == 403
        assert b"PK" not in response.content[:2]
    client = login(other_coordinator)  # another office's report: as if it did not exist
    for name in names:
        assert client.get(reverse(name, args=[export.pk])).status_code == 404


def test_an_expired_export_is_no_longer_handed_out_and_the_worker_deletes_it(large, login, coordinator, report):
    client = login(coordinator)
    client.post(export_url(report), {"draft": "1"})
    export = ExportFile.objects.get()
    assert export.state == ExportState.READY
    ExportFile.objects.filter(pk=export.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    status_url = reverse("reports:export-status", args=[export.pk])
    download = client.get(reverse("reports:export-download", args=[export.pk]))
    assert download.status_code == 302 and download["Location"] == status_url
    page = client.get(status_url).content.decode()
    assert "此文件已过保存期限" in page and "导出的文件保存24小时" in page and 'data-testid="export-again"' in page

    fresh = ExportFile.objects.create(
        report=report, format=ExportFormat.DOCX, expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert exporting.delete_expired() == 1
    assert list(ExportFile.objects.all()) == [fresh]


def test_the_workers_schedule_deletes_expired_exports(large, worker_backend, coordinator, report):
    old = exporting.queue(report, coordinator, ExportFormat.DOCX, draft=True)
    ExportFile.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    kept = exporting.queue(report, coordinator, ExportFormat.DOCX, draft=False)
    run_worker()
    assert list(ExportFile.objects.values_list("pk", flat=True)) == [kept.pk]


def test_a_final_export_that_gains_a_gap_before_the_worker_runs_fails_saying_what_is_missing(
    large, worker_backend, login, coordinator, complete_report
):
    client = login(coordinator)
    response = client.post(export_url(complete_report))
    assert response.status_code == 302
    Measure.objects.filter(section=complete_report.our_section).update(body="完成X项。")
    run_worker()
    export = ExportFile.objects.get()
    assert export.state == ExportState.FAILED and not export.content
    page = client.get(response["Location"]).content.decode()
    assert "文件未能生成" in page and "报告暂不能导出定稿" in page and "占位符“X”" in page
    assert export_tasks().get().status == TaskResultStatus.FAILED  # nothing to try again: no retry
    assert not ReportEvent.objects.filter(action=ReportAction.EXPORT).exists()


def test_an_export_deleted_before_the_worker_runs_is_skipped(large, worker_backend, coordinator, report):
    export = exporting.queue(report, coordinator, ExportFormat.DOCX, draft=True)
    export.delete()
    run_worker()
    assert export_tasks().get().status == TaskResultStatus.SUCCESSFUL
    assert not ExportFile.objects.exists()
