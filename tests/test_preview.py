"""The preview: the assembled report as HTML styled like the printed document."""

import datetime

import pytest
from django.urls import reverse

from reports import content
from reports.document import report_blocks
from reports.models import Assignment, AssignmentState, Measure, Report, Section

pytestmark = pytest.mark.django_db


def preview(client, report, mode="draft"):
    response = client.get(reverse("reports:report-preview", args=[report.pk]) + f"?mode={mode}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_preview_shows_the_whole_report_in_reading_order(login, coordinator, report):
    page = preview(login(coordinator), report)
    positions = [
        page.index(text)
        for text in (
            "关于测试工作情况的报告</h1>",
            "今年以来，我县扎实推进各项工作。",
            "一、强化组织领导",
            "二、推动举措落地",
            "（一）在提升政务服务效能方面",
            "一是推行一件事一次办。梳理形成清单12项。",
            "（二）在强化要素保障方面",
            "下一步，我们将持续用力",
            "中共测试县委办公室",
        )
    ]
    assert positions == sorted(positions)
    assert "preview.css" in page


def test_draft_view_shows_department_state_and_unfinished_sections(login, coordinator, report, their_section):
    Assignment.objects.filter(section=their_section).update(state=AssignmentState.ACCEPTED)
    page = preview(login(coordinator), report)
    assert '<span class="doc-tag">〔县发改局·待提交〕</span>' in page
    assert '<span class="doc-tag">〔县财政局·已采用〕</span>' in page
    assert page.count("【待报送：县发改局】") == 1
    assert "【待报送：县财政局】" not in page
    assert "征求意见稿" in page
    assert "【成文日期待定】" in page


def test_placeholders_are_highlighted(login, coordinator, report, our_section):
    Measure.objects.filter(section=our_section, position=0).update(body="梳理形成清单X项，XX月完成。")
    page = preview(login(coordinator), report)
    assert '清单<mark class="placeholder">X</mark>项，<mark class="placeholder">XX</mark>月' in page
    page = preview(login(coordinator), report, mode="final")
    assert '<mark class="placeholder">X</mark>' in page


def test_final_view_has_no_draft_marks(login, coordinator, report):
    report.issued_on = datetime.date(2026, 1, 5)
    report.save()
    page = preview(login(coordinator), report, mode="final")
    assert "〔县发改局" not in page
    assert "【待报送" not in page
    assert '<div class="doc-header">' not in page
    assert "2026年1月5日" in page


def test_issuer_and_date_are_indented_in_characters(report):
    report.issued_on = datetime.date(2025, 6, 9)
    blocks = report_blocks(report, draft=False)
    issuer, date = blocks[-2], blocks[-1]
    assert (issuer["kind"], date["kind"]) == ("issuer", "date")
    # 中共测试县委办公室 is 9 characters: 28 − 2 − 9 = 17 characters, i.e. 34 halves.
    assert issuer["indent_halves"] == 34
    assert date["indent_halves"] == 38


def test_text_is_escaped(login, coordinator, report):
    Section.objects.filter(pk=report.first_section.pk).update(intro="<script>alert(1)</script>")
    page = preview(login(coordinator), report)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_preview_is_for_coordinators(login, drafter, other_coordinator, report):
    assert login(drafter).get(reverse("reports:report-preview", args=[report.pk])).status_code == 403
    assert login(other_coordinator).get(reverse("reports:report-preview", args=[report.pk])).status_code == 404


def test_the_preview_runs_a_constant_number_of_queries(login, coordinator, report, django_assert_max_num_queries):
    client = login(coordinator)
    url = reverse("reports:report-preview", args=[report.pk])
    with django_assert_max_num_queries(10):
        client.get(url)
    for n in range(20):
        section = Section.objects.create(report=report, position=10 + n, heading=f"新增{n}")
        Measure.objects.create(section=section, lead="举措", body="正文。")
    with django_assert_max_num_queries(10):
        page = client.get(url).content.decode()
    assert "二十二、新增19" in page


def test_the_title_headings_and_department_names_show_as_text(login, coordinator, report, department):
    Report.objects.filter(pk=report.pk).update(title="<script>alert(1)</script>")
    Section.objects.filter(pk=report.first_section.pk).update(heading='"><img src=x onerror=alert(2)>')
    Section.objects.filter(pk=report.our_section.pk).update(heading="{{ request.user.username }}")
    department.short_name = "<b>发改</b>"
    department.save()
    page = preview(login(coordinator), report)
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page and "<b>发改</b>" not in page
    assert '<h1 class="doc-title">&lt;script&gt;alert(1)&lt;/script&gt;</h1>' in page
    assert "一、&quot;&gt;&lt;img src=x onerror=alert(2)&gt;</h2>" in page
    assert "（一）{{ request.user.username }}" in page
    assert '<span class="doc-tag">〔&lt;b&gt;发改&lt;/b&gt;·待提交〕</span>' in page


def test_bold_leads_keep_their_placeholders_highlighted_in_order(login, coordinator, report, our_section):
    Report.objects.filter(pk=report.pk).update(bold_measure_leads=True)
    Measure.objects.filter(section=our_section, position=0).update(lead="X项任务", body="完成XX个，")
    page = preview(login(coordinator), report)
    assert (
        '<strong>一是</strong><mark class="placeholder">X</mark><strong>项任务。</strong>'
        '完成<mark class="placeholder">XX</mark>个，</p>'
    ) in page
    assert "<strong>二是深化一网通办。</strong>全程网办率达到90%。</p>" in page


def test_a_long_title_shows_in_the_lines_of_sense_the_docx_has(login, coordinator, report):
    from reports.titles import title_lines

    Report.objects.filter(pk=report.pk).update(title="关于2025年度优化营商环境工作落实情况的报告")
    page = preview(login(coordinator), report, mode="final")
    first, second = title_lines("关于2025年度优化营商环境工作落实情况的报告")
    assert f'<h1 class="doc-title">{first}<br>{second}</h1>' in page


def test_a_placeholder_in_a_broken_title_is_marked_on_its_line(login, coordinator, report):
    Report.objects.filter(pk=report.pk).update(title="关于X县\n工作情况的报告")
    page = preview(login(coordinator), report)
    assert '<h1 class="doc-title">关于<mark class="placeholder">X</mark>县<br>工作情况的报告</h1>' in page


def test_the_addressee_shows_under_the_title_with_a_full_width_colon(login, coordinator, report):
    Report.objects.filter(pk=report.pk).update(addressee="县委办公室")
    page = preview(login(coordinator), report)
    assert '<p class="doc-addressee" data-testid="preview-addressee">县委办公室：</p>' in page
    assert page.index("关于测试工作情况的报告</h1>") < page.index("县委办公室：") < page.index("今年以来")


@pytest.fixture
def changed_after_sign_off(
    report, our_section, their_section, drafter, signer, other_drafter, other_signer, coordinator
):
    """The 发改局's section signed off, accepted, then changed by the office with a reason; the
    财政局's signed off and left as signed."""
    ours = Assignment.objects.get(section=our_section)
    ours.submit(drafter)
    ours.sign_off(signer)
    ours.accept(coordinator)
    measures = [content.MeasureText(m.pk, m.lead, m.body) for m in our_section.measures.order_by("position")]
    content.save_content(our_section, coordinator, intro="牵头单位补充的导语。", measures=measures, note="统一口径")
    theirs = Assignment.objects.get(section=their_section)
    theirs.submit(other_drafter)
    theirs.sign_off(other_signer)
    return report


def test_the_draft_preview_marks_a_signed_section_changed_after_sign_off_and_only_that_one(
    login, coordinator, changed_after_sign_off
):
    page = preview(login(coordinator), changed_after_sign_off)
    assert (
        '<span class="doc-tag doc-tag-changed" data-testid="changed-after-sign-off">〔县发改局·已采用·签发后改动〕</span>'
        in page
    )
    assert page.count('data-testid="changed-after-sign-off"') == 1
    assert '<span class="doc-tag">〔县财政局·已签发待采用〕</span>' in page
    assert "签发后改动" not in preview(login(coordinator), changed_after_sign_off, mode="final")


def test_restoring_the_signed_text_takes_the_mark_off_the_preview(login, coordinator, changed_after_sign_off):
    section = changed_after_sign_off.our_section
    signed_version = content.revisions(section).last()
    assert signed_version.field_dict["intro"] == ""
    content.restore(section, coordinator, signed_version)
    page = preview(login(coordinator), changed_after_sign_off)
    assert "签发后改动" not in page
    assert '<span class="doc-tag">〔县发改局·已采用〕</span>' in page


def test_the_mark_costs_the_preview_no_query(login, coordinator, changed_after_sign_off, django_assert_max_num_queries):
    client = login(coordinator)
    with django_assert_max_num_queries(10):
        page = preview(client, changed_after_sign_off)
    assert "签发后改动" in page
