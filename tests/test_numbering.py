import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.numbering import (
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
    ],
)
def test_chinese_numerals_are_written_as_official_documents_write_them(n, expected):
    assert chinese_numeral(n) == expected


@pytest.mark.parametrize("n", [0, -1, 1000])
def test_numbers_outside_one_to_999_are_refused(n):
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


@pytest.mark.parametrize(("n", "expected"), [(1, "一是"), (2, "二是"), (10, "十是"), (11, "十一是"), (20, "二十是")])
def test_measure_ordinals(n, expected):
    assert measure_ordinal(n) == expected


@given(st.integers(min_value=1, max_value=999))
def test_every_numeral_reads_back_as_its_number(n):
    assert parse_chinese_numeral(chinese_numeral(n)) == n


@given(st.integers(min_value=1, max_value=999))
def test_numerals_never_start_with_one_ten_or_contain_a_trailing_zero(n):
    text = chinese_numeral(n)
    assert not text.startswith("一十")
    assert not text.endswith("零")
    assert "零零" not in text


@given(st.lists(st.integers(min_value=1, max_value=999), min_size=2, max_size=50, unique=True))
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
