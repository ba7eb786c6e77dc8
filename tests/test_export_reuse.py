"""The DOCX export reuses the file built last while nothing the document shows has changed, and
builds anew after any change, however it was made (a form, an admin edit, a bulk update)."""

import datetime
import io

import docx
import pytest
from django.test import Client
from django.urls import reverse

from reports.models import Attachment, Department, ExportFile, Measure, Report, Section
from tests.conftest import editor_data, editor_url, set_assignment_state

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


@pytest.fixture
def export(login, coordinator):
    """export(report, draft=True): the DOCX bytes the export URL answers with."""
    client = login(coordinator)

    def _export(report, draft=True):
        url = reverse("reports:report-export", args=[report.pk])
        response = client.get(url, {"draft": "1"} if draft else {})
        assert response.status_code == 200
        return response.content

    return _export


def text_of(content):
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def kept(report):
    return list(ExportFile.objects.filter(report=report).exclude(fingerprint="").values_list("pk", flat=True))


def test_asking_again_for_an_unchanged_report_gives_the_same_file_without_building_it(export, report):
    first = export(report)
    rows = kept(report)
    assert len(rows) == 1
    assert export(report) == first
    assert kept(report) == rows  # reused, not built and stored again
    assert "梳理形成清单12项" in text_of(first)


def test_the_draft_and_the_final_file_are_kept_apart(export, complete_report):
    draft, final = export(complete_report), export(complete_report, draft=False)
    assert "县发改局" in text_of(draft)  # the draft's department tags
    assert "县发改局" not in text_of(final)
    assert export(complete_report) == draft
    assert export(complete_report, draft=False) == final


def test_an_edit_in_the_editor_gives_a_new_file(export, report, drafter):
    before = export(report)
    client = Client()
    client.force_login(drafter)
    section = report.our_section
    data = editor_data(section, [(m.pk, m.lead, m.body) for m in section.measures.order_by("position")])
    data["measures-0-body"] = "梳理形成清单15项。"
    assert client.post(editor_url(section), data).status_code == 302
    after = export(report)
    assert after != before
    assert "梳理形成清单15项" in text_of(after)
    assert "梳理形成清单12项" not in text_of(after)


def test_a_measure_changed_or_deleted_behind_the_forms_gives_a_new_file(export, report):
    export(report)
    measure = Measure.objects.get(lead="保障项目用地")
    Measure.objects.filter(pk=measure.pk).update(body="盘活闲置土地500亩。")  # no version bump
    assert "盘活闲置土地500亩" in text_of(export(report))
    Measure.objects.filter(pk=measure.pk).delete()
    assert "保障项目用地" not in text_of(export(report))


def test_a_renamed_department_gives_a_new_file(export, report, department):
    assert "县发改局" in text_of(export(report))
    Department.objects.filter(pk=department.pk).update(name="县发展和改革局", short_name="发改")
    text = text_of(export(report))
    assert "县发改局" not in text
    assert "发改" in text


def test_a_state_change_gives_a_new_file(export, report, signer):
    before = text_of(export(report))
    set_assignment_state(report.our_section.assignment, "accepted", signer)  # a bulk update
    after = text_of(export(report))
    assert after != before
    assert "已采用" in after


def test_an_attachment_added_or_edited_gives_a_new_file(export, report):
    export(report)
    attachment = Attachment.objects.create(report=report, title="重点项目清单", body="项目一。", position=0)
    assert "重点项目清单" in text_of(export(report))
    Attachment.objects.filter(pk=attachment.pk).update(body="项目二。")
    assert "项目二。" in text_of(export(report))


def test_report_fields_and_the_outline_changed_behind_the_forms_give_a_new_file(export, report):
    export(report)
    Report.objects.filter(pk=report.pk).update(title="关于另一项工作情况的报告")  # no updated_at
    report.refresh_from_db()
    assert "关于另一项工作情况的报告" in text_of(export(report))
    # The two sections under 二、 change places: their numbers follow.
    Section.objects.filter(pk=report.our_section.pk).update(position=5)
    text = text_of(export(report))
    assert text.index("（一）在强化要素保障方面") < text.index("（二）在提升政务服务效能方面")
    before = export(report)
    Report.objects.filter(pk=report.pk).update(bold_measure_leads=not report.bold_measure_leads)
    report.refresh_from_db()
    after = export(report)
    assert after != before
    lead = next(
        run
        for paragraph in docx.Document(io.BytesIO(after)).paragraphs
        for run in paragraph.runs
        if "推行一件事一次办" in run.text
    )
    assert bool(lead.bold) == report.bold_measure_leads
    assert len(kept(report)) == 1  # the older file made way for the new one


def test_only_the_latest_file_of_a_report_is_kept(export, report):
    export(report)
    Measure.objects.filter(lead="保障项目用地").update(body="盘活闲置土地400亩。")
    export(report)
    assert len(kept(report)) == 1


def test_a_report_with_tables_an_imprint_and_a_date_is_kept_and_its_tables_changes_give_a_new_file(export, report):
    report.issued_on = datetime.date(2026, 11, 20)
    report.printed_by, report.printed_on = "中共测试县委办公室", datetime.date(2026, 12, 1)
    report.save()
    measure = Measure.objects.get(lead="保障项目用地")
    Measure.objects.filter(pk=measure.pk).update(
        table={"header": True, "rows": [["项目", "进度"], ["一号工程", "80%"]]}
    )
    Attachment.objects.create(report=report, title="情况表", body="正文。", table={"header": False, "rows": [["甲"]]})
    first = export(report)
    assert len(kept(report)) == 1
    assert export(report) == first
    Measure.objects.filter(pk=measure.pk).update(
        table={"header": True, "rows": [["项目", "进度"], ["一号工程", "90%"]]}
    )
    cells = [cell.text for table in docx.Document(io.BytesIO(export(report))).tables for cell in table._cells]
    assert "90%" in cells and "80%" not in cells
