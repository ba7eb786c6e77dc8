"""Final means final: the final export refuses, listing what is missing, while any section is not
accepted, a placeholder remains, or the issuer or 成文日期 is empty; the draft always exports."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from reports.models import AssignmentState, Measure
from tests.conftest import set_assignment_state


@pytest.fixture
def ready(report, signer):
    for section in (report.our_section, report.their_section):
        set_assignment_state(section.assignment, AssignmentState.ACCEPTED, signer)
    report.issued_on = datetime.date(2025, 12, 5)
    report.save()
    return report


def test_the_command_refuses_the_final_export_listing_each_gap_and_writes_nothing(report, tmp_path):
    Measure.objects.filter(section=report.our_section).update(body="完成X项，增长X%。")
    target = tmp_path / "final.docx"
    with pytest.raises(CommandError) as refused:
        call_command("export_report", str(report.pk), "--output", str(target))
    message = str(refused.value)
    assert message.startswith("报告暂不能导出定稿：")
    assert "（一）在提升政务服务效能方面”（县发改局）当前为“起草中”" in message
    assert "占位符“X”" in message
    assert "成文日期为空。" in message
    assert not target.exists()


def test_the_draft_exports_whatever_is_missing(report, tmp_path):
    target = tmp_path / "draft.docx"
    call_command("export_report", str(report.pk), "--output", str(target), "--draft", stdout=io.StringIO())
    assert target.stat().st_size > 0


def test_a_complete_report_exports_as_final(ready, tmp_path):
    target = tmp_path / "final.docx"
    out = io.StringIO()
    call_command("export_report", str(ready.pk), "--output", str(target), stdout=out)
    assert "(final)" in out.getvalue() and target.stat().st_size > 0
