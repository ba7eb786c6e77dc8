"""The 修改对照稿: what each department signed against the text now, measure by measure, with the
editor's reason for each change; as a page (one section, the whole report) and as a DOCX."""

import datetime
import io
import shutil
import subprocess

import docx
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx.oxml.ns import qn

from drafting.comparison import ADDED, CHANGED, REMOVED, UNCHANGED, UNSIGNED, merge_sides, section_comparison
from drafting.comparison_docx import INLINE, export_comparison
from reports import content
from reports.models import Assignment, Measure, Section
from tests.test_export_layout import page_count, page_lines, to_pdf

pytestmark = pytest.mark.django_db


def texts(section):
    return [content.MeasureText(m.pk, m.lead, m.body) for m in section.measures.order_by("position", "pk")]


def sign_and_accept(section, drafter, signer, coordinator):
    assignment = Assignment.objects.get(section=section)
    assignment.submit(drafter)
    assignment.sign_off(signer)
    assignment.accept(coordinator)
    return assignment


@pytest.fixture
def changed(report, our_section, drafter, signer, coordinator):
    """（一） signed with 一是/二是, then changed by the office in two saves with two reasons:
    一是's figure and the intro (数据更新), then 二是 deleted and a new measure added (合并同类举措)."""
    sign_and_accept(our_section, drafter, signer, coordinator)
    first, second = texts(our_section)
    content.save_content(
        our_section,
        coordinator,
        intro="全县政务服务提速增效。",
        measures=[content.MeasureText(first.pk, first.lead, "梳理形成办事清单15项。"), second],
        note="数据更新",
    )
    first, _second = texts(our_section)
    content.save_content(
        our_section,
        coordinator,
        measures=[first, content.MeasureText(None, "推进帮办代办", "设立帮办窗口3个。")],
        note="合并同类举措",
    )
    our_section.refresh_from_db()
    return our_section


def by_status(item):
    return {(row.kind, row.status): row for row in item.rows}


def test_each_change_after_sign_off_is_a_row_with_the_reason_of_the_save_that_made_it(changed):
    item = section_comparison(Section.objects.select_related("assignment__department").get(pk=changed.pk))
    assert item.status == CHANGED
    rows = by_status(item)
    assert set(rows) == {("intro", CHANGED), ("measure", CHANGED), ("measure", ADDED), ("measure", REMOVED)}
    assert rows["intro", CHANGED].reasons == ["数据更新"]
    edited = rows["measure", CHANGED]
    assert (edited.old_label, edited.new_label, edited.reasons) == ("一是", "一是", ["数据更新"])
    # Marked word by word, not the whole measure: 12 became 15, 办事 was added.
    assert "".join(text for text, marked in edited.old if not marked).startswith("推行一件事一次办。梳理形成")
    assert ("办事", True) in edited.new
    assert any(marked and "2" in text for text, marked in edited.old)
    assert rows["measure", REMOVED].old_label == "二是"
    assert rows["measure", REMOVED].reasons == ["合并同类举措"]
    assert rows["measure", ADDED].new_label == "二是"
    assert rows["measure", ADDED].reasons == ["合并同类举措"]


def test_a_moved_measure_is_compared_with_itself_not_with_the_one_now_in_its_place(
    our_section, drafter, signer, coordinator
):
    sign_and_accept(our_section, drafter, signer, coordinator)
    first, second = texts(our_section)
    moved = content.MeasureText(second.pk, second.lead, "全程网办率达到95%。")
    content.save_content(our_section, coordinator, measures=[moved, first], note="调整顺序并更新数据")
    item = section_comparison(Section.objects.select_related("assignment__department").get(pk=our_section.pk))
    assert item.reordered and item.order_reasons == ["调整顺序并更新数据"]
    [row] = item.rows
    assert (row.status, row.old_label, row.new_label) == (CHANGED, "二是", "一是")
    assert "".join(text for text, _marked in row.old) == "深化一网通办。全程网办率达到90%。"


def test_merged_sides_read_as_the_old_text_and_as_the_new_text():
    old = [("推行一件事一次办。梳理形成清单1", False), ("2", True), ("项。", False)]
    new = [("推行一件事一次办。梳理形成", False), ("办事", True), ("清单1", False), ("5", True), ("项。", False)]
    merged = merge_sides(old, new)
    assert "".join(t for t, kind in merged if kind != "inserted") == "推行一件事一次办。梳理形成清单12项。"
    assert "".join(t for t, kind in merged if kind != "deleted") == "推行一件事一次办。梳理形成办事清单15项。"
    assert ("2", "deleted") in merged and ("5", "inserted") in merged


def comparison_url(section):
    return reverse("drafting:section-comparison", args=[section.pk])


def report_comparison_url(report, **query):
    url = reverse("drafting:report-comparison", args=[report.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_section_page_shows_the_signed_and_revised_text_and_the_reasons(changed, login, drafter):
    page = login(drafter).get(comparison_url(changed)).content.decode()
    assert "原文" in page and "修改后" in page and "修改理由" in page
    assert "<ins>办事</ins>" in page
    assert "数据更新" in page and "合并同类举措" in page
    assert "（新增）" in page and "（删除）" in page
    assert "张签发" in page  # who signed


def test_the_inline_layout_strikes_deletions_and_underlines_insertions_with_the_reason(changed, login, coordinator):
    page = login(coordinator).get(comparison_url(changed) + "?layout=inline").content.decode()
    assert "<del>12</del><ins>15</ins>" in page
    assert "<del>二是</del><del>深化一网通办。全程网办率达到90%。</del>" in page
    assert "修改理由：合并同类举措" in page
    assert 'data-testid="comparison-table"' not in page


def test_the_report_page_says_which_sections_were_never_signed_and_which_did_not_change(
    changed, report, login, coordinator, other_drafter, other_signer
):
    their = Assignment.objects.get(section=report.their_section)
    their.submit(other_drafter)
    their.sign_off(other_signer)
    response = login(coordinator).get(report_comparison_url(report))
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 节签发后有改动，1 节无改动，2 节未签发。" in page
    sections = page.split('data-testid="comparison-section"')[1:]
    statuses = [part.split('data-status="')[1].split('"')[0] for part in sections]
    assert statuses == [UNSIGNED, UNSIGNED, CHANGED, UNCHANGED]
    assert "未签发" in sections[0] and "无改动" in sections[3]


def test_the_board_the_report_and_the_review_page_link_to_the_comparison(report, our_section, login, coordinator):
    client = login(coordinator)
    url = report_comparison_url(report)
    assert url in client.get(reverse("reports:report-board", args=[report.pk])).content.decode()
    assert url in client.get(reverse("reports:report-detail", args=[report.pk])).content.decode()
    review = client.get(reverse("drafting:section-review", args=[our_section.pk])).content.decode()
    assert comparison_url(our_section) in review


def test_another_department_cannot_see_a_sections_comparison(changed, login, other_drafter):
    assert login(other_drafter).get(comparison_url(changed)).status_code == 404


def test_only_the_coordinators_see_the_whole_reports_comparison_and_its_docx(
    changed, report, client, drafter, other_coordinator
):
    export = reverse("drafting:report-comparison-export", args=[report.pk])
    client.force_login(drafter)  # a department of this report: may see it, may not do this
    assert client.get(report_comparison_url(report)).status_code == 403
    assert client.get(export).status_code == 403
    client.force_login(other_coordinator)  # no part in this report
    assert client.get(report_comparison_url(report)).status_code == 404
    assert client.get(export).status_code == 404


def test_user_text_on_the_comparison_page_is_escaped(our_section, drafter, signer, coordinator, login):
    sign_and_accept(our_section, drafter, signer, coordinator)
    first, second = texts(our_section)
    evil = content.MeasureText(first.pk, first.lead, "<script>alert(1)</script>清单12项。")
    content.save_content(our_section, coordinator, measures=[evil, second], note="<b>理由</b>")
    for layout in ("table", "inline"):
        page = login(coordinator).get(comparison_url(our_section) + f"?layout={layout}").content.decode()
        assert "<script>alert(1)" not in page and "<b>理由</b>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;理由&lt;/b&gt;" in page


def test_the_report_comparison_reads_a_constant_number_of_queries(report, coordinator, drafter, signer, login):
    """Two changed sections or five: the same queries (the history of all is read at once)."""
    client = login(coordinator)

    def add_changed_section(n):
        section = Section.objects.create(
            report=report, parent=report.our_section.parent, position=10 + n, heading=f"新增{n}"
        )
        Measure.objects.create(section=section, position=0, lead="举措", body="原文。")
        Assignment.objects.create(section=section, department=report.our_section.assignment.department)
        sign_and_accept(section, drafter, signer, coordinator)
        [measure] = texts(section)
        content.save_content(
            section, coordinator, measures=[content.MeasureText(measure.pk, "举措", "改文。")], note=f"理由{n}"
        )

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(report_comparison_url(report)).status_code == 200
        return len(queries)

    for n in range(2):
        add_changed_section(n)
    few = count()
    for n in range(2, 5):
        add_changed_section(n)
    assert count() == few


# ---------------------------------------------------------------- the DOCX


def cell_runs(cell, tag):
    return [
        "".join(t.text for t in r.iter(qn("w:t")))
        for r in cell._tc.iter(qn("w:r"))
        if r.find(f"{qn('w:rPr')}/{qn(tag)}") is not None
    ]


def test_the_docx_table_has_the_signed_text_struck_the_revision_underlined_and_the_reasons(changed, report):
    document = docx.Document(io.BytesIO(export_comparison(report)))
    [table] = document.tables
    assert [c.text for c in table.rows[0].cells] == ["原文", "修改后", "修改理由"]
    rows = {row.cells[1].text: row for row in table.rows[1:]}
    edited = rows["一是推行一件事一次办。梳理形成办事清单15项。"]
    assert edited.cells[0].text == "一是推行一件事一次办。梳理形成清单12项。"
    assert "12" in cell_runs(edited.cells[0], "w:strike")
    assert "办事" in cell_runs(edited.cells[1], "w:u") and "15" in cell_runs(edited.cells[1], "w:u")
    assert edited.cells[2].text == "数据更新"
    removed = next(row for row in table.rows if row.cells[1].text == "（删除）")
    assert removed.cells[0].text == "二是深化一网通办。全程网办率达到90%。" and removed.cells[2].text == "合并同类举措"
    added = next(row for row in table.rows if row.cells[0].text == "（新增）")
    assert cell_runs(added.cells[1], "w:u") == ["推进帮办代办。设立帮办窗口3个。"]
    body = [p.text for p in document.paragraphs]
    assert body[0] == "关于测试工作情况的报告\n修改对照稿"
    assert any("未签发" in line for line in body)


def test_the_inline_docx_strikes_and_underlines_within_the_text_and_gives_each_reason(changed, report):
    document = docx.Document(io.BytesIO(export_comparison(report, INLINE)))
    assert not document.tables
    paragraphs = document.paragraphs
    edited = next(p for p in paragraphs if p.text.startswith("一是推行一件事一次办"))
    struck = [r.text for r in edited.runs if r._r.find(f"{qn('w:rPr')}/{qn('w:strike')}") is not None]
    underlined = [r.text for r in edited.runs if r._r.find(f"{qn('w:rPr')}/{qn('w:u')}") is not None]
    assert struck == ["12"] and underlined == ["办事", "15"]
    assert any(p.text == "（修改理由：数据更新）" for p in paragraphs)


def test_export_report_comparison_writes_the_docx_and_inline_needs_comparison(changed, report, tmp_path):
    target = tmp_path / "对照稿.docx"
    out = io.StringIO()
    call_command("export_report", report.pk, "--comparison", "--output", str(target), stdout=out)
    assert "comparison" in out.getvalue()
    assert [c.text for c in docx.Document(str(target)).tables[0].rows[0].cells] == ["原文", "修改后", "修改理由"]
    call_command("export_report", report.pk, "--comparison", "--inline", "--output", str(target), stdout=io.StringIO())
    assert not docx.Document(str(target)).tables
    with pytest.raises(CommandError, match="--comparison"):
        call_command("export_report", report.pk, "--inline", "--output", str(tmp_path / "x.docx"))


def test_the_docx_download_is_the_comparison_in_the_chosen_layout(changed, report, login, coordinator):
    response = login(coordinator).get(reverse("drafting:report-comparison-export", args=[report.pk]) + "?layout=inline")
    assert response.status_code == 200
    assert "修改对照稿" in response["Content-Disposition"] or "%E4%BF%AE%E6%94%B9" in response["Content-Disposition"]
    assert not docx.Document(io.BytesIO(response.content)).tables


def column_text(pdf, left_pt, width_pt):
    """The first page's text within one column of the page (A4 is 595 × 842 pt), spaces dropped."""
    out = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-x", str(round(left_pt)), "-y", "0", "-W", str(round(width_pt))]
        + ["-H", "842", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return "".join(out.split())


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")), reason="needs LibreOffice and poppler-utils"
)
def test_libreoffice_lays_out_the_comparison_as_three_columns_original_revised_reason(changed, report, tmp_path):
    pdf = to_pdf(export_comparison(report), tmp_path)
    assert page_count(pdf) == 1
    lines = page_lines(pdf, 1)
    assert lines[:2] == ["关于测试工作情况的报告", "修改对照稿"]
    header = next(line for line in lines if line.startswith("原文"))
    assert header == "原文修改后修改理由"
    # The text area starts 28 mm from the left edge; the columns are 170, 170 and 102 pt wide.
    left = 28 / 25.4 * 72
    original, revised, reasons = (
        column_text(pdf, left + start, width) for start, width in ((0, 170), (170, 170), (340, 102))
    )
    assert "原文一是推行一件事一次办。梳理形成清单12项。（新增）二是深化一网通办。全程网办率达到90%。" in original
    assert "修改后全县政务服务提速增效。一是推行一件事一次办。梳理形成办事清单15项。" in revised
    assert "二是推进帮办代办。设立帮办窗口3个。（删除）" in revised
    assert "修改理由数据更新数据更新合并同类举措合并同类举措" in reasons
    assert "未签发" in "".join(lines)


def section_export_url(section, layout=None):
    url = reverse("drafting:section-comparison-export", args=[section.pk])
    return url + (f"?layout={layout}" if layout else "")


def test_the_section_page_offers_its_own_docx_in_the_chosen_layout(changed, login, drafter):
    client = login(drafter)
    page = client.get(comparison_url(changed) + "?layout=inline").content.decode()
    assert f'href="{section_export_url(changed, "inline")}"' in page
    response = client.get(section_export_url(changed, "inline"))
    assert response.status_code == 200
    assert "%E4%BF%AE%E6%94%B9%E5%AF%B9%E7%85%A7%E7%A8%BF" in response["Content-Disposition"]  # 修改对照稿
    document = docx.Document(io.BytesIO(response.content))
    assert not document.tables
    assert any(p.text == "（修改理由：数据更新）" for p in document.paragraphs)


def test_the_section_docx_holds_that_section_alone(changed, report, login, drafter):
    response = login(drafter).get(section_export_url(changed))
    document = docx.Document(io.BytesIO(response.content))
    body = [p.text for p in document.paragraphs]
    assert body[0] == "关于测试工作情况的报告\n修改对照稿"
    assert "（一）在提升政务服务效能方面" in body
    assert not any(line.startswith(("一、", "二、", "（二）")) for line in body)
    assert not any("节签发后有改动" in line for line in body)  # the whole report's summary
    [table] = document.tables
    assert [c.text for c in table.rows[0].cells] == ["原文", "修改后", "修改理由"]
    assert "一是推行一件事一次办。梳理形成清单12项。" in [row.cells[0].text for row in table.rows]


def test_the_section_docx_is_for_those_who_see_the_section_page(changed, client, coordinator, other_drafter):
    client.force_login(other_drafter)
    assert client.get(section_export_url(changed)).status_code == 404
    client.force_login(coordinator)
    response = client.get(section_export_url(changed))
    assert response.status_code == 200
    assert docx.Document(io.BytesIO(response.content)).tables
    client.logout()
    assert client.get(section_export_url(changed)).status_code == 302  # to the login page


def test_a_finalised_reports_comparison_shows_what_was_signed_by_whom_and_when_and_each_change_with_its_reason(
    report, our_section, their_section, drafter, signer, other_drafter, other_signer, coordinator, tmp_path
):
    ours = sign_and_accept(our_section, drafter, signer, coordinator)
    sign_and_accept(their_section, other_drafter, other_signer, coordinator)
    first, second = texts(our_section)
    content.save_content(
        our_section,
        coordinator,
        measures=[first, content.MeasureText(second.pk, second.lead, "全程网办率达到95%，居全市前列。")],
        note="按统计局最新数据更新",
    )
    report.issued_on = datetime.date(2025, 12, 5)
    report.save()
    report.finalise(coordinator)
    report.refresh_from_db()
    assert report.is_final
    ours.refresh_from_db()

    target = tmp_path / "对照稿.docx"
    call_command("export_report", report.pk, "--comparison", "--output", str(target), stdout=io.StringIO())
    document = docx.Document(str(target))
    [table] = document.tables
    [row] = table.rows[1:]
    assert row.cells[0].text == "二是深化一网通办。全程网办率达到90%。"  # what the department signed
    assert row.cells[1].text == "二是深化一网通办。全程网办率达到95%，居全市前列。"  # the text now
    assert row.cells[2].text == "按统计局最新数据更新"
    at = timezone.localtime(ours.signed_off_at)
    signed_line = f"张签发 于 {at.year}年{at.month}月{at.day}日 {at:%H:%M} 签发"
    body = [p.text for p in document.paragraphs]
    ours_at = body.index("（一）在提升政务服务效能方面")
    assert signed_line in body[ours_at + 1]
    theirs_at = body.index("（二）在强化要素保障方面")
    assert "other_signer 于" in body[theirs_at + 1] and "无改动" in body[theirs_at + 1]


# ---------------------------------------------------------------- the signed texts (签发文本)

TABLE = {"header": True, "rows": [["项目", "面积（亩）"], ["工业园", "300"]]}


@pytest.fixture
def both_signed(changed, report, their_section, other_drafter, other_signer, coordinator):
    """（一） changed after sign-off as in `changed`; （二） with a table, signed and never changed."""
    measure = their_section.measures.get()
    measure.table = TABLE
    measure.save()
    sign_and_accept(their_section, other_drafter, other_signer, coordinator)
    return report


def signed_at(section):
    at = timezone.localtime(Assignment.objects.get(section=section).signed_off_at)
    return f"{at.year}年{at.month}月{at.day}日 {at:%H:%M}"


def test_the_full_docx_follows_the_changes_with_each_signed_sections_whole_text_signer_and_time(
    both_signed, our_section, their_section
):
    document = docx.Document(io.BytesIO(export_comparison(both_signed, full=True)))
    body = [p.text for p in document.paragraphs]
    part_one, part_two = body.index("第一部分　签发后改动"), body.index("第二部分　签发文本")
    assert part_one < body.index("（一）在提升政务服务效能方面") < part_two
    heading = next(p for p in document.paragraphs if p.text == "第二部分　签发文本")
    assert heading._p.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None

    # Part one: the changed section's old text, new text and reason, as without the signed texts.
    changes, signed_table = document.tables
    edited = next(row for row in changes.rows if row.cells[0].text == "一是推行一件事一次办。梳理形成清单12项。")
    assert edited.cells[1].text == "一是推行一件事一次办。梳理形成办事清单15项。"
    assert edited.cells[2].text == "数据更新"

    # Part two: every signed section in full as signed, with who signed it and when; the
    # unsigned sections (一、 and 二、) are not there.
    signed = body[part_two + 1 :]
    assert not any(line.startswith(("一、", "二、")) for line in signed)
    ours = signed.index("（一）在提升政务服务效能方面")
    theirs = signed.index("（二）在强化要素保障方面")
    assert signed[ours + 1] == f"责任单位：县发改局　张签发 于 {signed_at(our_section)} 签发"
    # The changed section as signed: no intro yet, its 二是 not yet deleted, 12 not yet 15.
    assert signed[ours + 2 : theirs] == [
        "一是推行一件事一次办。梳理形成清单12项。",
        "二是深化一网通办。全程网办率达到90%。",
    ]
    assert "全县政务服务提速增效。" not in signed
    # The unchanged section in full, its table too.
    assert signed[theirs + 1] == f"责任单位：县财政局　other_signer 于 {signed_at(their_section)} 签发"
    assert signed[theirs + 2] == "一是保障项目用地。盘活闲置土地300亩。"
    assert [[cell.text for cell in row.cells] for row in signed_table.rows] == TABLE["rows"]


def test_without_full_the_docx_has_the_changes_alone(both_signed):
    document = docx.Document(io.BytesIO(export_comparison(both_signed)))
    body = [p.text for p in document.paragraphs]
    assert "第二部分　签发文本" not in body and "第一部分　签发后改动" not in body
    assert len(document.tables) == 1


def test_the_signed_text_is_the_pinned_revisions_even_after_the_heading_changed(
    both_signed, their_section, coordinator
):
    content.save_content(their_section, coordinator, heading="在强化要素保障和资金方面", note="标题统一")
    document = docx.Document(io.BytesIO(export_comparison(both_signed, full=True)))
    body = [p.text for p in document.paragraphs]
    signed = body[body.index("第二部分　签发文本") :]
    assert "（二）在强化要素保障方面" in signed and "（二）在强化要素保障和资金方面" not in signed
    assert "（二）在强化要素保障和资金方面" in body  # part one: the heading now, changed with its reason
    assert "标题统一" in [cell.text for table in document.tables for row in table.rows for cell in row.cells]


def test_export_report_full_adds_the_signed_texts_and_needs_comparison(both_signed, tmp_path):
    target = tmp_path / "对照稿.docx"
    out = io.StringIO()
    call_command("export_report", both_signed.pk, "--comparison", "--full", "--output", str(target), stdout=out)
    assert "with the signed texts" in out.getvalue()
    body = [p.text for p in docx.Document(str(target)).paragraphs]
    assert "第二部分　签发文本" in body and "一是保障项目用地。盘活闲置土地300亩。" in body
    call_command("export_report", both_signed.pk, "--comparison", "--inline", "--full", "--output", str(target))
    document = docx.Document(str(target))
    assert "（修改理由：数据更新）" in [p.text for p in document.paragraphs]
    assert len(document.tables) == 1  # the signed table alone: the changes are inline
    with pytest.raises(CommandError, match="--comparison"):
        call_command("export_report", both_signed.pk, "--full", "--output", str(tmp_path / "x.docx"))


def test_the_report_page_shows_the_signed_texts_when_asked_and_its_docx_link_carries_the_choice(
    both_signed, login, coordinator
):
    client = login(coordinator)
    page = client.get(report_comparison_url(both_signed)).content.decode()
    assert 'data-testid="signed-section"' not in page and "附各部门签发文本" in page
    page = client.get(report_comparison_url(both_signed, layout="inline", full=1)).content.decode()
    signed = page.split('id="signed-texts"')[1]
    assert signed.count('data-testid="signed-section"') == 2
    assert "二是深化一网通办。全程网办率达到90%。" in signed and "张签发" in signed and "other_signer" in signed
    assert '<th scope="col">面积（亩）</th>' in signed and "<td>300</td>" in signed
    export = reverse("drafting:report-comparison-export", args=[both_signed.pk]) + "?layout=inline&amp;full=1"
    assert f'href="{export}"' in page
    assert 'name="full" value="1" id="comparison-full" checked' in page
    response = client.get(reverse("drafting:report-comparison-export", args=[both_signed.pk]) + "?full=1")
    assert "第二部分　签发文本" in [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]


def test_the_signed_texts_on_the_page_are_escaped(
    report, their_section, other_drafter, other_signer, coordinator, login
):
    measure = their_section.measures.get()
    measure.body = "<script>alert(1)</script>"
    measure.table = {"header": False, "rows": [["<img src=x onerror=alert(2)>"]]}
    measure.save()
    their_section.heading = "<b>标题</b>"
    their_section.save()
    sign_and_accept(their_section, other_drafter, other_signer, coordinator)
    page = login(coordinator).get(report_comparison_url(report, full=1)).content.decode()
    signed = page.split('id="signed-texts"')[1]
    assert "<script>alert(1)" not in signed and "<img src=x" not in signed and "<b>标题</b>" not in signed
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in signed and "&lt;img src=x onerror=alert(2)&gt;" in signed
    assert "&lt;b&gt;标题&lt;/b&gt;" in signed


def test_the_report_comparison_with_the_signed_texts_reads_a_constant_number_of_queries(
    report, coordinator, drafter, signer, login
):
    client = login(coordinator)

    def add_signed_sections(n):
        for kind in ("changed", "unchanged"):
            section = Section.objects.create(
                report=report, parent=report.our_section.parent, position=10 + n, heading=f"{kind}{n}"
            )
            Measure.objects.create(section=section, position=0, lead="举措", body="原文。")
            Assignment.objects.create(section=section, department=report.our_section.assignment.department)
            sign_and_accept(section, drafter, signer, coordinator)
            if kind == "changed":
                [measure] = texts(section)
                content.save_content(
                    section, coordinator, measures=[content.MeasureText(measure.pk, "举措", "改文。")], note=f"理由{n}"
                )

    def count():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(report_comparison_url(report, full=1)).content.decode()
        return len(queries), page.count('data-testid="signed-section"')

    for n in range(2):
        add_signed_sections(n)
    few, shown = count()
    assert shown == 4
    for n in range(2, 5):
        add_signed_sections(n)
    assert count() == (few, 10)


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")), reason="needs LibreOffice and poppler-utils"
)
def test_libreoffice_lays_out_the_signed_texts_as_a_second_part_on_a_page_of_its_own(both_signed, tmp_path):
    pdf = to_pdf(export_comparison(both_signed, full=True), tmp_path)
    assert page_count(pdf) == 2
    first = [line.replace("\u3000", "") for line in page_lines(pdf, 1)]
    assert "第一部分签发后改动" in first and "原文修改后修改理由" in first
    assert not any("签发文本" in line for line in first)
    second = [line.replace("\u3000", "") for line in page_lines(pdf, 2)]
    assert second[0] == "第二部分签发文本"
    text = "".join(second)
    for signed in (
        "（一）在提升政务服务效能方面",
        "一是推行一件事一次办。梳理形成清单12项。",
        "二是深化一网通办。全程网办率达到90%。",
        "（二）在强化要素保障方面",
        "一是保障项目用地。盘活闲置土地300亩。",
        "张签发于",
        "other_signer于",
    ):
        assert signed in text
    table_row = next(line for line in second if line.startswith("工业园"))
    assert table_row == "工业园300"


def test_a_sections_docx_with_full_holds_that_sections_signed_text_alone(both_signed, our_section, login, drafter):
    response = login(drafter).get(section_export_url(our_section) + "?full=1")
    body = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
    signed = body[body.index("第二部分　签发文本") :]
    assert "二是深化一网通办。全程网办率达到90%。" in signed
    assert "（二）在强化要素保障方面" not in body
