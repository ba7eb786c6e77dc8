import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.numbering import (
    MAX_NUMBER,
    chinese_numeral,
    measure_ordinal,
    number_tree,
    parse_chinese_numeral,
    section_label,
)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (111, "一百一十一"),
        (205, "二百零五"),
        (999, "九百九十九"),
        (1000, "一千"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (1015, "一千零一十五"),
        (1100, "一千一百"),
        (1101, "一千一百零一"),
        (1110, "一千一百一十"),
        (2000, "二千"),
        (2050, "二千零五十"),
        (3400, "三千四百"),
        (9999, "九千九百九十九"),
    ],
)
def test_chinese_numerals_are_written_as_official_documents_write_them(n, expected):
    assert chinese_numeral(n) == expected


@pytest.mark.parametrize("n", [0, -1, MAX_NUMBER + 1])
def test_numbers_outside_one_to_the_maximum_are_refused(n):
    with pytest.raises(ValueError):
        chinese_numeral(n)


@pytest.mark.parametrize(
    ("level", "n", "expected"),
    [(1, 1, "一、"), (1, 12, "十二、"), (2, 3, "（三）"), (3, 4, "4."), (4, 2, "（2）")],
)
def test_section_labels_follow_the_four_levels(level, n, expected):
    assert section_label(level, n) == expected


def test_a_fifth_level_has_no_label():
    with pytest.raises(ValueError):
        section_label(5, 1)


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "一是"), (2, "二是"), (10, "十是"), (11, "十一是"), (20, "二十是"), (1000, "一千是"), (1010, "一千零一十是")],
)
def test_measure_ordinals(n, expected):
    assert measure_ordinal(n) == expected


def test_every_numeral_reads_back_as_its_number():
    assert MAX_NUMBER == 9_999
    assert all(parse_chinese_numeral(chinese_numeral(n)) == n for n in range(1, MAX_NUMBER + 1))


@pytest.mark.parametrize(
    "text", ["一十", "一十一", "两千", "一千零零一", "一千零", "零", "", "一万", "十十", "千", "九千九百九十九九", "1"]
)
def test_spellings_chinese_numeral_would_not_write_are_not_numerals(text):
    with pytest.raises(ValueError):
        parse_chinese_numeral(text)


@given(st.integers(min_value=1, max_value=MAX_NUMBER))
def test_numerals_never_start_with_one_ten_or_contain_a_trailing_zero(n):
    text = chinese_numeral(n)
    assert not text.startswith("一十")
    assert not text.endswith("零")
    assert "零零" not in text


@given(st.lists(st.integers(min_value=1, max_value=MAX_NUMBER), min_size=2, max_size=50, unique=True))
def test_distinct_numbers_give_distinct_numerals(numbers):
    assert len({chinese_numeral(n) for n in numbers}) == len(numbers)


class Node:
    def __init__(self, pk, parent_id, position):
        self.pk, self.parent_id, self.position = pk, parent_id, position


def test_number_tree_orders_depth_first_and_labels_each_level():
    nodes = [Node(1, None, 5), Node(2, None, 1), Node(3, 1, 0), Node(4, 1, 9), Node(5, 4, 0), Node(6, 5, 0)]
    ordered = number_tree(nodes)
    assert [(n.pk, n.label) for n in ordered] == [
        (2, "一、"),
        (1, "二、"),
        (3, "（一）"),
        (4, "（二）"),
        (5, "1."),
        (6, "（1）"),
    ]


@given(st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=30))
def test_siblings_are_numbered_one_to_n_whatever_positions_are_stored(positions):
    nodes = [Node(pk, None, position) for pk, position in enumerate(positions, start=1)]
    ordered = number_tree(nodes)
    assert [n.number for n in ordered] == list(range(1, len(positions) + 1))
    assert [n.position for n in ordered] == sorted(positions)


def test_places_of_a_few_sections_match_the_whole_outline():
    from reports.numbering import places_of

    # Ties in position are broken by pk, gaps ignored, three levels deep; a second report's
    # sections (pks 11, 12) are ranked among themselves, not with the first report's.
    rows = [(1, None, 5), (2, None, 1), (3, 1, 0), (4, 1, 9), (5, 4, 2), (6, 4, 2), (7, 2, 3)]
    other = [(11, None, 3), (12, None, 0)]
    outline = [(70, *row) for row in rows] + [(71, *row) for row in other]
    places = places_of(outline, {1, 4, 6, 7, 11, 99})
    assert places == {
        1: ((2,), "二、"),
        4: ((2, 2), "（二）"),
        6: ((2, 2, 2), "2."),
        7: ((1, 1), "（一）"),
        11: ((2,), "二、"),
    }
    del places[11]
    # The same labels and order as numbering the whole outline.
    whole = {node.pk: (n, node.label) for n, node in enumerate(number_tree([Node(*row) for row in rows]))}
    assert sorted(places, key=lambda pk: places[pk][0]) == sorted(places, key=lambda pk: whole[pk][0])
    assert all(places[pk][1] == whole[pk][1] for pk in places)


# Reports past a thousand sections --------------------------------------------------------


def top_level_sections(report, count):
    from reports.models import Section

    Section.objects.bulk_create(
        Section(report=report, position=n, heading=f"第{n}部分")
        for n in range(10, count + 10 - report.sections.filter(parent=None).count())
    )


def test_a_report_of_a_thousand_sections_numbers_on_and_exports(report):
    import io

    import docx

    from reports.docx_export import export_docx

    top_level_sections(report, 1001)
    outline = report.outline()
    top = [s.label for s in outline if s.level == 1]
    assert len(top) == 1001
    assert top[998:] == ["九百九十九、", "一千、", "一千零一、"]
    document = docx.Document(io.BytesIO(export_docx(report, draft=True)))
    headings = [p.text for p in document.paragraphs if p.text.startswith(("九百九十九、", "一千、", "一千零一、"))]
    assert [h.partition("、")[0] for h in headings] == ["九百九十九", "一千", "一千零一"]


def test_an_imported_report_of_a_thousand_sections_keeps_every_one(db):
    from reports import importer

    text = "标题\n" + "".join(f"{chinese_numeral(n)}、部分{n}\n正文。\n" for n in range(1, 1012))
    parsed = importer.parse_text(text)
    assert len(parsed.sections) == 1011
    assert parsed.sections[1009].heading == "部分1010"
    assert parsed.outline()[1009]["label"] == "一千零一十、"


def test_pasted_measures_stop_at_the_last_number_instead_of_failing():
    from reports.splitting import split_measures

    text = "".join(f"{measure_ordinal(n)}甲。" for n in range(1, MAX_NUMBER + 1)) + "再往后一万是乙。"
    split = split_measures(text)
    assert len(split.measures) == MAX_NUMBER
    assert split.measures[-1] == ("甲", "再往后一万是乙。")


def test_adding_a_section_past_the_last_number_is_refused_with_a_message(login, coordinator, report):
    from django.contrib.messages import get_messages
    from django.urls import reverse

    top_level_sections(report, MAX_NUMBER)
    before = report.sections.count()
    response = login(coordinator).post(reverse("reports:section-add", args=[report.pk]), {"heading": "又一部分"})
    assert response.status_code == 302
    assert any("同一级最多只能有 9999 个章节" in str(m) for m in get_messages(response.wsgi_request))
    assert report.sections.count() == before
    # One level down there is room.
    parent = report.first_section
    login(coordinator).post(
        reverse("reports:section-add", args=[report.pk]), {"heading": "子部分", "parent": parent.pk}
    )
    assert report.sections.count() == before + 1


def test_a_drag_that_puts_one_section_too_many_on_a_level_is_refused(login, coordinator, report):
    from django.contrib.messages import get_messages
    from django.urls import reverse

    top_level_sections(report, MAX_NUMBER)
    outline = report.outline()
    # Every section moves to the top level: one more than can be numbered.
    order = ",".join(f"{s.pk}:" for s in outline)
    response = login(coordinator).post(reverse("reports:outline-reorder", args=[report.pk]), {"order": order})
    assert any("同一级最多只能有 9999 个章节" in str(m) for m in get_messages(response.wsgi_request))
    report.our_section.refresh_from_db()
    assert report.our_section.parent_id is not None
