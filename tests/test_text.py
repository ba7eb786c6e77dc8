"""Text hygiene and counting (reports/text.py): what every page's character counts rest on."""

import datetime
import zoneinfo

from hypothesis import given
from hypothesis import strategies as st

from reports.text import char_count, chinese_date, clean_text, one_line, paragraphs, text_block


def test_character_count_leaves_out_every_kind_of_space():
    # Ideographic space (U+3000), no-break space, tab and newline are all white space.
    assert char_count("一是加强\u3000组织 领导。\n\t二是\u00a0落实") == 13


def test_character_count_of_nothing_is_zero():
    assert char_count("") == 0
    assert char_count(None) == 0
    assert char_count(" \n\u3000") == 0


@given(st.text())
def test_character_count_is_the_number_of_characters_that_are_not_space(text):
    assert char_count(text) == sum(1 for ch in text if not ch.isspace())


def test_cleaning_drops_control_characters_and_normalises_line_ends():
    assert clean_text("甲\x00乙\r\n丙\r丁\x0b") == "甲乙\n丙\n丁"


def test_one_line_joins_runs_of_space():
    assert one_line("  关于\n推进\t\t乡村振兴  ") == "关于 推进 乡村振兴"


def test_a_text_block_keeps_its_paragraphs_without_indents_or_blank_ends():
    value = "\r\n\u3000\u3000今年以来，我县扎实推进。  \r\n\n  现将有关情况报告如下。\x0b\t\n\n"
    assert text_block(value) == "今年以来，我县扎实推进。\n\n现将有关情况报告如下。"
    assert paragraphs(value) == ["今年以来，我县扎实推进。", "现将有关情况报告如下。"]
    assert text_block(None) == "" and text_block(" \n\u3000 ") == ""


@given(st.text())
def test_a_text_block_is_clean_and_normalising_it_again_changes_nothing(value):
    block = text_block(value)
    assert text_block(block) == block
    assert clean_text(block) == block
    assert paragraphs(block) == paragraphs(value)
    assert one_line(block) == one_line(value)


def test_dates_are_written_as_official_documents_date_them():
    assert chinese_date(datetime.date(2025, 6, 9)) == "2025年6月9日"
    assert chinese_date(datetime.date(2025, 12, 31)) == "2025年12月31日"
    assert chinese_date(None) == ""


def test_a_moment_is_dated_by_its_day_in_shanghai():
    moment = datetime.datetime(2025, 6, 8, 17, 30, tzinfo=datetime.UTC)
    assert chinese_date(moment) == "2025年6月9日"
    assert chinese_date(moment.astimezone(zoneinfo.ZoneInfo("America/New_York"))) == "2025年6月9日"


def test_an_imported_title_heading_lead_and_issuer_are_single_lines(office):
    from reports import importer

    parsed = importer.parse_text(
        "关于\t\t测试工作\u3000\u3000情况的报告\n"
        "现将有关情况报告如下。\n"
        "一、强化  组织\t领导\n"
        "一是推行  一件事\t一次办。梳理形成清单12项。\n"
        "中共测试县委  办公室\n"
        "2025年6月9日\n"
    )
    report = importer.create_report(parsed, office)
    section = report.sections.get()
    assert report.title == "关于 测试工作 情况的报告"
    assert section.heading == "强化 组织 领导"
    assert section.measures.get().lead == "推行 一件事 一次办"
    assert report.issuer == "中共测试县委 办公室"
