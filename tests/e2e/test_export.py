"""In real Chromium: the export button downloads a valid DOCX named after the report,
or shows what keeps it from being final."""

import docx
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_clicks_export_and_gets_a_docx_named_after_the_report(
    page, login_as, coordinator, complete_report, tmp_path
):
    report = complete_report
    login_as(coordinator)
    page.goto(report.get_absolute_url())
    with page.expect_download() as download_info:
        page.get_by_test_id("export-docx").first.click()
    download = download_info.value
    assert download.suggested_filename == "关于测试工作情况的报告.docx"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    document = docx.Document(str(target))
    assert document.paragraphs[0].text == "关于测试工作情况的报告"
    assert "（一）在提升政务服务效能方面" in [p.text for p in document.paragraphs]


def test_the_draft_export_from_the_preview_is_named_as_a_draft(page, login_as, coordinator, report, tmp_path):
    login_as(coordinator)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"/reports/{report.pk}/preview/")
    assert page.get_by_test_id("preview").get_by_text("【待报送：县发改局】").is_visible()
    with page.expect_download() as download_info:
        page.get_by_test_id("export-docx").click()
    download = download_info.value
    assert download.suggested_filename == "关于测试工作情况的报告（征求意见稿）.docx"
    target = tmp_path / "draft.docx"
    download.save_as(target)
    assert docx.Document(str(target)).sections[0].first_page_header.paragraphs[0].text == "征求意见稿"
    # The strict Content Security Policy reports any inline style or script as a console error.
    assert errors == []


def test_the_board_exports_in_one_click_too(page, login_as, coordinator, complete_report, tmp_path):
    report = complete_report
    login_as(coordinator)
    page.goto(f"/reports/{report.pk}/board/")
    with page.expect_download() as download_info:
        page.get_by_test_id("board-export").click()
    download = download_info.value
    assert download.suggested_filename == "关于测试工作情况的报告.docx"
    target = tmp_path / "board.docx"
    download.save_as(target)
    assert docx.Document(str(target)).paragraphs[0].text == "关于测试工作情况的报告"


def test_the_final_export_of_a_report_with_gaps_shows_what_to_fix(page, login_as, coordinator, report):
    login_as(coordinator)
    page.goto(f"/reports/{report.pk}/board/")
    page.get_by_test_id("board-export").click()
    page.get_by_test_id("export-refused").wait_for()
    assert "成文日期为空" in page.get_by_test_id("export-problems").inner_text()
    with page.expect_download() as download_info:
        page.get_by_test_id("export-draft").click()
    assert download_info.value.suggested_filename == "关于测试工作情况的报告（征求意见稿）.docx"
    page.get_by_test_id("fix-link").last.click()
    page.wait_for_url(f"**/reports/{report.pk}/edit/#id_issued_on")


def test_the_pdf_page_waits_for_the_worker_and_then_offers_the_download_by_itself(
    page, login_as, coordinator, report, worker_backend, tmp_path
):
    from reports.models import ExportFile
    from tests.conftest import run_worker

    login_as(coordinator)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"/reports/{report.pk}/board/")
    page.get_by_test_id("board-export-draft-pdf").click()
    page.get_by_test_id("export-waiting").wait_for()
    assert "正在生成…" in page.get_by_test_id("export-waiting").inner_text()
    assert page.get_by_test_id("export-refresh").is_visible()
    assert ExportFile.objects.get().state == "pending"

    run_worker()  # the page polls and reloads itself: nobody clicks 刷新
    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_test_id("export-download").click(timeout=30_000)
    download = download_info.value
    assert download.suggested_filename == "关于测试工作情况的报告（征求意见稿）.pdf"
    target = tmp_path / "draft.pdf"
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF-")
    assert errors == []
