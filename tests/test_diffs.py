"""The revision diff: exact on both sides, clause by clause, bounded whatever is posted."""

from hypothesis import given
from hypothesis import strategies as st

from drafting.diffs import CLAUSE_ENDS, MAX_BLOCK_CHARS, MAX_DIFF_CHARS, char_sides, clauses

ALPHABET = "甲乙丙丁的是县工作" + CLAUSE_ENDS + "ab "
texts = st.text(alphabet=ALPHABET, max_size=300)


def joined(side, changed=None):
    return "".join(text for text, flag in side if changed is None or flag == changed)


def assert_exact(old, new, left, right):
    assert joined(left) == old
    assert joined(right) == new
    # What is shown as kept is the same text, in the same order, on both sides.
    assert joined(left, False) == joined(right, False)
    assert all(text for text, _changed in left + right)
    assert (old != new) == any(changed for _text, changed in left + right)


@st.composite
def edited(draw):
    """A text and an edit of it: clauses dropped, added, rewritten or kept."""
    old = draw(texts)
    new = []
    for clause in clauses(old):
        action = draw(st.sampled_from(["keep", "keep", "drop", "rewrite", "insert"]))
        if action in ("keep", "insert"):
            new.append(clause)
        if action in ("rewrite", "insert"):
            new.append(draw(texts))
    return old, "".join(new)


@given(edited())
def test_both_sides_reconstruct_their_texts_exactly_after_an_edit(pair):
    old, new = pair
    assert_exact(old, new, *char_sides(old, new))


@given(texts, texts)
def test_both_sides_reconstruct_any_two_texts_exactly(old, new):
    assert_exact(old, new, *char_sides(old, new))


def test_a_changed_figure_is_marked_alone():
    left, right = char_sides("梳理形成清单15项，签发人改的。", "梳理形成清单12项，撰稿人改的。")
    assert [text for text, changed in left if changed] == ["5", "签发"]
    assert [text for text, changed in right if changed] == ["2", "撰稿"]


def test_a_rewritten_clause_reads_as_a_rewrite_not_as_scattered_kept_characters():
    old = "一是强化组织领导。县委常委会专题研究部署，明确各单位工作责任分工。"
    new = "一是强化组织领导。各乡镇随后召开动员大会，层层压实单位工作责任。"
    left, right = char_sides(old, new)
    assert_exact(old, new, left, right)
    kept = [text for text, changed in left if not changed]
    # A character-by-character diff keeps the 会 of 常委会 and 大会, and the comma, in mid-rewrite.
    assert all(len(text) > 1 or text in CLAUSE_ENDS for text in kept)
    assert "会" not in kept and "，" not in kept
    assert kept[0] == "一是强化组织领导。"


def test_a_one_character_change_in_a_long_text_without_punctuation_is_marked_alone():
    old = "甲" * (MAX_BLOCK_CHARS * 3) + "乙" + "丙" * MAX_BLOCK_CHARS
    new = "甲" * (MAX_BLOCK_CHARS * 3) + "丁" + "丙" * MAX_BLOCK_CHARS
    left, right = char_sides(old, new)
    assert [text for text, changed in left if changed] == ["乙"]
    assert [text for text, changed in right if changed] == ["丁"]


def test_texts_past_the_size_limit_keep_their_common_beginning_and_end_and_change_the_middle():
    old = "开头，" + "甲乙，" * (MAX_DIFF_CHARS // 3) + "结尾。"
    new = "开头，" + "乙甲，" * (MAX_DIFF_CHARS // 3) + "结尾。"
    left, right = char_sides(old, new)
    assert_exact(old, new, left, right)
    assert left[0] == ("开头，", False) and left[-1] == ("，结尾。", False)
    assert len(left) == len(right) == 3


def test_a_diff_past_its_deadline_stops_comparing_and_marks_the_rest_changed():
    old = "县委专题研究部署，明确分工。各乡镇召开会议，压实责任。"
    new = "县委专题研究部署，明确任务。各街道召开会议，落实责任。"
    left, right = char_sides(old, new, deadline=0)
    assert_exact(old, new, left, right)
    # Only the common beginning and end survive a spent deadline: no character pass ran.
    assert [text for text, changed in left if not changed] == ["县委专题研究部署，明确", "实责任。"]


def test_periodic_texts_that_defeat_half_matching_still_diff_exactly():
    old = "甲，乙，" * 20_000
    new = "乙，甲，" * 20_000
    assert_exact(old, new, *char_sides(old, new))
