"""Final means final: the final export refuses, listing what is missing, while any section is not
accepted, a placeholder remains, or the issuer or 成文日期 is empty; the draft always exports."""

import io

import docx
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports.models import Measure, ReportAction, ReportEvent
from tests import urlsweep


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


def test_a_complete_report_exports_as_final(complete_report, tmp_path):
    target = tmp_path / "final.docx"
    out = io.StringIO()
    call_command("export_report", str(complete_report.pk), "--output", str(target), stdout=out)
    assert "(final)" in out.getvalue() and target.stat().st_size > 0


def export_url(report, draft=False):
    return reverse("reports:report-export", args=[report.pk]) + ("?draft=1" if draft else "")


def test_the_final_export_page_refuses_with_409_listing_each_gap_with_a_link_to_fix_it(login, coordinator, report):
    measure = report.our_section.measures.order_by("position").first()
    Measure.objects.filter(pk=measure.pk).update(body="完成X项。")
    response = login(coordinator).get(export_url(report))
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "报告暂不能导出定稿" in page
    assert "（一）在提升政务服务效能方面”（县发改局）当前为“起草中”" in page
    assert "（二）在强化要素保障方面”（县财政局）当前为“起草中”" in page
    assert "占位符“X”" in page
    assert "成文日期为空。" in page
    section_edit = reverse("drafting:section-edit", args=[report.our_section.pk])
    assert f'href="{section_edit}#workflow-panel"' in page
    assert f'href="{section_edit}#measure-{measure.pk}"' in page
    assert f'href="{reverse("reports:report-edit", args=[report.pk])}#id_issued_on"' in page
    # The draft export: a button posting draft=1 to the export URL.
    assert f'action="{export_url(report)}"' in page
    assert '<input type="hidden" name="draft" value="1"><button type="submit"' in page
    assert "须先解决以下" in page and "去修改" in page and "导出征求意见稿" in page
    assert not ReportEvent.objects.filter(report=report, action=ReportAction.EXPORT).exists()


def test_an_empty_issuer_links_to_its_field_on_the_report_form(login, coordinator, complete_report):
    complete_report.issuer = ""
    complete_report.save()
    response = login(coordinator).get(export_url(complete_report))
    assert response.status_code == 409
    page = response.content.decode()
    assert "署名" in page
    assert f'href="{reverse("reports:report-edit", args=[complete_report.pk])}#id_issuer"' in page
    # The form the link leads to has the field it points at.
    form = login(coordinator).get(reverse("reports:report-edit", args=[complete_report.pk])).content.decode()
    assert 'id="id_issuer"' in form and 'id="id_issued_on"' in form


def test_the_fix_links_of_a_refusal_open_for_the_coordinator(login, coordinator, report):
    client = login(coordinator)
    page = client.get(export_url(report)).content.decode()
    section_edit = reverse("drafting:section-edit", args=[report.our_section.pk])
    assert section_edit in page
    assert client.get(section_edit).status_code == 200


def test_a_refused_final_export_leaves_the_draft_available(login, coordinator, report):
    client = login(coordinator)
    assert client.get(export_url(report)).status_code == 409
    response = client.get(export_url(report, draft=True))
    assert response.status_code == 200
    assert docx.Document(io.BytesIO(response.content)).sections[0].first_page_header.paragraphs[0].text == "征求意见稿"
    assert ReportEvent.objects.get(report=report, action=ReportAction.EXPORT).comment == "draft"


def test_a_complete_report_downloads_as_final_from_the_page(login, coordinator, complete_report):
    response = login(coordinator).get(export_url(complete_report))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    document = docx.Document(io.BytesIO(response.content))
    assert not document.sections[0].header.paragraphs or document.sections[0].header.paragraphs[0].text == ""
    assert "2025年12月5日" in [p.text for p in document.paragraphs]
    assert ReportEvent.objects.get(report=complete_report, action=ReportAction.EXPORT).comment == "final"


def test_departments_are_refused_the_final_export_before_any_list_of_gaps(login, drafter, report):
    response = login(drafter).get(export_url(report))
    assert response.status_code == 403
    assert "报告暂不能导出定稿" not in response.content.decode()


def export_buttons(client, url, report):
    """What each export button on the page posts: {"draft": "1", "format": "pdf"} and the like."""
    page = client.get(url).content.decode()
    action = "http://testserver" + export_url(report)
    return [
        urlsweep.form_data(form) for form in urlsweep.forms_on("http://testserver" + url, page) if form.action == action
    ]


def test_the_board_and_the_preview_offer_the_final_export(login, coordinator, report):
    client = login(coordinator)
    for name, query in (("reports:report-board", ""), ("reports:report-preview", "?mode=final")):
        assert {} in export_buttons(client, reverse(name, args=[report.pk]) + query, report)
