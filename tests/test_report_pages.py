"""The coordinator's report pages: create, edit the frame, export; who may do what."""

import datetime
import io
from urllib.parse import quote

import docx
import pytest
from django.urls import reverse

from reports.models import Report, ReportAction, ReportEvent

pytestmark = pytest.mark.django_db


def frame_data(office, **overrides):
    data = {
        "title": "关于2026年度安全生产工作情况的报告",
        "lead_department": office.pk,
        "preamble": "今年以来，我县坚持安全发展。\n现将有关情况报告如下。",
        "closing": "下一步，我们将持续发力。",
        "issuer": "中共测试县委办公室",
        "issued_on": "2026-06-09",
        "deadline": "2026-06-01",
        "measure_layout": "run_in",
        "bold_measure_leads": "on",
    }
    data.update(overrides)
    return data


def test_a_department_member_creates_a_report_their_office_coordinates(login, coordinator, office):
    client = login(coordinator)
    assert client.get(reverse("reports:report-create")).status_code == 200
    response = client.post(reverse("reports:report-create"), frame_data(office))
    report = Report.objects.get(title="关于2026年度安全生产工作情况的报告")
    assert response.status_code == 302
    assert response.url == reverse("reports:report-detail", args=[report.pk])
    assert report.lead_department == office
    assert report.created_by == coordinator
    assert report.issued_on == datetime.date(2026, 6, 9)
    assert report.measure_layout == "run_in"
    assert report.bold_measure_leads is True
    assert report.is_coordinator(coordinator)
    assert ReportEvent.objects.filter(report=report, action=ReportAction.CREATE, actor=coordinator).exists()


def test_a_report_cannot_be_led_by_a_department_the_user_is_not_in(login, coordinator, other_office):
    client = login(coordinator)
    response = client.post(reverse("reports:report-create"), frame_data(other_office))
    assert response.status_code == 200
    assert not Report.objects.exists()
    assert "选择一个有效的选项" in response.content.decode()


def test_a_blank_title_gets_a_chinese_message_and_creates_nothing(login, coordinator, office):
    response = login(coordinator).post(reverse("reports:report-create"), frame_data(office, title="  \x07 "))
    assert response.status_code == 200
    assert not Report.objects.exists()
    assert "标题不能为空" in response.content.decode()


def test_control_characters_are_cleaned_from_the_frame(login, coordinator, office):
    login(coordinator).post(reverse("reports:report-create"), frame_data(office, preamble="导语\x07内容\x1f。"))
    assert Report.objects.get().preamble == "导语内容。"


def test_the_coordinator_edits_the_frame(login, coordinator, office, report):
    client = login(coordinator)
    url = reverse("reports:report-edit", args=[report.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, frame_data(office, title="新标题", issued_on=""))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.title == "新标题"
    assert report.issued_on is None


def test_departments_may_read_the_report_but_not_edit_preview_or_export_it(login, drafter, office, report):
    client = login(drafter)
    assert client.get(reverse("reports:report-detail", args=[report.pk])).status_code == 200
    for name in ("reports:report-edit", "reports:report-preview", "reports:report-export"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 403
    response = client.post(reverse("reports:report-edit", args=[report.pk]), frame_data(office, title="篡改"))
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.title == "关于测试工作情况的报告"


def test_strangers_get_404_for_every_report_page(login, other_coordinator, report):
    client = login(other_coordinator)
    for name in ("reports:report-detail", "reports:report-edit", "reports:report-preview", "reports:report-export"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 404


def test_a_final_report_cannot_be_edited(login, coordinator, office, report):
    report.is_final = True
    report.save()
    response = login(coordinator).post(reverse("reports:report-edit", args=[report.pk]), frame_data(office))
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.title == "关于测试工作情况的报告"


def test_the_report_page_offers_preview_and_export(login, coordinator, report):
    page = login(coordinator).get(reverse("reports:report-detail", args=[report.pk])).content.decode()
    assert reverse("reports:report-export", args=[report.pk]) in page
    assert reverse("reports:report-preview", args=[report.pk]) in page
    assert "导出" in page


def test_export_downloads_a_docx_named_after_the_report(login, coordinator, complete_report):
    report = complete_report
    response = login(coordinator).get(reverse("reports:report-export", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="report-{report.pk}.docx"' in disposition
    assert "filename*=UTF-8''" + quote("关于测试工作情况的报告.docx") in disposition
    document = docx.Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == "关于测试工作情况的报告"
    event = ReportEvent.objects.get(report=report, action=ReportAction.EXPORT)
    assert event.actor == coordinator


def test_draft_export_is_marked_and_named_as_a_draft(login, coordinator, report):
    response = login(coordinator).get(reverse("reports:report-export", args=[report.pk]) + "?draft=1")
    assert quote("关于测试工作情况的报告（征求意见稿）.docx") in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    assert document.sections[0].first_page_header.paragraphs[0].text == "征求意见稿"


def test_export_query_count_does_not_grow_with_sections(login, coordinator, report, django_assert_max_num_queries):
    from tests.test_docx_export import make_big_report

    client = login(coordinator)
    big = make_big_report(report.lead_department, report.our_section.assignment.department, 30)
    for target in (report, big):
        # The final export's refusal (every section still a draft) and the draft itself.
        with django_assert_max_num_queries(12):
            assert client.get(reverse("reports:report-export", args=[target.pk])).status_code == 409
        with django_assert_max_num_queries(12):
            assert client.get(reverse("reports:report-export", args=[target.pk]) + "?draft=1").status_code == 200


def test_a_refusal_is_explained_in_chinese(login, drafter, report):
    response = login(drafter).get(reverse("reports:report-edit", args=[report.pk]))
    assert response.status_code == 403
    assert "只有本报告的牵头单位人员可以执行此操作" in response.content.decode()


def test_users_without_a_department_cannot_start_a_report(login, db):
    from tests.conftest import make_user

    response = login(make_user("loner")).get(reverse("reports:report-create"))
    assert response.status_code == 403
    assert "只有部门成员才能新建报告" in response.content.decode()


def test_the_addressee_is_edited_with_the_report_and_ends_in_a_full_width_colon(login, coordinator, report):
    data = {
        "title": report.title,
        "addressee": " 县委办公室: ",
        "lead_department": report.lead_department_id,
        "issuer": report.issuer,
        "measure_layout": report.measure_layout,
    }
    response = login(coordinator).post(reverse("reports:report-edit", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.addressee == "县委办公室："
