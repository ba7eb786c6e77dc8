"""The board's CSV: cells a spreadsheet would run as formulas are neutralised, the file is named
like the DOCX, and every text stays text."""

import csv
import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.docx_export import export_filename
from reports.models import Department, Report, Section

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


def download(client, report, **params):
    response = client.get(reverse("reports:report-board-csv", args=[report.pk]), params)
    assert response.status_code == 200
    return response


def rows_of(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    "heading",
    ['=HYPERLINK("http://evil.example","点击")', "+1+1", "-2+3", "@SUM(A1:A9)", "\tTAB", "\r=1+1"],
)
def test_a_heading_a_spreadsheet_would_run_as_a_formula_is_written_as_text(login, report, coordinator, heading):
    Section.objects.filter(pk=report.first_section.pk).update(heading=heading)
    rows = rows_of(download(login(coordinator), report))
    assert rows[1][1] == "'" + heading


def test_a_department_name_that_starts_a_formula_is_written_as_text(login, report, coordinator, department):
    Department.objects.filter(pk=department.pk).update(name="=cmd|' /C calc'!A0")
    rows = rows_of(download(login(coordinator), report))
    assert rows[3][2] == "'=cmd|' /C calc'!A0"


def test_ordinary_cells_are_unchanged(login, report, coordinator):
    rows = rows_of(download(login(coordinator), report))
    assert rows[1][:3] == ["一、", "强化组织领导", "牵头单位"]
    # Counts are numbers, not text: no quote in front of them.
    assert rows[3][7:] == ["0", "0"]


def test_the_file_is_named_like_the_docx(login, report, coordinator):
    Report.objects.filter(pk=report.pk).update(title='2025/2026年度:工作*总结?"报告"<草>|\\第一稿\n附表')
    response = download(login(coordinator), report)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    filename = unquote(disposition.split("''", 1)[1])
    today = timezone.localdate().strftime("%Y%m%d")
    assert filename == f"2025_2026年度_工作_总结__报告__草___第一稿 附表-进度-{today}.csv"
    report.refresh_from_db()
    assert filename.startswith(export_filename(report).removesuffix(".docx") + "-")


def test_an_empty_title_still_names_the_file(login, report, coordinator):
    Report.objects.filter(pk=report.pk).update(title="///")
    filename = unquote(download(login(coordinator), report)["Content-Disposition"].split("''", 1)[1])
    assert filename.startswith("___-进度-")


HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(2)>', "{{ request.user }}"]


def test_hostile_text_is_written_as_it_was_typed(login, report, coordinator, department):
    Report.objects.filter(pk=report.pk).update(title=HOSTILE[0])
    Section.objects.filter(pk=report.first_section.pk).update(heading=HOSTILE[1])
    Section.objects.filter(pk=report.our_section.pk).update(heading=HOSTILE[2])
    Department.objects.filter(pk=department.pk).update(name=HOSTILE[0])
    rows = rows_of(download(login(coordinator), report))
    assert rows[1][1] == HOSTILE[1]
    assert rows[3][1:3] == [HOSTILE[2], HOSTILE[0]]
