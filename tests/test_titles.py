"""Long titles broken into lines of sense (GB/T 9704-2012, 7.3.1)."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.titles import CHARS_PER_LINE, _scores, title_lines, width


def test_a_title_that_fits_stays_on_one_line():
    assert title_lines("关于安全生产工作情况的报告") == ["关于安全生产工作情况的报告"]


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("关于2025年度优化营商环境工作落实情况的报告", ["关于2025年度优化营商环境", "工作落实情况的报告"]),
        ("关于全县农村人居环境整治提升行动推进情况的报告", ["关于全县农村人居环境整治提升行动", "推进情况的报告"]),
        (
            "关于贯彻落实《中华人民共和国安全生产法》情况的报告",
            ["关于贯彻落实《中华人民共和国安全生产法》", "情况的报告"],
        ),
    ],
)
def test_a_long_title_breaks_where_a_reader_pauses(title, lines):
    assert title_lines(title) == lines


def test_a_user_forces_the_breaks_by_typing_them():
    assert title_lines("关于2025年度\n工作情况的报告") == ["关于2025年度", "工作情况的报告"]


@given(
    st.text(alphabet="关于县市年度工作推进落实情况的报告优化营商环境建设发展和与及2025《》", min_size=1, max_size=58)
)
def test_no_line_is_too_long_none_stands_alone_and_nothing_is_lost(title):
    lines = title_lines(title)
    assert "".join(lines) == title.strip()
    if width(title) > CHARS_PER_LINE:
        assert all(width(line) <= CHARS_PER_LINE for line in lines) or len(lines) > 3
        assert all(len(line) >= 3 for line in lines)
        # 梯形 or 菱形: the last line no longer than the first, unless every split that would
        # keep that breaks a number, a book title or a quotation.
        assert width(lines[0]) >= width(lines[-1]) or not shaped_split_exists(title, len(lines))


def shaped_split_exists(title, count):
    """Whether some split into `count` lines between units fits with a first line at least as wide as the last."""
    allowed = sorted(_scores(title))
    for cuts in itertools.combinations(allowed, count - 1):
        lines = [title[a:b] for a, b in zip((0, *cuts), (*cuts, len(title)), strict=True)]
        if all(width(line) <= CHARS_PER_LINE and len(line) >= 3 for line in lines) and width(lines[0]) >= width(
            lines[-1]
        ):
            return True
    return False


def test_a_title_whose_only_break_between_units_leaves_the_first_line_short_keeps_its_units():
    assert title_lines("000000000《《《《《《《《《《《《《《》") == ["000000000", "《《《《《《《《《《《《《《》"]
