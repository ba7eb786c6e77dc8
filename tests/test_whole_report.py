"""The whole report in view for departments, when the coordinating office allows it per report."""

from django.urls import reverse


def preview_url(report):
    return reverse("reports:report-preview", args=[report.pk])


def open_to_departments(report):
    report.departments_see_whole_report = True
    report.save(update_fields=["departments_see_whole_report"])


def test_a_department_cannot_read_the_other_sections_while_the_office_keeps_them_closed(login, drafter, report):
    response = login(drafter).get(preview_url(report))
    assert response.status_code == 403
    assert "牵头单位未向各责任单位开放全文" in response.content.decode()
    detail = login(drafter).get(report.get_absolute_url()).content.decode()
    assert 'data-testid="whole-report"' not in detail


def test_a_department_reads_every_section_read_only_once_the_office_allows_it(login, drafter, report):
    open_to_departments(report)
    response = login(drafter).get(preview_url(report))
    assert response.status_code == 200
    html = response.content.decode()
    # Its own section and the 财政局's, and the office's own text.
    assert "在提升政务服务效能方面" in html and "在强化要素保障方面" in html
    assert "盘活闲置土地300亩" in html and "县委专题研究部署" in html
    assert 'data-testid="read-only-preview"' in html
    # Read-only: no export for a department, and the export itself stays refused.
    assert reverse("reports:report-export", args=[report.pk]) not in html
    assert login(drafter).get(reverse("reports:report-export", args=[report.pk])).status_code == 403


def test_someone_with_no_part_in_the_report_gets_not_found_even_when_it_is_open(login, other_coordinator, report):
    open_to_departments(report)
    assert login(other_coordinator).get(preview_url(report)).status_code == 404


def test_the_department_finds_the_whole_report_from_its_sections_and_the_report_page(
    login, drafter, report, our_section
):
    open_to_departments(report)
    client = login(drafter)
    url = preview_url(report)
    assert url in client.get(reverse("drafting:dashboard")).content.decode()
    assert url in client.get(reverse("drafting:section-edit", args=[our_section.pk])).content.decode()
    assert url in client.get(report.get_absolute_url()).content.decode()


def test_the_department_loses_the_whole_report_when_the_office_closes_it_again(login, drafter, report):
    open_to_departments(report)
    client = login(drafter)
    assert client.get(preview_url(report)).status_code == 200
    report.departments_see_whole_report = False
    report.save()
    assert client.get(preview_url(report)).status_code == 403
    assert preview_url(report) not in client.get(reverse("drafting:dashboard")).content.decode()


def test_the_office_opens_the_whole_report_in_the_reports_settings_form(login, coordinator, report):
    client = login(coordinator)
    edit = reverse("reports:report-edit", args=[report.pk])
    assert 'name="departments_see_whole_report"' in client.get(edit).content.decode()
    data = {
        "title": report.title,
        "lead_department": report.lead_department_id,
        "preamble": report.preamble,
        "closing": report.closing,
        "issuer": report.issuer,
        "measure_layout": report.measure_layout,
        "departments_see_whole_report": "on",
    }
    assert client.post(edit, data).status_code == 302
    report.refresh_from_db()
    assert report.departments_see_whole_report
