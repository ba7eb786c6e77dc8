"""In real Chromium: the office edits a signed-off section with a reason and reads the 修改对照稿
(page and DOCX); a department answers a comment from beside its measure in the editor; the
editor shows last period's text when its switch is turned on."""

import docx
import pytest
from playwright.sync_api import expect

from reports import content
from reports.cloning import clone_report
from reports.models import Assignment, Comment, Section

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_office_changes_an_accepted_section_and_the_comparison_shows_it_with_the_reason(
    page, login_as, report, drafter, signer, coordinator, tmp_path
):
    section = report.our_section
    assignment = Assignment.objects.get(section=section)
    assignment.submit(drafter)
    assignment.sign_off(signer)
    assignment.accept(coordinator)
    measure = section.measures.get(position=0)

    login_as(coordinator)
    page.goto(f"/sections/{section.pk}/")
    page.fill(f"#measure-{measure.pk} textarea[name$='-body']", "梳理形成办事清单15项。")
    page.fill("#id_note", "数据以年报为准")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success").first).to_be_visible()

    page.goto(f"/reports/{report.pk}/board/")
    page.get_by_test_id("board-comparison").click()
    changed = page.locator("[data-testid=comparison-section][data-status=changed]")
    expect(changed).to_have_count(1)
    row = changed.locator("[data-testid=comparison-row]")
    expect(row.locator("td.compare-old del")).to_have_text("12")  # a changed figure is marked whole
    expect(row.locator("td.compare-new ins").first).to_have_text("办事")
    expect(row.locator("td.comparison-reason")).to_have_text("数据以年报为准")
    expect(page.locator("[data-testid=comparison-section][data-status=unsigned]").first).to_contain_text("未签发")

    page.get_by_test_id("layout-inline").click()
    inline = page.locator("[data-testid=comparison-section][data-status=changed] [data-testid=comparison-row]")
    expect(inline.locator("del")).to_have_text("12")
    expect(inline).to_contain_text("修改理由：数据以年报为准")

    with page.expect_download() as download_info:
        page.get_by_test_id("comparison-docx").click()
    download = download_info.value
    assert download.suggested_filename == "关于测试工作情况的报告（修改对照稿）.docx"
    target = tmp_path / "comparison.docx"
    download.save_as(target)
    document = docx.Document(str(target))
    assert not document.tables  # the inline layout the office chose
    assert any(p.text == "（修改理由：数据以年报为准）" for p in document.paragraphs)

    # The office adds what the department signed: the page shows it and the DOCX carries it.
    page.get_by_test_id("comparison-full").check()
    page.get_by_test_id("comparison-apply").click()
    signed = page.locator("[data-testid=signed-section]")
    expect(signed).to_have_count(1)
    expect(signed.locator("[data-testid=signed-measure]").first).to_have_text(
        "一是推行一件事一次办。梳理形成清单12项。"
    )
    expect(signed.locator("[data-testid=signed-by]")).to_contain_text("张签发")
    expect(page.get_by_test_id("layout-inline")).to_have_attribute("aria-current", "true")
    with page.expect_download() as download_info:
        page.get_by_test_id("comparison-docx").click()
    download_info.value.save_as(target)
    body = [p.text for p in docx.Document(str(target)).paragraphs]
    signed_part = body[body.index("第二部分　签发文本") :]
    assert "一是推行一件事一次办。梳理形成清单12项。" in signed_part
    assert "（修改理由：数据以年报为准）" in body[: body.index("第二部分　签发文本")]


def test_a_drafter_replies_to_and_resolves_a_comment_from_beside_its_measure(
    page, login_as, report, drafter, coordinator
):
    section = report.our_section
    measure = section.measures.get(position=0)
    thread = Comment.add(section, coordinator, "数字请核实。", measure=measure, quote="清单12项")

    login_as(drafter)
    page.goto(f"/sections/{section.pk}/")
    card = page.locator(f"#measure-{measure.pk}")
    comment = card.get_by_test_id("measure-comment")
    expect(comment).to_contain_text("数字请核实。")
    expect(comment).to_contain_text("“清单12项”")
    # Typing the reply is not an edit of the section: no "unsaved changes", no question on leaving.
    comment.get_by_test_id("reply-text").fill("已核实，为12项。")
    expect(page.locator("#unsaved")).to_be_hidden()
    with page.expect_navigation():
        comment.locator("button[data-action=reply]").click()
    assert page.url.endswith(f"/sections/{section.pk}/#measure-{measure.pk}")
    expect(card.locator(".comment-reply")).to_contain_text("已核实，为12项。")

    with page.expect_navigation():
        card.get_by_test_id("measure-comment").locator("button[data-action=resolve]").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    expect(page.locator(f"#measure-{measure.pk}").get_by_test_id("measure-comment")).to_have_count(0)
    thread.refresh_from_db()
    assert thread.resolved_by == drafter


def test_the_editor_shows_last_periods_text_when_the_switch_is_on(page, login_as, report, drafter, coordinator):
    new = clone_report(report, coordinator, title="关于测试工作情况的报告（下一期）")
    section = Section.objects.get(report=new, previous=report.our_section)
    first, second = section.measures.order_by("position")
    content.save_content(
        section,
        None,
        measures=[
            content.MeasureText(first.pk, first.lead, first.body),
            content.MeasureText(second.pk, second.lead, "全程网办率达到95%。"),
        ],
    )

    login_as(drafter)
    page.goto(f"/sections/{section.pk}/")
    expect(page.locator(f"#measure-{first.pk}").get_by_test_id("same-as-last-period")).to_have_text("与上期相同")
    expect(page.locator(f"#measure-{second.pk}").get_by_test_id("same-as-last-period")).to_have_count(0)
    previous = page.locator(f"#measure-{second.pk}").get_by_test_id("measure-previous")
    expect(previous).to_be_hidden()
    page.get_by_label("在每条举措旁显示上期文本", exact=False).check()
    expect(previous).to_be_visible()
    expect(previous).to_contain_text("全程网办率达到90%。")
    expect(page.locator("#unsaved")).to_be_hidden()
    page.get_by_label("在每条举措旁显示上期文本", exact=False).uncheck()
    expect(previous).to_be_hidden()
