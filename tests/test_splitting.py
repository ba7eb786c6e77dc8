from hypothesis import given
from hypothesis import strategies as st

from reports.splitting import join_measure, split_lead, split_measures
from tests.conftest import SAMPLE_TXT


def test_run_in_measures_split_at_each_ordinal():
    result = split_measures(
        "一是保障项目用地。盘活土地X亩。二是缓解融资难题。设立转贷资金。三是加强用工服务。举办招聘活动。"
    )
    assert result.intro == ""
    assert result.measures == [
        ("保障项目用地", "盘活土地X亩。"),
        ("缓解融资难题", "设立转贷资金。"),
        ("加强用工服务", "举办招聘活动。"),
    ]


def test_one_measure_per_line_splits_the_same_way():
    text = "一是保障项目用地。盘活土地。\n二是缓解融资难题。设立资金。\n"
    assert [lead for lead, _ in split_measures(text).measures] == ["保障项目用地", "缓解融资难题"]


def test_a_nested_first_ordinal_stays_inside_its_measure():
    text = "一是甲。内容。二是乙。内容。三是丙。重点抓好两件事：一是办好实事，二是守住底线。四是丁。内容。"
    measures = split_measures(text).measures
    assert [lead for lead, _ in measures] == ["甲", "乙", "丙", "丁"]
    assert measures[2][1] == "重点抓好两件事：一是办好实事，二是守住底线。"


def test_twelve_is_not_mistaken_for_two():
    leads = [f"举措{n}" for n in range(1, 13)]
    from reports.numbering import measure_ordinal

    text = "".join(f"{measure_ordinal(n)}{lead}。正文{n}。" for n, lead in enumerate(leads, start=1))
    assert [lead for lead, _ in split_measures(text).measures] == leads


def test_text_before_the_first_ordinal_is_the_intro():
    result = split_measures("会议要求：一是提高站位；二是细化分工；三是强化督查。")
    assert result.intro == "会议要求："
    assert [lead for lead, _ in result.measures] == ["提高站位", "细化分工", "强化督查"]


def test_a_word_containing_shi_does_not_split():
    assert split_measures("这一是非问题需要厘清。").measures == []


def test_lead_is_the_first_sentence_without_its_full_stop():
    assert split_lead("推行一件事一次办。围绕高频事项梳理清单。") == ("推行一件事一次办", "围绕高频事项梳理清单。")
    assert split_lead("只有一句没有句号") == ("只有一句没有句号", "")
    long_sentence = "很" * 300 + "。后文。"
    assert split_lead(long_sentence) == ("", long_sentence)


def test_join_puts_back_exactly_one_full_stop():
    assert join_measure("推行一件事一次办", "围绕事项。") == "推行一件事一次办。围绕事项。"
    assert join_measure("", "只有正文。") == "只有正文。"
    assert join_measure("是否到位？", "正文。") == "是否到位？正文。"


def test_the_samples_measures_round_trip_through_split_and_join():
    lines = SAMPLE_TXT.read_text(encoding="utf-8").splitlines()
    # In the text sample the three measures of （一） run in on one line.
    (block,) = [line for line in lines if line.startswith("一是推行")]
    measures = split_measures(block).measures
    assert len(measures) == 3
    rebuilt = "".join(f"{o}{join_measure(*m)}" for o, m in zip(["一是", "二是", "三是"], measures, strict=True))
    assert rebuilt == block


@given(
    st.lists(
        st.tuples(st.text("甲乙丙丁戊己庚辛壬癸，", min_size=1, max_size=20), st.text("子丑寅卯。", max_size=30)),
        max_size=15,
    )
)
def test_split_then_join_gives_back_the_measures(pairs):
    from reports.numbering import measure_ordinal

    text = "".join(f"{measure_ordinal(n)}{join_measure(lead, body)}" for n, (lead, body) in enumerate(pairs, start=1))
    rebuilt = "".join(
        f"{measure_ordinal(n)}{join_measure(lead, body)}"
        for n, (lead, body) in enumerate(split_measures(text).measures, start=1)
    )
    assert rebuilt == text


def test_a_huge_paragraph_of_false_ordinals_keeps_them_in_one_measure():
    # 二是 never at a boundary here: each is rejected by looking back one character.
    text = "一是开头。" + "甲二是" * 100_000
    result = split_measures(text)
    assert len(result.measures) == 1
    assert result.measures[0][1].count("二是") == 100_000
