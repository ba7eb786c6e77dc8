"""Paste to split: a block copied from Word becomes measures, only when the user confirms."""

import pytest
from django.urls import reverse

from reports.models import AssignmentState
from tests.conftest import SAMPLE_TXT, editor_data, measure_texts


def paste_url(section):
    return reverse("drafting:section-paste", args=[section.pk])


def sample_line(prefix):
    (line,) = [line for line in SAMPLE_TXT.read_text(encoding="utf-8").splitlines() if line.startswith(prefix)]
    return line


@pytest.fixture
def nested_block():
    """The sample's （一） measures, with the sample's nested 一是/二是/三是 list inside measure 三."""
    measures = sample_line("一是推行")
    nested = sample_line("X月X日，县委常委会").split("会议要求：")[1]
    return measures + "会议要求：" + nested


def test_the_preview_shows_the_split_and_changes_nothing(login, drafter, our_section, nested_block):
    response = login(drafter).post(paste_url(our_section), {"text": nested_block, "version": 1})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="split-measure"') == 3
    assert "推行“一件事一次办”" in html and "完善帮办代办机制" in html
    assert 'name="confirm"' in html
    our_section.refresh_from_db()
    assert our_section.version == 1
    assert [lead for lead, _ in measure_texts(our_section)] == ["推行一件事一次办", "深化一网通办"]


def test_confirming_replaces_the_measures_and_keeps_a_nested_list_inside_its_measure(
    login, drafter, our_section, nested_block
):
    response = login(drafter).post(paste_url(our_section), {"text": nested_block, "version": 1, "confirm": "1"})
    assert response.status_code == 302
    our_section.refresh_from_db()
    assert our_section.version == 2
    measures = measure_texts(our_section)
    assert [lead for lead, _ in measures] == ["推行“一件事一次办”", "深化“一网通办”", "完善帮办代办机制"]
    assert "会议要求：一是提高政治站位" in measures[2][1]
    assert "三是强化督查问效" in measures[2][1]
    editor = login(drafter).get(reverse("drafting:section-edit", args=[our_section.pk])).content.decode()
    assert editor.index("三是") < editor.index("完善帮办代办机制")


def test_one_measure_per_line_splits_too(login, drafter, our_section):
    block = "一是保障项目用地。盘活闲置土地X亩。\n二是缓解融资难题。设立应急转贷资金。\n三是加强用工服务。举办招聘活动X场。\n"
    login(drafter).post(paste_url(our_section), {"text": block, "version": 1, "confirm": "1"})
    assert measure_texts(our_section) == [
        ("保障项目用地", "盘活闲置土地X亩。"),
        ("缓解融资难题", "设立应急转贷资金。"),
        ("加强用工服务", "举办招聘活动X场。"),
    ]


def test_text_before_the_first_measure_becomes_the_intro_only_if_chosen(login, drafter, our_section):
    block = "围绕企业需求，重点做了三件事。一是甲事项。正文甲。二是乙事项。正文乙。"
    client = login(drafter)
    client.post(paste_url(our_section), {"text": block, "version": 1, "confirm": "1"})
    our_section.refresh_from_db()
    assert our_section.intro == ""
    client.post(paste_url(our_section), {"text": block, "version": 2, "confirm": "1", "replace_intro": "on"})
    our_section.refresh_from_db()
    assert our_section.intro == "围绕企业需求，重点做了三件事。"
    assert [lead for lead, _ in measure_texts(our_section)] == ["甲事项", "乙事项"]


def test_text_without_ordinals_gets_a_message_and_changes_nothing(login, drafter, our_section):
    response = login(drafter).post(
        paste_url(our_section), {"text": "这一是非问题需要厘清。", "version": 1, "confirm": "1"}
    )
    assert response.status_code == 400
    assert "没有找到“一是”" in response.content.decode()
    our_section.refresh_from_db()
    assert our_section.version == 1
    assert len(measure_texts(our_section)) == 2


def test_confirming_against_a_newer_version_replaces_nothing(login, drafter, signer, our_section, nested_block):
    login(signer).post(
        reverse("drafting:section-edit", args=[our_section.pk]), editor_data(our_section, intro="签发人先改了。")
    )
    response = login(drafter).post(paste_url(our_section), {"text": nested_block, "version": 1, "confirm": "1"})
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="stale"' in html
    assert 'name="version" value="2"' in html
    our_section.refresh_from_db()
    assert our_section.version == 2
    assert [lead for lead, _ in measure_texts(our_section)] == ["推行一件事一次办", "深化一网通办"]


def test_another_department_gets_404(login, other_drafter, our_section, nested_block):
    response = login(other_drafter).post(paste_url(our_section), {"text": nested_block, "version": 1, "confirm": "1"})
    assert response.status_code == 404
    assert len(measure_texts(our_section)) == 2


@pytest.mark.parametrize("who", ["coordinator", "drafter_submitted"])
def test_who_may_not_edit_now_cannot_replace_measures(request, login, our_section, nested_block, who):
    if who == "drafter_submitted":
        our_section.assignment.state = AssignmentState.SUBMITTED
        our_section.assignment.save()
        user = request.getfixturevalue("drafter")
    else:
        user = request.getfixturevalue("coordinator")
    response = login(user).post(paste_url(our_section), {"text": nested_block, "version": 1, "confirm": "1"})
    assert response.status_code == 403
    assert [lead for lead, _ in measure_texts(our_section)] == ["推行一件事一次办", "深化一网通办"]


def test_anonymous_and_get_requests_are_refused(client, login, drafter, our_section):
    response = client.post(paste_url(our_section), {"text": "一是甲。", "version": 1, "confirm": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert login(drafter).get(paste_url(our_section)).status_code == 405
    assert len(measure_texts(our_section)) == 2
