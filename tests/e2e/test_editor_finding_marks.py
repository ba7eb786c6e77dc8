"""The proofreader's findings underlined in the editor's previews, in real Chromium: each finding's
words are wrapped where the preview shows them (lead and body joined, the intro as typed), beside
the placeholder marks, without changing the text; a mark selects its words in the field, and a
fixed text loses its mark."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Each underlined piece: its finding, code, classes, text, and where it starts in the preview's text.
PIECES = """preview => Array.from(preview.querySelectorAll('.proof-mark'), mark => {
  const before = document.createRange();
  before.setStart(preview, 0);
  before.setEndBefore(mark);
  return {finding: mark.dataset.finding, code: mark.dataset.code, classes: mark.className,
          title: mark.title, text: mark.textContent, start: before.toString().length,
          inPlaceholder: Boolean(mark.closest('mark.placeholder'))};
})"""


def units(text):
    """The text's length as the DOM counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


SELECTED = "id => { const f = document.getElementById(id); return f.value.slice(f.selectionStart, f.selectionEnd); }"


def open_editor(page, login_as, drafter, section):
    login_as(drafter)
    page.goto(f"/sections/{section.pk}/")
    # The check run when the page opens has answered: the previews are what it left.
    expect(page.get_by_test_id("page-estimate")).to_be_visible()


def findings_by_code(preview):
    """{code: (the finding's words, joined from its pieces, and the offset of its first piece)}."""
    words = {}
    for piece in preview.evaluate(PIECES):
        code, text, start = words.get(piece["finding"], (piece["code"], "", piece["start"]))
        words[piece["finding"]] = (code, text + piece["text"], start)
    return {code: (text, start) for code, text, start in words.values()}


def test_a_finding_in_the_body_is_underlined_in_the_joined_preview_and_selects_its_words(
    page, login_as, drafter, report
):
    section = report.our_section
    measure = section.measures.order_by("position").first()
    open_editor(page, login_as, drafter, section)
    card = page.locator(f"#measure-{measure.pk}")
    preview = card.locator("[data-preview]")
    body_id = card.locator("textarea[name$='-body']").get_attribute("id")

    # Leading blanks the preview drops, a character outside the BMP (two UTF-16 units, one for
    # the proofreader) before the comma, and a placeholder the proofreader also reports.
    body = "  梳理𠮷形成清单,共X项。\n"
    card.locator("textarea[name$='-body']").fill(body)
    joined = "推行一件事一次办。" + body.strip()
    marks = preview.locator(".proof-mark")
    expect(marks).to_have_count(2)

    assert preview.text_content() == joined
    pieces = {piece["code"]: piece for piece in preview.evaluate(PIECES)}
    assert pieces["P001"]["text"] == ","
    assert pieces["P001"]["start"] == units(joined[: joined.index(",")])
    assert "proof-warning" in pieces["P001"]["classes"].split()
    assert pieces["P001"]["title"] == "中文文字中的半角“,”。"
    # The placeholder stays one whole <mark>, its finding underlined inside it.
    assert pieces["S004"]["text"] == "X"
    assert pieces["S004"]["start"] == units(joined[: joined.index("X")])
    assert "proof-error" in pieces["S004"]["classes"].split()
    assert pieces["S004"]["inPlaceholder"]
    expect(preview.locator("mark.placeholder")).to_have_text("X")

    preview.locator(".proof-mark[data-code='P001']").click()
    assert page.evaluate(SELECTED, body_id) == ","
    assert page.evaluate("() => document.activeElement.id") == body_id

    # Fixed: the comma's mark goes, the placeholder's stays.
    card.locator("textarea[name$='-body']").fill("梳理形成清单，共X项。")
    findings = page.get_by_test_id("check-findings")
    expect(findings).not_to_contain_text("P001")
    expect(findings).to_contain_text("S004")
    expect(marks).to_have_count(1)
    assert preview.locator(".proof-mark").get_attribute("data-code") == "S004"
    assert preview.text_content() == "推行一件事一次办。梳理形成清单，共X项。"


def test_findings_in_the_lead_and_overlapping_findings_keep_the_text_whole(page, login_as, drafter, report):
    section = report.our_section
    measure = section.measures.order_by("position").last()
    open_editor(page, login_as, drafter, section)
    card = page.locator(f"#measure-{measure.pk}")
    preview = card.locator("[data-preview]")

    card.locator("input[name$='-lead']").fill(" 深化一网通办的的")
    # 1,000 (thousands separator) and 000-2000 (a range) overlap on 000.
    card.locator("textarea[name$='-body']").fill("计划1,000-2000人参加。")
    joined = "深化一网通办的的。计划1,000-2000人参加。"
    expect(card.locator(".proof-mark[data-code='N003']")).to_have_count(2)

    assert preview.text_content() == joined
    words = findings_by_code(preview)
    assert words["W002"] == ("的的", joined.index("的的"))
    assert words["N004"] == ("1,000", joined.index("1,000"))
    assert words["N003"] == ("000-2000", joined.index("000-2000"))
    assert len(words) == 3


def test_a_hint_in_the_intro_is_underlined_in_the_intro_preview(page, login_as, drafter, report):
    open_editor(page, login_as, drafter, report.our_section)
    intro = "全面梳理企业开办各个环节的材料、着力压缩审批时限提高办事效率。"
    page.fill("#id_intro", intro)
    preview = page.locator("[data-preview-for='intro']")
    mark = preview.locator(".proof-mark")
    expect(mark).to_have_count(1)
    assert mark.text_content() == "、"
    assert "proof-hint" in mark.get_attribute("class").split()
    assert mark.get_attribute("data-code") == "P004"
    assert preview.text_content() == intro
    mark.click()
    assert page.evaluate(SELECTED, "id_intro") == "、"


def test_markup_typed_in_a_measure_is_shown_as_text_with_its_findings_marked(page, login_as, drafter, report):
    section = report.our_section
    measure = section.measures.order_by("position").first()
    open_editor(page, login_as, drafter, section)
    card = page.locator(f"#measure-{measure.pk}")
    preview = card.locator("[data-preview]")

    body = "<b>加粗</b>的的,<script>window.pwned=1</script>。"
    card.locator("textarea[name$='-body']").fill(body)
    expect(preview.locator(".proof-mark")).to_have_count(2)

    assert preview.text_content() == "推行一件事一次办。" + body
    assert preview.locator("b, script, img").count() == 0
    assert page.evaluate("() => window.pwned") is None
    words = findings_by_code(preview)
    assert words["W002"][0] == "的的"
    assert words["P001"][0] == ","
    # The finding's message quotes the typed words: a title, never markup.
    assert preview.locator(".proof-mark[data-code='W002']").get_attribute("title") == "“的的”字重复。"


def test_a_clean_text_has_no_marks(page, login_as, drafter, report):
    section = report.our_section
    open_editor(page, login_as, drafter, section)
    page.fill("#id_intro", "今年以来,工作有序推进。")
    expect(page.locator("[data-preview-for='intro'] .proof-mark")).to_have_count(1)

    page.fill("#id_intro", "今年以来，工作有序推进。")
    expect(page.get_by_test_id("check-findings")).to_have_text("没有发现需要修改的地方。")
    expect(page.locator("#section-form .proof-mark")).to_have_count(0)
    assert page.locator("[data-preview-for='intro']").text_content() == "今年以来，工作有序推进。"
    for measure in section.measures.all():
        preview = page.locator(f"#measure-{measure.pk} [data-preview]")
        assert preview.text_content() == f"{measure.lead}。{measure.body}"
