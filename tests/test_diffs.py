"""The revision diff: exact on both sides, clause by clause, bounded whatever is posted."""

from hypothesis import given
from hypothesis import strategies as st

from drafting.diffs import CLAUSE_ENDS, MAX_BLOCK_CHARS, MAX_DIFF_CHARS, char_sides, clauses, tokens

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


def test_a_changed_figure_is_marked_alone_and_whole():
    left, right = char_sides("梳理形成清单15项，签发人改的。", "梳理形成清单12项，撰稿人改的。")
    assert [text for text, changed in left if changed] == ["15", "签发"]
    assert [text for text, changed in right if changed] == ["12", "撰稿"]


def test_figures_with_decimals_and_percent_signs_are_one_word():
    assert tokens("办理12.5万件，达到98%，APP上线") == [
        "办", "理", "12.5", "万", "件", "，", "达", "到", "98%", "，", "APP", "上", "线",
    ]  # fmt: skip


def test_a_rewrite_keeps_no_single_character_between_two_changes():
    old = "围绕企业开办、项目审批等高频事项，推行“一件事一次办”，全年累计办理12.5万件，群众满意度达98%。"
    new = (
        "聚焦企业开办和工程建设项目审批等重点事项，全面推行“一件事一次办”改革，全年共办理13.2万件，群众满意率达到99%。"
    )
    left, right = char_sides(old, new)
    assert_exact(old, new, left, right)
    for side in (left, right):
        inner = [text for text, changed in side[1:-1] if not changed]
        assert all(len(text) >= 2 for text in inner), inner
    kept = [text for text, changed in left if not changed]
    # The words both versions share stay visible as kept.
    assert "企业开办" in kept and "“一件事一次办”" in "".join(kept)
    assert ("12.5", True) in left and ("13.2", True) in right


def test_a_lone_kept_clause_mark_between_two_changed_clauses_joins_the_change():
    # The lone “，” clause matches on both sides; kept alone it would stand between two rewrites.
    left, right = char_sides("甲乙；，丙丁。", "戊己！，庚辛？")
    assert left == [("甲乙；，丙丁。", True)]
    assert right == [("戊己！，庚辛？", True)]


@given(edited())
def test_no_single_character_is_kept_between_two_changes(pair):
    old, new = pair
    for side in char_sides(old, new):
        for before, (text, changed), after in zip(side, side[1:], side[2:], strict=False):
            if not changed and before[1] and after[1]:
                assert len(text) >= 2 or text.isspace(), side


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
