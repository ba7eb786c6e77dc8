"""The PDF beside the DOCX: LibreOffice lays the exported DOCX out, from the command
(`export_report --pdf`) and from the board and the preview through the worker; without
LibreOffice the buttons are gone and a line says why."""

import io
import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reports import tasks
from reports.models import ExportFile, ExportState, Measure, ReportAction, ReportEvent
from tests.conftest import run_worker
from tests.test_export_layout import page_count

needs_libreoffice = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="needs LibreOffice and poppler-utils (.ci/run installs them)",
)
MISSING = "/nonexistent/soffice"
REASON = "导出PDF需要LibreOffice，本服务器未安装（找不到“/nonexistent/soffice”；由HUIGAO_SOFFICE设置指定）。"


def pdf_text(pdf, first=None, last=None):
    pages = [] if first is None else ["-f", str(first), "-l", str(last or first)]
    out = subprocess.run(["pdftotext", *pages, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    return out.stdout.replace(" ", "")


def export(report_id, target, *options, stdout=None):
    call_command("export_report", str(report_id), "--output", str(target), *options, stdout=stdout or io.StringIO())


# --- The command -------------------------------------------------------------------------------


@needs_libreoffice
def test_the_draft_pdf_of_the_demo_report_shows_its_title_and_numbers_its_pages(demo_report, tmp_path):
    target = tmp_path / "demo.pdf"
    out = io.StringIO()
    export(demo_report.pk, target, "--pdf", "--draft", stdout=out)
    assert f"Exported report {demo_report.pk} (draft PDF) to {target}" in out.getvalue()
    assert target.read_bytes().startswith(b"%PDF-")
    first_page = pdf_text(target, 1)
    assert "征求意见稿" in first_page
    assert "关于2026年度推进乡村全面振兴" in first_page and "工作情况的报告" in first_page  # the title's two lines
    pages = page_count(target)
    assert pages >= 3
    # Every page carries its number and the last one the page count: the PDF is the whole report.
    assert f"—{pages}—" in pdf_text(target, pages)
    assert demo_report.closing.splitlines()[0][:20] in pdf_text(target).replace("\n", "")


@needs_libreoffice
def test_a_complete_report_exports_a_final_pdf(complete_report, tmp_path):
    target = tmp_path / "final.pdf"
    out = io.StringIO()
    export(complete_report.pk, target, "--pdf", stdout=out)
    assert "(final PDF)" in out.getvalue()
    text = pdf_text(target)
    assert "关于测试工作情况的报告" in text and "征求意见稿" not in text
    assert "2025年12月5日" in text


def test_the_final_pdf_is_refused_with_the_list_of_gaps_and_exit_code_1(report, tmp_path):
    Measure.objects.filter(section=report.our_section).update(body="完成X项。")
    target = tmp_path / "final.pdf"
    with pytest.raises(CommandError) as refused:
        export(report.pk, target, "--pdf")
    assert refused.value.returncode == 1
    message = str(refused.value)
    assert message.startswith("报告暂不能导出定稿：")
    assert "占位符“X”" in message and "成文日期为空。" in message
    assert not target.exists()


def test_without_libreoffice_the_pdf_command_exits_3_saying_why_and_writes_nothing(settings, report, tmp_path):
    settings.HUIGAO_SOFFICE = MISSING
    target = tmp_path / "draft.pdf"
    with pytest.raises(CommandError) as refused:
        export(report.pk, target, "--pdf", "--draft")
    assert refused.value.returncode == 3
    assert str(refused.value) == REASON
    assert not target.exists()
    export(report.pk, tmp_path / "draft.docx", "--draft")  # the DOCX needs no LibreOffice
    assert (tmp_path / "draft.docx").stat().st_size > 0


def test_an_unknown_report_exits_1(db, tmp_path):
    with pytest.raises(CommandError) as refused:
        export(999, tmp_path / "x.pdf", "--pdf")
    assert refused.value.returncode == 1


@pytest.fixture(scope="module")
def operator(tmp_path_factory):
    """operator(*args, **env) runs manage.py in a fresh process on a database holding the demo,
    as an operator's shell would; it returns the process's exit code, stdout and stderr."""
    database = tmp_path_factory.mktemp("db") / "db.sqlite3"
    base = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "reports.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
    }

    def _run(*args, **env):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env={**base, **env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        return result.returncode, result.stdout, result.stderr

    for command in (("migrate", "-v0"), ("demo",)):
        code, _out, err = _run(*command)
        assert code == 0, err
    return _run


@needs_libreoffice
def test_the_pdf_commands_exit_codes_as_an_operator_sees_them(operator, tmp_path):
    target = tmp_path / "demo.pdf"
    code, out, err = operator("export_report", "1", "--pdf", "--output", str(target))
    assert code == 1 and "报告暂不能导出定稿：" in err and "成文日期为空。" in err and not target.exists()
    code, out, err = operator("export_report", "1", "--pdf", "--draft", "--output", str(target), HUIGAO_SOFFICE=MISSING)
    assert code == 3 and "导出PDF需要LibreOffice" in err and not target.exists()
    code, out, err = operator("export_report", "1", "--pdf", "--draft", "--output", str(target))
    assert code == 0 and out.startswith("Exported report 1 (draft PDF)")
    assert target.read_bytes().startswith(b"%PDF-")
    code, out, err = operator("export_report", "1", "--pdf")  # no --output
    assert code == 2 and "--output" in err


# --- The pages --------------------------------------------------------------------------------


def pages_of(report):
    return (
        (reverse("reports:report-board", args=[report.pk]), ("board-export-pdf", "board-export-draft-pdf")),
        (reverse("reports:report-preview", args=[report.pk]), ("export-pdf",)),
    )


@needs_libreoffice
def test_the_board_and_the_preview_offer_the_pdf_where_libreoffice_is_installed(login, coordinator, report):
    client = login(coordinator)
    for url, buttons in pages_of(report):
        page = client.get(url).content.decode()
        for testid in buttons:
            assert f'data-testid="{testid}"' in page
        assert 'data-testid="pdf-unavailable"' not in page


def test_without_libreoffice_the_pdf_buttons_are_gone_and_a_line_says_why(settings, login, coordinator, report):
    settings.HUIGAO_SOFFICE = MISSING
    client = login(coordinator)
    for url, buttons in pages_of(report):
        page = client.get(url).content.decode()
        for testid in buttons:
            assert f'data-testid="{testid}"' not in page
        assert f'data-testid="pdf-unavailable">{REASON}</p>' in page
        assert 'data-testid="export-docx"' in page or 'data-testid="board-export"' in page
    # A PDF asked for anyway (an old page, a bookmark) queues nothing and says why.
    response = client.post(reverse("reports:report-export", args=[report.pk]), {"draft": "1", "format": "pdf"})
    assert response.status_code == 302
    assert REASON in client.get(response["Location"]).content.decode()
    assert not ExportFile.objects.exists()


def test_an_empty_soffice_setting_turns_the_pdf_off_saying_so(settings, login, coordinator, report):
    settings.HUIGAO_SOFFICE = ""
    page = login(coordinator).get(reverse("reports:report-board", args=[report.pk])).content.decode()
    assert "本服务器已关闭PDF导出（HUIGAO_SOFFICE设置为空）。" in page
    assert 'data-testid="board-export-pdf"' not in page


@needs_libreoffice
def test_the_pdf_from_the_board_is_built_as_a_task_and_downloaded(login, coordinator, report, tmp_path):
    client = login(coordinator)
    response = client.post(reverse("reports:report-export", args=[report.pk]), {"draft": "1", "format": "pdf"})
    assert response.status_code == 302
    export = ExportFile.objects.get()
    assert response["Location"] == reverse("reports:export-status", args=[export.pk])
    assert 'data-testid="export-ready"' in client.get(response["Location"]).content.decode()
    download = client.get(reverse("reports:export-download", args=[export.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert f'filename="report-{report.pk}.pdf"' in download["Content-Disposition"]
    assert download["Content-Disposition"].endswith(".pdf")
    target = tmp_path / "board.pdf"
    target.write_bytes(download.content)
    assert "关于测试工作情况的报告" in pdf_text(target, 1) and page_count(target) == 1
    event = ReportEvent.objects.get(report=report, action=ReportAction.EXPORT)
    assert event.actor == coordinator and event.comment == "draft pdf"


@needs_libreoffice
def test_a_pdf_that_libreoffice_does_not_finish_is_tried_again_then_shown_as_failed(
    worker_backend, settings, login, coordinator, report
):
    settings.HUIGAO_PDF_TIMEOUT = 0.2  # a real soffice, killed before it can finish
    settings.HUIGAO_EXPORT_RETRY_DELAYS = [60]
    client = login(coordinator)
    status_url = client.post(reverse("reports:report-export", args=[report.pk]), {"draft": "1", "format": "pdf"})[
        "Location"
    ]
    builds = DBTaskResult.objects.filter(task_path=tasks.build_export.module_path).order_by("enqueued_at")
    run_worker()
    first, retry = builds
    assert first.status == TaskResultStatus.SUCCESSFUL and first.return_value["retrying"] is True
    assert retry.status == TaskResultStatus.READY and retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert ExportFile.objects.get().state == ExportState.PENDING
    assert "正在生成…" in client.get(status_url).content.decode()

    builds.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
    run_worker()
    assert builds.last().status == TaskResultStatus.FAILED
    assert builds.last().exception_class_path == "reports.exporting.PdfFailed"
    export = ExportFile.objects.get()
    assert export.state == ExportState.FAILED
    page = client.get(status_url).content.decode()
    assert "文件未能生成" in page and "LibreOffice未能在0.2秒内生成PDF。" in page
    assert 'data-testid="export-again"' in page
