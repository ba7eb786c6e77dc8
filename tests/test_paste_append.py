"""Paste to split can append the pasted measures after the current ones instead of replacing them."""

from django.urls import reverse

from drafting.forms import MAX_MEASURES
from reports.models import Measure
from tests.conftest import editor_data, measure_texts

BLOCK = "一是保障项目用地。盘活闲置土地X亩。\n二是缓解融资难题。设立应急转贷资金。\n"
CURRENT = [("推行一件事一次办", "梳理形成清单12项。"), ("深化一网通办", "全程网办率达到90%。")]


def paste_url(section):
    return reverse("drafting:section-paste", args=[section.pk])


def test_the_editor_offers_to_append_or_replace(login, drafter, our_section):
    page = login(drafter).get(reverse("drafting:section-edit", args=[our_section.pk])).content.decode()
    assert 'name="mode" value="replace"' in page and 'name="mode" value="append"' in page
    assert "接在现有举措之后" in page


def test_the_preview_numbers_appended_measures_after_the_current_ones(login, drafter, our_section):
    response = login(drafter).post(paste_url(our_section), {"text": BLOCK, "version": 1, "mode": "append"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "三是" in html and "四是" in html
    assert "确认后将接在本章节现有的2条举措之后" in html
    assert "追加举措" in html
    our_section.refresh_from_db()
    assert our_section.version == 1
    assert measure_texts(our_section) == CURRENT


def test_confirming_appends_and_keeps_the_current_measures(login, drafter, our_section):
    kept = list(our_section.measures.order_by("position").values_list("pk", flat=True))
    response = login(drafter).post(
        paste_url(our_section), {"text": BLOCK, "version": 1, "mode": "append", "confirm": "1"}, follow=True
    )
    assert "已追加2条举措" in response.content.decode()
    our_section.refresh_from_db()
    assert our_section.version == 2
    assert measure_texts(our_section) == [
        *CURRENT,
        ("保障项目用地", "盘活闲置土地X亩。"),
        ("缓解融资难题", "设立应急转贷资金。"),
    ]
    # The current measures are the same rows, not copies: their history and comments stay with them.
    assert list(our_section.measures.order_by("position").values_list("pk", flat=True))[:2] == kept


def test_replacing_stays_the_default(login, drafter, our_section):
    login(drafter).post(paste_url(our_section), {"text": BLOCK, "version": 1, "confirm": "1"})
    assert [lead for lead, _ in measure_texts(our_section)] == ["保障项目用地", "缓解融资难题"]


def test_an_unknown_mode_gets_a_message_and_changes_nothing(login, drafter, our_section):
    response = login(drafter).post(paste_url(our_section), {"text": BLOCK, "version": 1, "mode": "x", "confirm": "1"})
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    our_section.refresh_from_db()
    assert measure_texts(our_section) == CURRENT


def test_appending_past_the_measure_limit_is_refused(login, drafter, our_section):
    Measure.objects.bulk_create(
        Measure(section=our_section, position=n, lead=f"举措{n}", body="") for n in range(2, MAX_MEASURES)
    )
    response = login(drafter).post(
        paste_url(our_section), {"text": BLOCK, "version": 1, "mode": "append", "confirm": "1"}
    )
    assert response.status_code == 400
    our_section.refresh_from_db()
    assert our_section.version == 1
    assert our_section.measures.count() == MAX_MEASURES


def test_appending_against_a_newer_version_changes_nothing(login, drafter, signer, our_section):
    login(signer).post(
        reverse("drafting:section-edit", args=[our_section.pk]), editor_data(our_section, intro="签发人先改了。")
    )
    response = login(drafter).post(
        paste_url(our_section), {"text": BLOCK, "version": 1, "mode": "append", "confirm": "1"}
    )
    assert response.status_code == 409
    our_section.refresh_from_db()
    assert our_section.version == 2
    assert measure_texts(our_section) == CURRENT


def test_another_department_cannot_append(login, other_drafter, our_section):
    response = login(other_drafter).post(
        paste_url(our_section), {"text": BLOCK, "version": 1, "mode": "append", "confirm": "1"}
    )
    assert response.status_code == 404
    our_section.refresh_from_db()
    assert measure_texts(our_section) == CURRENT
