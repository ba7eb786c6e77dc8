"""Last period beside this one: in a cloned report's editor, each measure can show its counterpart's
text from the report it was cloned from, and a measure carried over unchanged is flagged."""

import pytest

from drafting.last_period import same_text
from reports import content
from reports.cloning import clone_report
from reports.models import Measure, Section
from tests.conftest import card_of
from tests.conftest import editor_url as editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def cloned(report, coordinator):
    """This period's copy of （一）: 一是 carried over, 二是 rewritten, a new 三是, and last period's
    二是 gone (its counterpart replaced by a new measure)."""
    new = clone_report(report, coordinator, title="关于测试工作情况的报告（下一期）")
    section = Section.objects.get(report=new, previous=report.our_section)
    first, second = section.measures.order_by("position")
    content.save_content(
        section,
        None,
        measures=[
            content.MeasureText(first.pk, first.lead, first.body),
            content.MeasureText(second.pk, second.lead, "全程网办率达到95%。"),
            content.MeasureText(None, "推进帮办代办", "设立帮办窗口3个。"),
        ],
    )
    return section


def test_each_measure_shows_last_periods_text_and_the_unchanged_one_is_flagged(login, drafter, cloned):
    page = login(drafter).get(editor(cloned)).content.decode()
    assert 'id="show-last-period"' in page and "关于测试工作情况的报告" in page
    first, second, third = cloned.measures.order_by("position")
    carried, rewritten, added = card_of(page, first), card_of(page, second), card_of(page, third)
    assert "与上期相同" in carried
    assert "与上期相同" not in rewritten
    assert "全程网办率达到90%。" in rewritten  # last period's text beside this period's 95%
    assert "本期新增" in added and "上期无对应举措" in added


def test_a_measure_of_last_period_no_measure_continues_is_listed(login, drafter, cloned, report):
    Measure.objects.filter(section=cloned, position=1).delete()
    page = login(drafter).get(editor(cloned)).content.decode()
    dropped = page[page.index('data-testid="last-period-dropped"') :]
    assert "深化一网通办。全程网办率达到90%。" in dropped[: dropped.index("</div>") + 200]


def test_white_space_and_full_width_forms_do_not_count_as_a_change():
    assert same_text("推行“一件事一次办”。梳理清单12项。", "推行“一件事一次办”。 梳理清单１２项。\n")
    assert not same_text("梳理清单12项。", "梳理清单15项。")


def test_a_report_not_cloned_has_no_last_period_switch(login, drafter, our_section):
    page = login(drafter).get(editor(our_section)).content.decode()
    assert "show-last-period" not in page and "与上期相同" not in page


def test_the_read_only_editor_flags_the_unchanged_measure_too(login, coordinator, cloned):
    """The office sees the department's section read-only while it is being drafted."""
    page = login(coordinator).get(editor(cloned)).content.decode()
    assert 'data-testid="read-only"' in page
    assert page.count('data-testid="same-as-last-period"') == 1
    assert 'id="show-last-period"' in page


def test_last_periods_text_is_escaped(login, drafter, report, coordinator):
    Measure.objects.filter(section=report.our_section, position=0).update(body="<script>alert(1)</script>")
    new = clone_report(report, coordinator, title="下一期")
    section = Section.objects.get(report=new, previous=report.our_section)
    Measure.objects.filter(section=section, position=0).update(body="本期改写。")
    page = login(drafter).get(editor(section)).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
