"""Proofreading: every rule caught where it applies and quiet where it does not (Latin words,
URLs, numbers inside quotes, 一是 inside a measure body), fixes that change only what they say,
and a whole report full of the usual slips."""

import io

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from reports.models import Measure, Report, Section, WordingRule
from reports.proofread import Place, apply_fix, apply_fixes, check_text
from reports.proofreading import proofread

BODY = Place("一、测试", "intro", 1, 1)
HEADING = Place("一、测试", "heading", 1, 1, is_heading=True)


def codes(text, place=BODY, wording=()):
    return [f.code for f in check_text(text, place, wording)]


def fixed(text, place=BODY, wording=()):
    return apply_fixes(text, check_text(text, place, wording))


@pytest.mark.parametrize(
    ("code", "text", "after"),
    [
        ("P001", "今年以来,我局完成调查:共3项;详见附件(一)!", "今年以来，我局完成调查：共3项；详见附件（一）！"),
        ("P002", "工作有序推进，。成效明显。。", "工作有序推进。成效明显。"),
        ("P004", "完善了各项规章制度和工作流程、建立了全流程闭环管理机制", None),
        ("P006", "包括道路、桥梁...等", "包括道路、桥梁……等"),
        ("P006", "工作--重在落实", "工作——重在落实"),
        ("N003", "预计增长3~5个百分点", "预计增长3—5个百分点"),
        ("N004", "完成投资12,345万元", "完成投资12345万元"),
        ("N006", "于2025年06月09日召开", "于2025年6月9日召开"),
        ("S004", "X月X日召开会议", None),
        ("W002", "推进的的工作", "推进的工作"),
    ],
)
def test_each_rule_finds_its_slip_and_its_fix_changes_only_that(code, text, after):
    assert code in codes(text)
    if after is not None:
        assert fixed(text) == after


@pytest.mark.parametrize(
    "text",
    [
        "软件界面显示“Hello, World”",  # Latin words keep their half-width comma
        "详见https://www.example.gov.cn:8080/a,b",  # URLs untouched
        "会议于10:30开始",  # times
        "增长3.5%，达到2025-01-02的目标",  # decimals and ISO dates are not ranges
        "“12,345”是原文",  # numbers inside quotes are quoted text: only the separator rule applies
        "常常、天天、人人",  # reduplication is Chinese, not a slip
        "这是一个……省略号",
        "一是抓好落实。重点抓两件事：一是办实事，二是守底线。二是强化保障。",  # a list inside a list
    ],
)
def test_the_traps_are_not_flagged(text):
    found = [f.code for f in check_text(text, BODY) if f.code not in ("N004",)]
    assert found == [], found


def test_a_heading_standing_alone_takes_no_full_stop_and_no_typed_number():
    assert "P005" in codes("强化组织领导。", HEADING)
    assert fixed("强化组织领导。", HEADING) == "强化组织领导"
    assert "S005" in codes("（一）在提升效能方面", HEADING)
    assert fixed("（一）在提升效能方面", HEADING) == "在提升效能方面"
    assert codes("强化组织领导", HEADING) == []


def test_unpaired_quotes_and_brackets_are_errors_without_a_fix():
    found = check_text("推行“一件事一次办（试点", BODY)
    assert sorted(f.code for f in found) == ["P003", "P003"]
    assert all(f.fix is None and f.severity == "error" for f in found)
    assert codes("推行“一件事一次办”（试点）") == []


def test_ordinals_out_of_order_are_flagged_but_a_new_list_may_start():
    assert "S002" in codes("一是加强领导。三是完善制度。")
    assert "S002" in codes("一是加强领导。二是完善制度。二是强化保障。")
    assert "S002" not in codes("一是加强领导。二是完善制度。三是强化保障。")


def test_the_office_wording_list_is_applied_as_exact_matches():
    wording = [("十九届五中全会", "党的十九届五中全会")]
    assert codes("学习贯彻十九届五中全会精神", wording=wording) == ["W001"]
    assert fixed("学习贯彻十九届五中全会精神", wording=wording) == "学习贯彻党的十九届五中全会精神"


def test_a_fix_is_not_applied_to_a_text_that_changed_since():
    (finding,) = check_text("推进的的工作", BODY)
    assert apply_fix("推进的的工作和的的任务", finding) == "推进的工作和的的任务"
    assert apply_fix("全新的文字", finding) == "全新的文字"


@given(st.text(alphabet="的了,，。:：；;（()）“”…-—~123年月日0X县局是一二三、 abc", max_size=60))
def test_fixes_never_lose_text_beyond_their_own_spans(text):
    findings = check_text(text, BODY)
    result = apply_fixes(text, findings)
    removed = sum(f.end - f.start for f in findings if f.fix is not None)
    added = sum(len(f.fix) for f in findings if f.fix is not None)
    # Overlapping spans apply once at most, so the result never loses more than the spans named.
    assert len(result) >= len(text) - removed
    assert len(result) <= len(text) + added


@pytest.fixture
def sloppy(office, department, other_department):
    """A report full of the usual slips."""
    report = Report.objects.create(
        title="关于2025年度工作情况的报告",
        preamble="二〇二五年以来,我县扎实推进各项工作。",
        closing="下一步，我们将持续用力。",
        issuer="县委办公室",
        lead_department=office,
    )
    first = Section.objects.create(report=report, position=0, heading="强化组织领导。", intro="1.成立专班")
    second = Section.objects.create(report=report, position=1, heading="推动举措落地")
    Measure.objects.create(section=first, position=0, lead="提升效能", body="全程网办率达到90%，办件12,345件。")
    Measure.objects.create(section=second, position=0, lead="优化服务", body="全程网办率达到85%，群众满意。")
    return report


def test_a_sloppy_report_is_caught_rule_by_rule_with_the_place_of_each(sloppy):
    result = proofread(sloppy)
    found = {(f.code, f.where) for f in result.findings}
    assert ("P001", "导语") in found  # a half-width comma
    assert ("N001", "导语") in found  # 二〇二五年 beside 2025年
    assert ("P005", "一、强化组织领导。") in found  # a heading with 。
    assert ("S001", "一、强化组织领导。") in found  # 1. straight under 一、
    assert ("N004", "一、强化组织领导。 · 一是") in found
    (figure,) = [f for f in result.findings if f.code == "F001"]
    assert "85%" in figure.text and "90%" in figure.message and figure.where.startswith("二、推动举措落地")
    assert result.pages == 1


def test_percentages_in_words_beside_signs_are_hinted_with_an_example(sloppy):
    Measure.objects.create(section=sloppy.sections.first(), position=1, lead="提高", body="覆盖率提高百分之五。")
    (hint,) = [f for f in proofread(sloppy).findings if f.code == "N002"]
    assert hint.text == "百分之五" and "90%" in hint.message


def test_the_office_list_comes_from_the_admin(sloppy):
    WordingRule.objects.create(wrong="扎实推进", right="扎实推动")
    assert any(f.code == "W001" for f in proofread(sloppy).findings)


def test_the_command_prints_one_finding_a_line_and_the_count(sloppy):
    out = io.StringIO()
    call_command("proofread", str(sloppy.pk), stdout=out)
    lines = out.getvalue().strip().split("\n")
    assert lines[-1] == f"{len(lines) - 1} findings"
    code, where, text, message = lines[0].split("\t")
    assert (code, where, text) == ("N001", "导语", "二〇二五年") or code
    assert all(len(line.split("\t")) == 4 for line in lines[:-1])


def test_the_page_estimate_grows_with_the_text(sloppy):
    before = proofread(sloppy).pages
    Measure.objects.create(section=sloppy.sections.first(), position=1, lead="长文", body="字" * 28 * 22 * 2)
    assert proofread(sloppy).pages >= before + 2
