import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.placeholders import count_placeholders, find_placeholders, split_placeholders
from tests.conftest import SAMPLE_TXT


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("X月X日，县委召开会议", ["X", "X"]),
        ("梳理形成清单X项", ["X"]),
        ("全程网办率达到X%", ["X"]),
        ("开展“X”行动", ["X"]),
        ("总规模XX亿元", ["XX"]),
        ("帮助Ｘ家企业", ["Ｘ"]),
        ("尽在×××写作网", ["×××"]),
        ("共×人参加", ["×"]),
        ("2025年12月X日", ["X"]),
        ("20XX年", ["XX"]),
    ],
)
def test_placeholders_are_found_among_chinese_characters_and_digits(text, found):
    assert [p.text for p in find_placeholders(text)] == found


@pytest.mark.parametrize("text", ["下载政务APP办理", "Xbox游戏机", "XML格式文件", "X-ray检查", "MAX值", "Ｘｂｏｘ"])
def test_letters_inside_latin_words_are_not_placeholders(text):
    assert find_placeholders(text) == []


def test_positions_point_at_the_placeholder():
    text = "明确了X项重点任务"
    (p,) = find_placeholders(text)
    assert text[p.start : p.end] == "X"
    assert p.context(text, width=3) == ("明确了", "X", "项重点")


def test_split_marks_placeholders_for_highlighting():
    assert split_placeholders("X月X日") == [("X", True), ("月", False), ("X", True), ("日", False)]


def test_the_sample_report_has_its_placeholders_found():
    text = SAMPLE_TXT.read_text(encoding="utf-8")
    found = find_placeholders(text)
    # Every X in the sample stands among Chinese text; the ad's ××× is one more.
    expected = text.count("X") + text.count("Ｘ")
    xs = [p for p in found if p.text != "×××"]
    assert sum(len(p.text) for p in xs) == expected
    assert any(p.text == "Ｘ" for p in found)
    assert any(text[p.end] == "%" for p in found)
    # In the sample every placeholder is a single X; the ad line adds one ×××.
    assert all(len(p.text) == 1 for p in xs)
    assert len(found) == expected + 1


@given(st.text())
def test_finding_placeholders_never_fails_and_spans_are_exact(text):
    for p in find_placeholders(text):
        assert text[p.start : p.end] == p.text
    assert "".join(piece for piece, _ in split_placeholders(text)) == text
    assert count_placeholders(text) == len(find_placeholders(text))


def test_the_docx_sample_has_the_same_placeholders_as_the_text_sample():
    import docx

    from tests.conftest import SAMPLE_DOCX

    document = docx.Document(str(SAMPLE_DOCX))
    docx_text = "\n".join(p.text for p in document.paragraphs)
    text = SAMPLE_TXT.read_text(encoding="utf-8")
    assert [p.text for p in find_placeholders(docx_text)] == [p.text for p in find_placeholders(text)]
