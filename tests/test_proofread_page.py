"""The coordinator's whole-report proofreading page: findings grouped by section with their rule,
a CSV of the list, and the safe fixes of one section applied in one click (only what they say)."""

import csv
import io

import pytest
from django.urls import reverse

from reports import content
from reports.models import Assignment, Measure, Section
from reports.states import AssignmentState
from tests.conftest import set_assignment_state


def page_url(report):
    return reverse("reports:report-proofread", args=[report.pk])


def fix_url(report, section):
    return reverse("reports:report-proofread-fix", args=[report.pk, section.pk])


@pytest.fixture
def slips(report):
    """The usual slips: a half-width comma and a doubled 。 in the office's own section, a
    dash and an unpaired quotation mark in the 发改局's."""
    Section.objects.filter(pk=report.first_section.pk).update(intro="县委专题研究部署,会议开得很好。。")
    Measure.objects.filter(section=report.our_section, position=1).update(body="推进改革--成效明显“。")
    report.first_section.refresh_from_db()
    return report


def test_the_coordinator_sees_each_finding_with_its_rule_and_a_link_to_the_editor(login, slips, coordinator):
    response = login(coordinator).get(page_url(slips))
    assert response.status_code == 200
    page = response.content.decode()
    first = page[page.index(f'id="section-{slips.first_section.pk}"') :]
    first = first[: first.index("</section>")]
    assert "一、强化组织领导" in first
    assert reverse("drafting:section-edit", args=[slips.first_section.pk]) + "#id_intro" in first
    assert "P001" in first and "P002" in first and "警告" in first
    assert "中文文字中的半角“,”。" in first
    assert "GB/T 15834-2011" in first  # the rule's explanation with its source
    ours = page[page.index(f'id="section-{slips.our_section.pk}"') :]
    ours = ours[: ours.index("</section>")]
    assert "P003" in ours and "错误" in ours and "P006" in ours
    assert "共发现 4 处：错误 1 处，警告 3 处，提示 0 处。" in page
    assert "全文约 1 页" in page


def test_only_the_reports_coordinators_may_open_it(client, login, slips, drafter, other_coordinator):
    assert client.get(page_url(slips)).status_code == 302  # to the login page
    assert login(drafter).get(page_url(slips)).status_code == 403
    assert login(other_coordinator).get(page_url(slips)).status_code == 404
    csv_url = reverse("reports:report-proofread-csv", args=[slips.pk])
    assert login(drafter).get(csv_url).status_code == 403
    assert login(other_coordinator).get(csv_url).status_code == 404


def test_the_csv_lists_every_finding_and_neutralises_formula_cells(login, slips, coordinator):
    response = login(coordinator).get(reverse("reports:report-proofread-csv", args=[slips.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["规则", "级别", "位置", "原文", "说明", "建议修正"]
    assert [row[0] for row in rows[1:]] == ["P001", "P002", "P003", "P006"]
    dash = rows[-1]
    assert dash[3] == "'--"  # a spreadsheet would read "--" as a formula
    assert dash[5] == "——"
    assert rows[1][1:4] == ["警告", "一、强化组织领导", ","]


def test_applying_the_safe_fixes_changes_only_what_they_say(login, slips, coordinator):
    section = slips.first_section
    version = section.version
    client = login(coordinator)
    response = client.post(fix_url(slips, section), {"version": version}, follow=True)
    assert response.status_code == 200
    assert "已对“一、强化组织领导”应用 2 处修正。" in response.content.decode()
    section.refresh_from_db()
    assert section.intro == "县委专题研究部署，会议开得很好。"
    assert section.heading == "强化组织领导" and section.version == version + 1
    assert content.revisions(section).first().revision.comment == "校对修正"
    # The other sections are untouched, the unfixable slip stays.
    assert Measure.objects.get(section=slips.our_section, position=1).body == "推进改革--成效明显“。"


def test_fixes_keep_text_without_a_fix_and_mark_an_accepted_section_as_changed(
    login, slips, coordinator, drafter, signer
):
    section = slips.our_section
    assignment = Assignment.objects.get(section=section)
    assignment.submit(drafter)
    assignment.sign_off(signer)
    assignment.accept(coordinator)
    section.refresh_from_db()
    login(coordinator).post(fix_url(slips, section), {"version": section.version})
    body = Measure.objects.get(section=section, position=1).body
    assert body == "推进改革——成效明显“。"  # the dash fixed, the unpaired quote left for a person
    assert Measure.objects.get(section=section, position=0).body == "梳理形成清单12项。"
    assignment.refresh_from_db()
    change = assignment.transitions.latest("pk")
    assert (change.action, change.comment) == ("changed", "校对修正")


def test_a_section_the_coordinator_may_not_edit_is_refused_and_unchanged(login, slips, coordinator):
    section = slips.our_section  # the 发改局 is still drafting it
    before = Measure.objects.get(section=section, position=1).body
    response = login(coordinator).post(fix_url(slips, section), {"version": section.version}, follow=True)
    assert "本章节处于“起草中”状态，现在不能编辑。" in response.content.decode()
    assert 'data-testid="apply-fixes"' not in response.content.decode().split(f'id="section-{section.pk}"')[1]
    assert Measure.objects.get(section=section, position=1).body == before
    section.refresh_from_db()
    assert section.version == 1


def test_a_department_member_may_not_apply_fixes(login, slips, drafter):
    section = slips.our_section
    assert login(drafter).post(fix_url(slips, section), {"version": section.version}).status_code == 403
    assert Measure.objects.get(section=section, position=1).body == "推进改革--成效明显“。"


def test_fixes_shown_on_an_older_page_are_not_applied(login, slips, coordinator):
    section = slips.first_section
    client = login(coordinator)
    response = client.post(fix_url(slips, section), {"version": section.version - 1 or 999}, follow=True)
    assert "本节在本页打开后已被修改，请重新查看校对结果。" in response.content.decode()
    section.refresh_from_db()
    assert section.intro == "县委专题研究部署,会议开得很好。。"


def test_a_final_report_offers_no_fixes(login, slips, coordinator, signer):
    for s in (slips.our_section, slips.their_section):
        set_assignment_state(s.assignment, AssignmentState.ACCEPTED, signer)
    type(slips).objects.filter(pk=slips.pk).update(is_final=True)
    client = login(coordinator)
    assert 'data-testid="apply-fixes"' not in client.get(page_url(slips)).content.decode()
    response = client.post(fix_url(slips, slips.first_section), {"version": slips.first_section.version})
    assert response.status_code == 403
    slips.first_section.refresh_from_db()
    assert slips.first_section.intro == "县委专题研究部署,会议开得很好。。"


def test_headings_and_found_text_show_as_text(login, slips, coordinator):
    Section.objects.filter(pk=slips.first_section.pk).update(heading="<script>alert(1)</script>,标题")
    page = login(coordinator).get(page_url(slips)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
